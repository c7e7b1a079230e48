// Chapter 16: what a connection is set up with, and when it is let go. The socket's buffers
// are sized before it connects (send.buffer.bytes, receive.buffer.bytes), and a connection
// that has carried nothing for connections.max.idle.ms is closed, as Kafka's Selector closes
// it (IdleExpiryManager), and reported like any other disconnect. Before,
// these three settings were accepted and never read.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "kafka/common/network/NetworkSend.h"
#include "kafka/common/network/Selector.h"
#include "kafka/common/utils/Bytes.h"
#include "support/LoopbackServer.h"

namespace kafka::common::network {
namespace {

using test::LoopbackServer;
using test::pollUntil;
using test::Seen;
using namespace std::chrono_literals;

// The buffer size `option` (SO_SNDBUF, SO_RCVBUF) of this process's socket connected to
// 127.0.0.1:port: the test runs in the client's process, so it can look at its sockets.
std::optional<int> socketOptionOfConnectionTo(int port, int option) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        const int fd = std::atoi(entry.path().filename().c_str());
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) continue;
        if (peer.ss_family != AF_INET) continue;
        if (ntohs(reinterpret_cast<sockaddr_in&>(peer).sin_port) != port) continue;
        int value = 0;
        socklen_t size = sizeof value;
        if (::getsockopt(fd, SOL_SOCKET, option, &value, &size) == 0) return value;
    }
    return std::nullopt;
}

// A Selector with `settings`, connected to `server` as node "1".
std::unique_ptr<Selector> connectedTo(const LoopbackServer& server, Selector::Settings settings) {
    auto selector = std::make_unique<Selector>(settings);
    selector->connect("1", "127.0.0.1", server.port());
    Seen seen;
    EXPECT_TRUE(pollUntil(*selector, seen, [](const Seen& s) { return !s.connected.empty(); }));
    return selector;
}

TEST(IdleConnections, TheSocketBuffersAreSizedAsConfigured) {
    LoopbackServer server(LoopbackServer::echoFrames);
    const auto selector =
        connectedTo(server, {.sendBufferBytes = 64 * 1024, .receiveBufferBytes = 16 * 1024});
    // Linux keeps twice what it is asked for (half of it for its own bookkeeping).
    EXPECT_EQ(socketOptionOfConnectionTo(server.port(), SO_SNDBUF), 2 * 64 * 1024);
    EXPECT_EQ(socketOptionOfConnectionTo(server.port(), SO_RCVBUF), 2 * 16 * 1024);
}

TEST(IdleConnections, AConnectionThatCarriesNothingIsClosedAfterTheMaximumIdleTime) {
    LoopbackServer server(LoopbackServer::echoFrames);
    const auto selector = connectedTo(server, {.connectionMaxIdleMs = 300});
    const auto connected = std::chrono::steady_clock::now();
    Seen seen;
    ASSERT_TRUE(pollUntil(*selector, seen, [](const Seen& s) { return !s.disconnected.empty(); }))
        << "an idle connection is never closed";
    EXPECT_GE(std::chrono::steady_clock::now() - connected, 300ms);
    EXPECT_EQ(seen.disconnected, std::vector<std::string>{"1"});
    EXPECT_FALSE(selector->isConnected("1"));
}

TEST(IdleConnections, TrafficKeepsAConnectionOpen) {
    LoopbackServer server(LoopbackServer::echoFrames);
    const auto selector = connectedTo(server, {.connectionMaxIdleMs = 300});
    Seen seen;
    // An echo every 100 ms for a second: three times the idle limit, never idle for it.
    for (int i = 1; i <= 10; ++i) {
        selector->send(NetworkSend("1", utils::toBytes("ping")));
        ASSERT_TRUE(pollUntil(*selector, seen, [i](const Seen& s) {
            return static_cast<int>(s.receives.size()) == i;
        }));
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_TRUE(seen.disconnected.empty());
    EXPECT_TRUE(selector->isConnected("1"));
}

TEST(IdleConnections, MinusOneMeansNever) {
    LoopbackServer server(LoopbackServer::echoFrames);
    const auto selector = connectedTo(server, {});  // connectionMaxIdleMs = -1
    const auto until = std::chrono::steady_clock::now() + 500ms;
    while (std::chrono::steady_clock::now() < until) selector->poll(100);
    EXPECT_TRUE(selector->isConnected("1"));
}

}  // namespace
}  // namespace kafka::common::network
