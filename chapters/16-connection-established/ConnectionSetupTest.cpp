// Chapter 16: a connection that is never set up. A connect() to an address that drops packets
// stays "in progress" until the kernel gives up, about two minutes later; meanwhile the client
// would count the node as connecting, send it its metadata request as soon as it connects, and
// learn nothing. Kafka gives every connection attempt socket.connection.setup.timeout.ms
// (10 s), doubling with each failure in a row up to socket.connection.setup.timeout.max.ms
// (30 s), with the same jitter as the reconnect backoff (KIP-601), and then closes it.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "kafka/clients/ClusterConnectionStates.h"
#include "support/Blackhole.h"
#include "support/NetworkClientFixture.h"

namespace kafka::clients {
namespace {

using test::FakeBroker;
using test::FakeReply;
using test::FakeRequest;

ClusterConnectionStates::Settings noJitter() {
    return {.reconnectBackoffMs = 50,
            .reconnectBackoffMaxMs = 1000,
            .connectionSetupTimeoutMs = 1000,
            .connectionSetupTimeoutMaxMs = 8000,
            .jitter = 0.0};
}

TEST(ConnectionSetup, AnAttemptThatTakesLongerThanTheSetupTimeoutIsGivenUp) {
    ClusterConnectionStates states(noJitter());
    states.connecting("1", 0);
    EXPECT_EQ(states.connectionDelay("1", 400), 600) << "the setup time left bounds the poll";
    EXPECT_TRUE(states.nodesWithConnectionSetupTimeout(1000).empty());
    EXPECT_EQ(states.nodesWithConnectionSetupTimeout(1001), std::vector<std::string>{"1"});
}

TEST(ConnectionSetup, TheTimeoutDoublesWithEachFailedAttemptUpToItsMaximum) {
    ClusterConnectionStates states(noJitter());
    std::vector<std::int64_t> timeouts;
    std::int64_t now = 0;
    for (int attempt = 0; attempt < 6; ++attempt) {
        states.connecting("1", now);
        timeouts.push_back(states.connectionSetupTimeoutMs("1"));
        now += timeouts.back() + 1;
        states.disconnected("1", now);
        now += 1000;  // past the reconnect backoff
    }
    EXPECT_EQ(timeouts, (std::vector<std::int64_t>{1000, 2000, 4000, 8000, 8000, 8000}));
    states.connecting("1", now);
    states.ready("1");
    states.disconnected("1", now);
    states.connecting("1", now + 1000);
    EXPECT_EQ(states.connectionSetupTimeoutMs("1"), 1000) << "a connection that worked resets it";
}

// The case: bootstrap.servers names an address that drops packets, and a live broker.
TEST(ConnectionSetup, AnAddressThatDropsPacketsDoesNotKeepTheClientFromTheOthers) {
    test::Blackhole blackhole;
    FakeBroker* self = nullptr;
    FakeBroker broker([&self](const FakeRequest& request) {
        return FakeReply{
            FakeBroker::metadataBody(request.header.apiVersion, {self->node()}, "orders", 3, 0),
            {},
            false};
    });
    self = &broker;
    test::NetworkClientFixture f({blackhole.node(-1), broker.node(-2)});
    f.client.ready(blackhole.node(-1), f.time->milliseconds());  // the first attempt hangs
    const int version = f.metadata->requestUpdate();
    // The fake clock moves a second a poll, so setup timeouts (10 s, then 20 s, ... if the
    // client happens to try the same address again) run out in a few dozen polls.
    ASSERT_TRUE(f.pollUntil([&] {
        f.time->sleep(1000);
        return f.metadata->version() > version;
    })) << "no metadata: the client is still waiting for the address that drops packets";
    EXPECT_EQ(f.metadata->fetch()->partitionCountForTopic("orders"), 3);
    EXPECT_FALSE(f.client.connectionStates().isConnecting("-1")) << "the attempt was given up";
}

}  // namespace
}  // namespace kafka::clients
