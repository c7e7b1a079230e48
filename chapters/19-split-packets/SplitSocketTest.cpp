// Chapter 19 over real sockets: a frame trickled one byte per write still arrives whole, and a
// server that sends a negative size loses its own connection and nobody else's.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "kafka/common/network/NetworkSend.h"
#include "kafka/common/network/Selector.h"
#include "support/LoopbackServer.h"

namespace kafka::common::network {
namespace {

using test::LoopbackServer;
namespace asio = boost::asio;
using boost::asio::ip::tcp;

TEST(SplitSocket, AFrameTrickledOneByteAtATimeArrivesWhole) {
    const std::string payload = "a response that takes its time";
    LoopbackServer server([&](tcp::socket& socket) {
        for (std::uint8_t byte : LoopbackServer::frame(payload)) {
            asio::write(socket, asio::buffer(&byte, 1));
            // Not synchronisation: a pause so that the bytes travel in separate segments.
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    Selector selector;
    selector.connect("1", "127.0.0.1", server.port());
    test::Seen seen;
    ASSERT_TRUE(
        test::pollUntil(selector, seen, [](const test::Seen& s) { return !s.receives.empty(); }));
    EXPECT_EQ(seen.receives, (std::vector<std::pair<std::string, std::string>>{{"1", payload}}));
}

TEST(SplitSocket, GarbageClosesOnlyItsOwnConnection) {
    LoopbackServer garbage([](tcp::socket& socket) {
        const std::uint8_t negative[] = {0xff, 0xff, 0xff, 0xfe, 'x'};
        asio::write(socket, asio::buffer(negative));
        std::this_thread::sleep_for(std::chrono::seconds(1));  // keep the socket open meanwhile
    });
    LoopbackServer good(LoopbackServer::echoFrames);
    Selector selector;
    selector.connect("bad", "127.0.0.1", garbage.port());
    selector.connect("good", "127.0.0.1", good.port());
    test::Seen seen;
    ASSERT_TRUE(test::pollUntil(selector, seen, [](const test::Seen& s) {
        return !s.disconnected.empty() && s.connected.size() == 2;
    }));
    EXPECT_EQ(seen.disconnected, std::vector<std::string>{"bad"});

    selector.send(NetworkSend("good", utils::toBytes("still here?")));
    ASSERT_TRUE(
        test::pollUntil(selector, seen, [](const test::Seen& s) { return !s.receives.empty(); }));
    EXPECT_EQ(seen.receives,
              (std::vector<std::pair<std::string, std::string>>{{"good", "still here?"}}));
}

}  // namespace
}  // namespace kafka::common::network
