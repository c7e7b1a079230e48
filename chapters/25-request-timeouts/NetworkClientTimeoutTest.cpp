// Chapter 25: a broker that never answers. Once the oldest request to it has waited longer
// than its request.timeout.ms, the client presumes the connection dead: it closes it, and every
// request on it completes as disconnected, which the sender may retry.
#include <gtest/gtest.h>

#include "support/NetworkClientFixture.h"

namespace kafka::clients {
namespace {

using test::FakeBroker;
using test::FakeReply;
using test::FakeRequest;
using ClientFixture = test::NetworkClientFixture;

TEST(RequestTimeout, ASilentBrokerIsDisconnectedAfterTheRequestTimeout) {
    FakeBroker broker([](const FakeRequest&) { return FakeReply{}; });  // never answers
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    auto request = f.produce(broker.node(), 1, &completions);
    request.requestTimeoutMs = 1000;
    f.client.send(std::move(request), f.time->milliseconds());
    ASSERT_TRUE(
        f.pollUntil([&] { return !broker.requests(common::protocol::ApiKeys::kProduce).empty(); }));

    f.time->sleep(1000);  // exactly the timeout: not yet
    f.pollFor(50);
    EXPECT_EQ(completions, 0);

    f.time->sleep(1);
    ASSERT_TRUE(f.pollUntil([&] { return completions > 0; }));
    EXPECT_EQ(completions, 1);
    EXPECT_TRUE(f.responses.at(0).wasDisconnected());
    EXPECT_TRUE(f.client.connectionFailed(broker.node()));
    EXPECT_EQ(f.client.inFlightRequestCount(), 0);
}

}  // namespace
}  // namespace kafka::clients
