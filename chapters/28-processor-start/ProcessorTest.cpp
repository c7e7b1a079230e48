// Chapter 28: the Processors run. Each has its own thread and selector; together they serve
// many connections, and a client that goes away is noticed and cleaned up by the Processor
// that served it, without disturbing the others.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kafka/common/utils/Time.h"
#include "kafka/network/SocketServer.h"
#include "kafka/server/KafkaConfig.h"
#include "support/BrokerClient.h"
#include "support/TestUtils.h"

namespace kafka::network {
namespace {

server::KafkaConfig configWith(int processors, const std::string& maxIdleMs = "600000") {
    return server::KafkaConfig(
        common::config::Properties{{"listeners", "PLAINTEXT://127.0.0.1:0"},
                                   {"num.network.threads", std::to_string(processors)},
                                   {"connections.max.idle.ms", maxIdleMs},
                                   {"broker.id", "5"}});
}

std::size_t servedInAll(const SocketServer& server) {
    std::size_t total = 0;
    for (const auto& processor : server.processors()) total += processor->connectionCount();
    return total;
}

TEST(Processor, EachProcessorIsAThreadNamedAsKafkaNamesIt) {
    SocketServer server(configWith(2), common::utils::Time::system());
    server.startup();
    const auto names = test::threadNames();
    // "kafka-network-thread-5-PLAINTEXT-0", cut to 15 characters by the kernel.
    EXPECT_EQ(std::count(names.begin(), names.end(), "kafka-network-t"), 2);
    EXPECT_EQ(std::count(names.begin(), names.end(), "kafka-socket-ac"), 1);
}

TEST(Processor, ProcessorsServeManyConnectionsAndCleanUpClosedOnes) {
    SocketServer server(configWith(3), common::utils::Time::system());
    server.startup();
    std::vector<std::unique_ptr<test::BrokerClient>> clients;
    for (int i = 0; i < 60; ++i)
        clients.push_back(std::make_unique<test::BrokerClient>(server.boundPort()));
    ASSERT_TRUE(test::eventually([&] { return servedInAll(server) == 60; }));
    for (const auto& processor : server.processors())
        EXPECT_EQ(processor->connectionCount(), 20u) << "processor " << processor->id();

    // Every other client leaves: its Processor sees the end of the stream and lets go.
    for (std::size_t i = 0; i < clients.size(); i += 2) clients[i]->close();
    ASSERT_TRUE(test::eventually([&] { return servedInAll(server) == 30; }));
    clients.clear();
    EXPECT_TRUE(test::eventually([&] { return servedInAll(server) == 0; }));
}

TEST(Processor, ShutdownClosesTheConnectionsItServes) {
    SocketServer server(configWith(2), common::utils::Time::system());
    server.startup();
    test::BrokerClient client(server.boundPort());
    ASSERT_TRUE(test::eventually([&] { return servedInAll(server) == 1; }));
    server.shutdown();
    EXPECT_TRUE(client.closedByPeer()) << "the client is told, by the end of its stream";
}

// A client that connects and says nothing, or stops in the middle of a
// frame, would hold its socket and memory forever. Kafka's Processor closes a connection idle
// for connections.max.idle.ms (ten minutes by default); here 300 ms.
TEST(Processor, AConnectionIdleForConnectionsMaxIdleMsIsClosed) {
    SocketServer server(configWith(1, "300"), common::utils::Time::system());
    server.startup();
    test::BrokerClient silent(server.boundPort());
    test::BrokerClient halfAFrame(server.boundPort());
    halfAFrame.sendRaw(common::utils::Bytes{0, 0, 0});  // three bytes of a size
    ASSERT_TRUE(test::eventually([&] { return servedInAll(server) == 2; }));
    EXPECT_TRUE(silent.closedByPeer());
    EXPECT_TRUE(halfAFrame.closedByPeer());
    EXPECT_TRUE(test::eventually([&] { return servedInAll(server) == 0; }));
}

TEST(Processor, AConnectionWithTrafficStaysOpen) {
    SocketServer server(configWith(1, "300"), common::utils::Time::system());
    server.startup();
    test::BrokerClient talker(server.boundPort());
    // A byte every 100 ms for a second: never 300 ms without one (a frame of 16 bytes
    // announced, then its body, slowly).
    talker.sendRaw(common::utils::Bytes{0, 0, 0, 16});
    for (int i = 0; i < 10; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        talker.sendRaw(common::utils::Bytes{0});
    }
    EXPECT_FALSE(talker.closedByPeer(std::chrono::milliseconds(50)));
    EXPECT_EQ(servedInAll(server), 1u);
}

}  // namespace
}  // namespace kafka::network
