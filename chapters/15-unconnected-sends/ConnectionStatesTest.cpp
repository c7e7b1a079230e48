// Chapter 15: ClusterConnectionStates. A node may be connected to when it is new, or
// disconnected and past its backoff; the backoff counts from the failure and doubles with
// each failure in a row, up to reconnect.backoff.max.ms; a successful connection resets it.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "kafka/clients/ClusterConnectionStates.h"
#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients {
namespace {

constexpr std::int64_t kBackoff = 50;
constexpr std::int64_t kBackoffMax = 1000;

TEST(ConnectionStates, ANewNodeMayBeConnectedToAtOnce) {
    ClusterConnectionStates states(
        {.reconnectBackoffMs = kBackoff, .reconnectBackoffMaxMs = kBackoffMax, .jitter = 0.0});
    EXPECT_TRUE(states.canConnect("1", 0));
    EXPECT_EQ(states.state("1"), ConnectionState::kDisconnected);
    EXPECT_EQ(states.connectionDelay("1", 0), 0);
}

TEST(ConnectionStates, WhileConnectingNoSecondConnectionAndNoReasonToPoll) {
    ClusterConnectionStates states(
        {.reconnectBackoffMs = kBackoff, .reconnectBackoffMaxMs = kBackoffMax, .jitter = 0.0});
    states.connecting("1", 0);
    EXPECT_TRUE(states.isConnecting("1"));
    EXPECT_FALSE(states.canConnect("1", 10'000));
    // No timer to wake up for: the connection's completion or failure wakes the poll. (From
    // chapter 16 a setup timeout bounds the wait, 10 s by default: still no reason to poll now.)
    EXPECT_GE(states.connectionDelay("1", 10), 10'000 - 10);
}

TEST(ConnectionStates, AFailedConnectionWaitsOutItsBackoffFromTheMomentItFailed) {
    ClusterConnectionStates states(
        {.reconnectBackoffMs = kBackoff, .reconnectBackoffMaxMs = kBackoffMax, .jitter = 0.0});
    states.connecting("1", 0);
    states.disconnected("1", 100);  // refused after 100 ms
    EXPECT_TRUE(states.isBlackedOut("1", 110));
    EXPECT_FALSE(states.canConnect("1", 110));
    EXPECT_EQ(states.connectionDelay("1", 110), 40);
    EXPECT_TRUE(states.canConnect("1", 150));
    EXPECT_FALSE(states.isBlackedOut("1", 150));
    EXPECT_EQ(states.connectionDelay("1", 150), 0);
}

TEST(ConnectionStates, TheBackoffDoublesWithEachFailureUpToTheMaximum) {
    ClusterConnectionStates states(
        {.reconnectBackoffMs = kBackoff, .reconnectBackoffMaxMs = kBackoffMax, .jitter = 0.0});
    std::int64_t now = 0;
    std::vector<std::int64_t> backoffs;
    for (int failure = 0; failure < 7; ++failure) {
        states.connecting("1", now);
        states.disconnected("1", now);
        backoffs.push_back(states.reconnectBackoffMs("1"));
        now += backoffs.back();
    }
    EXPECT_EQ(backoffs, (std::vector<std::int64_t>{50, 100, 200, 400, 800, 1000, 1000}));
}

TEST(ConnectionStates, AReadyConnectionResetsTheBackoff) {
    ClusterConnectionStates states(
        {.reconnectBackoffMs = kBackoff, .reconnectBackoffMaxMs = kBackoffMax, .jitter = 0.0});
    for (int failure = 0; failure < 3; ++failure) {
        states.connecting("1", 0);
        states.disconnected("1", 0);
    }
    EXPECT_EQ(states.reconnectBackoffMs("1"), 200);
    states.connecting("1", 1000);
    states.ready("1");
    EXPECT_TRUE(states.isReady("1"));
    // Ready: no timer to wait for. The next send, or an answer, wakes the poll; a delay of 0
    // here once made the Sender spin while a full in-flight window kept the node busy.
    EXPECT_EQ(states.connectionDelay("1", 1000), std::numeric_limits<std::int64_t>::max());
    states.disconnected("1", 2000);
    EXPECT_EQ(states.reconnectBackoffMs("1"), 50) << "a fresh failure starts from the bottom";
}

TEST(ConnectionStates, JitterSpreadsTheBackoffWithinTwentyPercent) {
    ClusterConnectionStates states(
        {.reconnectBackoffMs = kBackoff, .reconnectBackoffMaxMs = kBackoffMax});  // jitter 0.2
    bool different = false;
    std::int64_t first = -1;
    for (int node = 0; node < 50; ++node) {
        const std::string id = std::to_string(node);
        states.connecting(id, 0);
        states.disconnected(id, 0);
        const auto backoff = states.reconnectBackoffMs(id);
        EXPECT_GE(backoff, 40);
        EXPECT_LE(backoff, 60);
        if (first < 0) first = backoff;
        different = different || backoff != first;
    }
    EXPECT_TRUE(different) << "fifty clients failing together must not retry together";
}

TEST(ConnectionStates, RemovingANodeForgetsItsBackoff) {
    ClusterConnectionStates states(
        {.reconnectBackoffMs = kBackoff, .reconnectBackoffMaxMs = kBackoffMax, .jitter = 0.0});
    states.connecting("1", 0);
    states.disconnected("1", 0);
    EXPECT_FALSE(states.canConnect("1", 1));
    states.remove("1");
    EXPECT_TRUE(states.canConnect("1", 1));
}

TEST(ConnectionStates, AStateChangeForAnUnknownNodeIsAnError) {
    ClusterConnectionStates states(
        {.reconnectBackoffMs = kBackoff, .reconnectBackoffMaxMs = kBackoffMax, .jitter = 0.0});
    EXPECT_THROW(states.ready("9"), common::errors::IllegalStateException);
    EXPECT_THROW(states.disconnected("9", 0), common::errors::IllegalStateException);
}

}  // namespace
}  // namespace kafka::clients
