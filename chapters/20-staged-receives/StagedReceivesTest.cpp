// Chapter 20 over real sockets: frames that arrive together are staged, and the selector hands
// out at most one per connection per poll, in order, without waiting while one is staged.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <string>
#include <vector>

#include "kafka/common/network/Selector.h"
#include "support/LoopbackServer.h"

namespace kafka::common::network {
namespace {

using test::LoopbackServer;
namespace asio = boost::asio;
using boost::asio::ip::tcp;

// A server that writes its frames with one write, then hangs up.
LoopbackServer::Session writesAndHangsUp(std::vector<std::string> payloads) {
    return [payloads = std::move(payloads)](tcp::socket& socket) {
        utils::Bytes glued;
        for (const auto& payload : payloads) {
            const auto frame = LoopbackServer::frame(payload);
            glued.insert(glued.end(), frame.begin(), frame.end());
        }
        asio::write(socket, asio::buffer(glued));
        socket.shutdown(tcp::socket::shutdown_send);  // the end of the stream follows at once
    };
}

// How many frames each connection handed out in one poll.
std::map<std::string, int> perConnection(const Selector& selector) {
    std::map<std::string, int> counts;
    for (const auto& receive : selector.completedReceives()) ++counts[receive.source()];
    return counts;
}

TEST(StagedReceives, FramesReadTogetherComeOutOnePerPollInOrderEvenAfterThePeerHangsUp) {
    LoopbackServer server(writesAndHangsUp({"first", "second", "third"}));
    Selector selector;
    selector.connect("1", "127.0.0.1", server.port());
    test::Seen seen;
    int polls = 0;
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (seen.disconnected.empty() && std::chrono::steady_clock::now() < giveUp) {
        selector.poll(100);
        ++polls;
        ASSERT_LE(selector.completedReceives().size(), 1u) << "poll " << polls;
        for (const auto& receive : selector.completedReceives())
            seen.receives.emplace_back(receive.source(), utils::toString(receive.payload()));
        for (const auto& id : selector.disconnected()) seen.disconnected.push_back(id);
    }
    // The three frames most likely came in one read; each is still handed out, in order, and
    // the end of the stream is seen only after the last of them (nothing staged is dropped).
    EXPECT_EQ(seen.receives, (std::vector<std::pair<std::string, std::string>>{
                                 {"1", "first"}, {"1", "second"}, {"1", "third"}}));
    EXPECT_EQ(seen.disconnected, std::vector<std::string>{"1"});
}

TEST(StagedReceives, APollWithAStagedFrameDoesNotWait) {
    LoopbackServer server(writesAndHangsUp({"a", "b"}));
    Selector selector;
    selector.connect("1", "127.0.0.1", server.port());
    test::Seen seen;
    ASSERT_TRUE(
        test::pollUntil(selector, seen, [](const test::Seen& s) { return !s.receives.empty(); }));
    ASSERT_EQ(seen.receives.size(), 1u);
    // "b" is staged: a poll that may wait an hour must hand it out without waiting. The
    // future's bound only turns a poll that waits into a failure instead of a stuck test.
    auto poll = std::async(std::launch::async, [&] {
        selector.poll(60LL * 60 * 1000);
        return perConnection(selector);
    });
    ASSERT_EQ(poll.wait_for(std::chrono::seconds(10)), std::future_status::ready)
        << "the poll waited although a frame was staged";
    EXPECT_EQ(poll.get(), (std::map<std::string, int>{{"1", 1}}));
}

TEST(StagedReceives, EachConnectionHandsOutOneFramePerPoll) {
    LoopbackServer left(writesAndHangsUp({"l1", "l2", "l3"}));
    LoopbackServer right(writesAndHangsUp({"r1", "r2", "r3"}));
    Selector selector;
    selector.connect("left", "127.0.0.1", left.port());
    selector.connect("right", "127.0.0.1", right.port());
    std::map<std::string, std::vector<std::string>> payloads;
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while ((payloads["left"].size() < 3 || payloads["right"].size() < 3) &&
           std::chrono::steady_clock::now() < giveUp) {
        selector.poll(100);
        for (const auto& [id, count] : perConnection(selector))
            EXPECT_EQ(count, 1) << id << " handed out " << count << " frames in one poll";
        for (const auto& receive : selector.completedReceives())
            payloads[receive.source()].push_back(utils::toString(receive.payload()));
    }
    EXPECT_EQ(payloads["left"], (std::vector<std::string>{"l1", "l2", "l3"}));
    EXPECT_EQ(payloads["right"], (std::vector<std::string>{"r1", "r2", "r3"}));
}

}  // namespace
}  // namespace kafka::common::network
