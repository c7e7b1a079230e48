// Chapter 15: the NetworkClient. ready() does not send: it starts a connection, and a batch
// waits for a later loop. A refused connection backs off; requests are numbered; every request
// completes once, answered, sent (acks=0) or disconnected. The broker is a scripted one on
// loopback; the clock is fake, the sockets are real.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/NetworkClient.h"
#include "kafka/common/Cluster.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/utils/MockTime.h"
#include "support/NetworkClientFixture.h"

namespace kafka::clients {
namespace {

using common::Node;
using common::protocol::ApiKeys;
using test::answerProduce;
using test::FakeBroker;
using test::FakeReply;
using test::FakeRequest;
using ClientFixture = test::NetworkClientFixture;

int freePort() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();  // closed again when the acceptor goes
}

TEST(NetworkClient, TheFirstReadyOnlyStartsAConnection) {
    FakeBroker broker(answerProduce);
    ClientFixture f({broker.node()});
    EXPECT_FALSE(f.client.ready(broker.node(), f.time->milliseconds()));
    EXPECT_TRUE(f.client.connectionStates().isConnecting("0"));
    // Asking again while it connects does not connect twice.
    EXPECT_FALSE(f.client.ready(broker.node(), f.time->milliseconds()));
    ASSERT_TRUE(f.awaitReady(broker.node()));
    // The broker counts a connection once its thread has started: wait for it, then check
    // that no second one follows.
    ASSERT_TRUE(f.pollUntil([&] { return broker.connections() >= 1; }));
    f.pollFor(50);
    EXPECT_EQ(broker.connections(), 1);
    EXPECT_TRUE(broker.requests(ApiKeys::kProduce).empty());
}

TEST(NetworkClient, ASendToANodeThatIsNotReadyIsRefused) {
    FakeBroker broker(answerProduce);
    ClientFixture f({broker.node()});
    int completions = 0;
    EXPECT_THROW(f.client.send(f.produce(broker.node(), 1, &completions), 0),
                 common::errors::IllegalStateException);
}

TEST(NetworkClient, ARefusedConnectionWaitsOutItsBackoff) {
    const Node nobody(7, "127.0.0.1", freePort());
    ClientFixture f({nobody});
    EXPECT_FALSE(f.client.ready(nobody, f.time->milliseconds()));
    ASSERT_TRUE(f.pollUntil([&] { return f.client.connectionFailed(nobody); }));
    // Inside the backoff (50 ms, ±20 %): no new attempt, and the sender is told how long.
    EXPECT_FALSE(f.client.ready(nobody, f.time->milliseconds()));
    EXPECT_TRUE(f.client.connectionFailed(nobody));
    const auto delay = f.client.connectionDelay(nobody, f.time->milliseconds());
    EXPECT_GT(delay, 0);
    EXPECT_LE(delay, 60);
    f.time->sleep(delay);
    EXPECT_FALSE(f.client.ready(nobody, f.time->milliseconds()));
    EXPECT_TRUE(f.client.connectionStates().isConnecting("7"));
}

TEST(NetworkClient, CorrelationIdsGoUpByOnePerRequest) {
    FakeBroker broker(answerProduce);
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(f.awaitReady(broker.node()));
        f.client.send(f.produce(broker.node(), 0, &completions), f.time->milliseconds());
    }
    ASSERT_TRUE(f.pollUntil([&] { return broker.requests(ApiKeys::kProduce).size() == 3; }));
    const auto produced = broker.requests(ApiKeys::kProduce);
    EXPECT_EQ(produced[1].correlationId, produced[0].correlationId + 1);
    EXPECT_EQ(produced[2].correlationId, produced[1].correlationId + 1);
    EXPECT_EQ(produced[0].clientId, "test");
}

TEST(NetworkClient, AnAcksZeroRequestIsDoneOnceSent) {
    FakeBroker broker(answerProduce);
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    f.client.send(f.produce(broker.node(), 0, &completions), f.time->milliseconds());
    ASSERT_TRUE(f.pollUntil([&] { return completions > 0; }));
    ASSERT_EQ(f.responses.size(), 1u);
    EXPECT_FALSE(f.responses[0].hasResponse());
    EXPECT_FALSE(f.responses[0].wasDisconnected());
    EXPECT_EQ(f.client.inFlightRequestCount(), 0);
}

TEST(NetworkClient, AnAnswerCompletesItsRequestOnce) {
    FakeBroker broker(answerProduce);
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    f.client.send(f.produce(broker.node(), 1, &completions), f.time->milliseconds());
    EXPECT_EQ(f.client.inFlightRequestCount(), 1);
    ASSERT_TRUE(f.pollUntil([&] { return completions > 0; }));
    f.pollFor(200);  // nothing more may come
    EXPECT_EQ(completions, 1);
    ASSERT_EQ(f.responses.size(), 1u);
    EXPECT_TRUE(f.responses[0].hasResponse());
    EXPECT_EQ(f.client.inFlightRequestCount(), 0);
}

TEST(NetworkClient, ABrokerThatHangsUpFailsItsRequestsAsDisconnected) {
    FakeBroker broker([](const FakeRequest&) { return FakeReply{{}, {}, true}; });
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    f.client.send(f.produce(broker.node(), 1, &completions), f.time->milliseconds());
    ASSERT_TRUE(f.pollUntil([&] { return completions > 0; }));
    ASSERT_EQ(f.responses.size(), 1u);
    EXPECT_TRUE(f.responses[0].wasDisconnected());
    EXPECT_TRUE(f.client.connectionFailed(broker.node()));
    EXPECT_TRUE(f.metadata->updateRequested());  // a broker gone: look at the cluster again
}

TEST(NetworkClient, ARequestedMetadataUpdateGoesToTheLeastLoadedNode) {
    FakeBroker* self = nullptr;
    FakeBroker broker([&self](const FakeRequest& request) {
        return FakeReply{
            FakeBroker::metadataBody(request.header.apiVersion, {self->node()}, "orders", 3, 0),
            {},
            false};
    });
    self = &broker;
    ClientFixture f({broker.node()});
    const int version = f.metadata->requestUpdate();
    f.time->sleep(100);  // retry.backoff.ms since the last refresh
    ASSERT_TRUE(f.pollUntil([&] { return f.metadata->version() > version; }));
    EXPECT_EQ(broker.requests(ApiKeys::kMetadata).size(), 1u);
    EXPECT_EQ(f.metadata->fetch()->partitionCountForTopic("orders"), 3);
    EXPECT_EQ(f.metadata->fetch()->leaderFor({"orders", 2}), broker.node());
    EXPECT_TRUE(f.responses.empty());  // the client's own request: no caller to answer
}

}  // namespace
}  // namespace kafka::clients
