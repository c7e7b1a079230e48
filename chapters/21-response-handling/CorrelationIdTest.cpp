// Chapter 21: a response is matched to its request by position (the oldest in flight on that
// connection) and checked by correlation id. A mismatch means the stream is out of step:
// the client does not guess, it closes the connection, and the request completes once, as
// disconnected, so that the sender can retry it.
#include <gtest/gtest.h>

#include <atomic>

#include "support/NetworkClientFixture.h"

namespace kafka::clients {
namespace {

using test::FakeBroker;
using test::FakeReply;
using test::FakeRequest;
using ClientFixture = test::NetworkClientFixture;

TEST(CorrelationId, AMatchingAnswerCompletesTheRequestWithItsBody) {
    FakeBroker broker(test::answerProduce);
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    f.client.send(f.produce(broker.node(), 1, &completions), f.time->milliseconds());
    ASSERT_TRUE(f.pollUntil([&] { return completions == 1; }));
    EXPECT_TRUE(f.responses.at(0).hasResponse());
    EXPECT_FALSE(f.responses.at(0).wasDisconnected());
}

TEST(CorrelationId, AMismatchClosesTheConnectionAndFailsTheRequestOnce) {
    FakeBroker broker([](const FakeRequest& request) {
        FakeReply reply = test::answerProduce(request);
        reply.correlationId = request.header.correlationId + 100;
        return reply;
    });
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    f.client.send(f.produce(broker.node(), 1, &completions), f.time->milliseconds());
    ASSERT_TRUE(f.pollUntil([&] { return completions > 0; }));
    f.pollFor(100);
    EXPECT_EQ(completions, 1);
    ASSERT_EQ(f.responses.size(), 1u);
    EXPECT_TRUE(f.responses[0].wasDisconnected());
    EXPECT_FALSE(f.responses[0].hasResponse());
    EXPECT_TRUE(f.client.connectionFailed(broker.node()));
    EXPECT_EQ(f.client.inFlightRequestCount(), 0);
}

TEST(CorrelationId, AnAnswerNobodyAskedForClosesTheConnection) {
    // The broker answers an acks=0 request, which expects nothing.
    FakeBroker broker([](const FakeRequest& request) {
        return FakeReply{
            FakeBroker::produceBody(request.header.apiVersion, "t", 0, 0, 1), {}, false};
    });
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    f.client.send(f.produce(broker.node(), 0, &completions), f.time->milliseconds());
    ASSERT_TRUE(f.pollUntil([&] { return f.client.connectionFailed(broker.node()); }));
    EXPECT_EQ(completions, 1);  // it was done when sent; the stray answer changes nothing
}

// A bug this test guards against: a Metadata answer that did not parse, or came out of step, left
// the client believing a metadata request was still in flight, for good: it never asked again,
// so it never learned of a new leader, and every send() to a new topic timed out.
TEST(CorrelationId, AMetadataAnswerOutOfStepDoesNotStopLaterRefreshes) {
    FakeBroker* self = nullptr;
    std::atomic<int> metadataRequests{0};
    FakeBroker broker([&](const FakeRequest& request) {
        FakeReply reply{
            FakeBroker::metadataBody(request.header.apiVersion, {self->node()}, "orders", 3, 0),
            {},
            false};
        if (++metadataRequests == 1) reply.correlationId = request.header.correlationId + 1;
        return reply;
    });
    self = &broker;
    ClientFixture f({broker.node()});
    const int version = f.metadata->requestUpdate();
    // The fake clock moves 10 ms a poll, so that backoffs (reconnect, retry) run out.
    ASSERT_TRUE(f.pollUntil([&] {
        f.time->sleep(10);
        return f.metadata->version() > version;
    })) << "no metadata after "
        << metadataRequests.load() << " request(s)";
    EXPECT_EQ(metadataRequests.load(), 2) << "asked again after the answer out of step";
    EXPECT_EQ(f.metadata->fetch()->partitionCountForTopic("orders"), 3);
}

TEST(CorrelationId, AMetadataAnswerThatDoesNotParseDoesNotStopLaterRefreshes) {
    FakeBroker* self = nullptr;
    std::atomic<int> metadataRequests{0};
    FakeBroker broker([&](const FakeRequest& request) {
        auto body =
            FakeBroker::metadataBody(request.header.apiVersion, {self->node()}, "orders", 3, 0);
        if (++metadataRequests == 1) body.resize(body.size() / 2);  // cut short
        return FakeReply{std::move(body), {}, false};
    });
    self = &broker;
    ClientFixture f({broker.node()});
    const int version = f.metadata->requestUpdate();
    ASSERT_TRUE(f.pollUntil([&] {
        f.time->sleep(10);
        return f.metadata->version() > version;
    })) << "no metadata after "
        << metadataRequests.load() << " request(s)";
    EXPECT_EQ(f.metadata->fetch()->partitionCountForTopic("orders"), 3);
}

}  // namespace
}  // namespace kafka::clients
