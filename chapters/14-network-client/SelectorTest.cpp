// Chapter 14: the Selector. One thread, one selector, several brokers at once: connections
// complete, frames go out and come back, and every failure shows up as a disconnect instead
// of a hang. The servers are real sockets on 127.0.0.1.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/network/NetworkSend.h"
#include "kafka/common/network/Selector.h"
#include "support/LoopbackServer.h"

namespace kafka::common::network {
namespace {

using test::LoopbackServer;
namespace asio = boost::asio;
using boost::asio::ip::tcp;
using test::pollUntil;
using test::Seen;

NetworkSend sendTo(const std::string& id, const std::string& payload) {
    return NetworkSend(id, utils::toBytes(payload));
}

TEST(Selector, OneSelectorTalksToThreeServersAtOnce) {
    LoopbackServer a(LoopbackServer::echoFrames), b(LoopbackServer::echoFrames),
        c(LoopbackServer::echoFrames);
    Selector selector;
    selector.connect("1", "127.0.0.1", a.port());
    selector.connect("2", "127.0.0.1", b.port());
    selector.connect("3", "127.0.0.1", c.port());
    Seen seen;
    ASSERT_TRUE(pollUntil(selector, seen, [](const Seen& s) { return s.connected.size() == 3; }));
    std::sort(seen.connected.begin(), seen.connected.end());
    EXPECT_EQ(seen.connected, (std::vector<std::string>{"1", "2", "3"}));

    for (const std::string id : {"1", "2", "3"}) {
        EXPECT_TRUE(selector.isChannelReady(id));
        selector.send(sendTo(id, "hello " + id));
        EXPECT_FALSE(selector.isChannelReady(id)) << "one send at a time";
    }
    ASSERT_TRUE(pollUntil(selector, seen, [](const Seen& s) {
        return s.receives.size() == 3 && s.completedSends == 3;
    }));
    std::sort(seen.receives.begin(), seen.receives.end());
    EXPECT_EQ(seen.receives, (std::vector<std::pair<std::string, std::string>>{
                                 {"1", "hello 1"}, {"2", "hello 2"}, {"3", "hello 3"}}));
    EXPECT_TRUE(seen.disconnected.empty());
}

TEST(Selector, ARefusedConnectionIsADisconnectNotAHang) {
    int closedPort = 0;
    {
        LoopbackServer gone(LoopbackServer::echoFrames);
        closedPort = gone.port();
    }  // nothing listens there any more
    Selector selector;
    selector.connect("1", "127.0.0.1", closedPort);
    Seen seen;
    ASSERT_TRUE(pollUntil(selector, seen, [](const Seen& s) { return !s.disconnected.empty(); }));
    EXPECT_EQ(seen.disconnected, std::vector<std::string>{"1"});
    EXPECT_TRUE(seen.connected.empty());
    EXPECT_FALSE(selector.isConnected("1"));
    selector.connect("1", "127.0.0.1", closedPort);  // the id is free again
}

TEST(Selector, AServerThatHangsUpIsADisconnect) {
    LoopbackServer rude([](tcp::socket& socket) { socket.close(); });
    Selector selector;
    selector.connect("1", "127.0.0.1", rude.port());
    Seen seen;
    ASSERT_TRUE(pollUntil(selector, seen, [](const Seen& s) { return !s.disconnected.empty(); }));
    EXPECT_EQ(seen.disconnected, std::vector<std::string>{"1"});
}

TEST(Selector, WakeupEndsALongPollFromAnotherThread) {
    Selector selector;
    auto waking = std::async(std::launch::async, [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        selector.wakeup();
    });
    const auto start = std::chrono::steady_clock::now();
    selector.poll(60'000);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30))
        << "the wakeup did not reach the poll";
    waking.get();
}

TEST(Selector, MisuseIsAnError) {
    LoopbackServer server(LoopbackServer::echoFrames);
    Selector selector;
    EXPECT_THROW(selector.send(sendTo("9", "nobody")), errors::IllegalStateException);
    selector.connect("1", "127.0.0.1", server.port());
    EXPECT_THROW(selector.connect("1", "127.0.0.1", server.port()), errors::IllegalStateException);
    EXPECT_THROW(selector.send(sendTo("1", "too early")), errors::IllegalStateException)
        << "not connected yet";
    Seen seen;
    ASSERT_TRUE(pollUntil(selector, seen, [](const Seen& s) { return !s.connected.empty(); }));
    selector.send(sendTo("1", "first"));
    EXPECT_THROW(selector.send(sendTo("1", "second")), errors::IllegalStateException);
    EXPECT_THROW(selector.connect("x", "no-such-host.invalid", 9092), errors::KafkaException);
}

TEST(Selector, ClosingAConnectionIsNotReportedAsADisconnect) {
    LoopbackServer server(LoopbackServer::echoFrames);
    Selector selector;
    selector.connect("1", "127.0.0.1", server.port());
    Seen seen;
    ASSERT_TRUE(pollUntil(selector, seen, [](const Seen& s) { return !s.connected.empty(); }));
    selector.close("1");
    selector.poll(0);
    EXPECT_TRUE(selector.disconnected().empty());
    EXPECT_FALSE(selector.isConnected("1"));
}

}  // namespace
}  // namespace kafka::common::network
