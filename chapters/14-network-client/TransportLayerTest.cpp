// Chapter 14: the transport layer. A plaintext TCP socket that connects without waiting, sets
// TCP_NODELAY once connected (small requests must not wait for Nagle's algorithm), and carries
// bytes both ways; closing it aborts what is pending instead of leaving it hanging.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "kafka/common/network/PlaintextTransportLayer.h"
#include "support/LoopbackServer.h"

namespace kafka::common::network {
namespace {

using test::LoopbackServer;
namespace asio = boost::asio;
using asio::ip::tcp;

TEST(PlaintextTransportLayer, ConnectsWithNoDelayAndCarriesBytesBothWays) {
    LoopbackServer server(LoopbackServer::echoFrames);
    asio::io_context io;
    PlaintextTransportLayer transport(io);
    bool connected = false;
    transport.connect(tcp::resolver(io).resolve("127.0.0.1", std::to_string(server.port())),
                      [&](const PlaintextTransportLayer::ErrorCode& error) { connected = !error; });
    io.run_for(std::chrono::seconds(5));
    ASSERT_TRUE(connected);
    EXPECT_TRUE(transport.noDelay());

    const auto frame = LoopbackServer::frame("ping");
    std::size_t written = 0;
    // One buffer in the list: the Selector passes a send's size and its pieces (chapter 17).
    transport.write({std::span<const std::uint8_t>(frame)},
                    [&](const PlaintextTransportLayer::ErrorCode&, std::size_t n) { written = n; });
    std::array<std::uint8_t, 64> buffer{};
    std::size_t read = 0;
    io.restart();
    io.run_for(std::chrono::seconds(5));
    ASSERT_EQ(written, frame.size());
    transport.read(buffer,
                   [&](const PlaintextTransportLayer::ErrorCode&, std::size_t n) { read = n; });
    io.restart();
    io.run_for(std::chrono::seconds(5));
    ASSERT_GE(read, 4u);
    EXPECT_EQ(std::string(buffer.begin() + 4, buffer.begin() + static_cast<long>(read)), "ping");
    transport.close();
}

TEST(PlaintextTransportLayer, CloseAbortsAPendingRead) {
    LoopbackServer server(LoopbackServer::echoFrames);
    asio::io_context io;
    PlaintextTransportLayer transport(io);
    transport.connect(tcp::resolver(io).resolve("127.0.0.1", std::to_string(server.port())),
                      [](const PlaintextTransportLayer::ErrorCode&) {});
    io.run_for(std::chrono::seconds(5));
    std::array<std::uint8_t, 16> buffer{};
    PlaintextTransportLayer::ErrorCode outcome;
    bool completed = false;
    transport.read(buffer, [&](const PlaintextTransportLayer::ErrorCode& error, std::size_t) {
        outcome = error;
        completed = true;
    });
    transport.close();
    io.restart();
    io.run_for(std::chrono::seconds(5));
    ASSERT_TRUE(completed);
    EXPECT_EQ(outcome, asio::error::operation_aborted);
}

// Asio never runs a handler inside the call that starts the operation; nor does connect() when
// it fails before any I/O (no address, no socket to open): the Selector would otherwise report
// the disconnect in the middle of connect(), before the poll that clears its lists.
TEST(PlaintextTransportLayer, AFailureBeforeAnyIoIsReportedByTheIoContextNotInline) {
    asio::io_context io;
    PlaintextTransportLayer transport(io);
    bool called = false;
    PlaintextTransportLayer::ErrorCode seen;
    transport.connect(tcp::resolver::results_type(),
                      [&](const PlaintextTransportLayer::ErrorCode& error) {
                          called = true;
                          seen = error;
                      });
    EXPECT_FALSE(called) << "the handler ran inside connect()";
    io.poll();
    EXPECT_TRUE(called);
    EXPECT_EQ(seen, asio::error::host_not_found);
}

}  // namespace
}  // namespace kafka::common::network
