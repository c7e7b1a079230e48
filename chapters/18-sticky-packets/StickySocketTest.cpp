// Chapter 18 over a real socket: a server writes three responses with one write; the
// selector reports three receives, in order.
#include <gtest/gtest.h>

#include <string>

#include "kafka/common/network/Selector.h"
#include "support/LoopbackServer.h"

namespace kafka::common::network {
namespace {

using test::LoopbackServer;
namespace asio = boost::asio;
using boost::asio::ip::tcp;

TEST(StickySocket, ThreeResponsesInOneWriteAreThreeReceives) {
    LoopbackServer server([](tcp::socket& socket) {
        utils::Bytes glued;
        for (const std::string payload : {"response 0", "response 1", "response 2"}) {
            const auto frame = LoopbackServer::frame(payload);
            glued.insert(glued.end(), frame.begin(), frame.end());
        }
        asio::write(socket, asio::buffer(glued));  // one write: one TCP segment, most likely
    });
    Selector selector;
    selector.connect("1", "127.0.0.1", server.port());
    test::Seen seen;
    ASSERT_TRUE(test::pollUntil(selector, seen,
                                [](const test::Seen& s) { return s.receives.size() == 3; }));
    EXPECT_EQ(seen.receives, (std::vector<std::pair<std::string, std::string>>{
                                 {"1", "response 0"}, {"1", "response 1"}, {"1", "response 2"}}));
}

}  // namespace
}  // namespace kafka::common::network
