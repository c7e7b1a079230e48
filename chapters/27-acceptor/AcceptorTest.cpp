// Chapter 27: the Acceptor. It binds (a taken port fails the startup, saying which), accepts,
// and hands the connections to the Processors round robin: 3 Processors and 30 clients make
// 10 each.
#include <gtest/gtest.h>

#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/Time.h"
#include "kafka/network/SocketServer.h"
#include "kafka/server/KafkaConfig.h"
#include "support/BrokerClient.h"
#include "support/TestUtils.h"

namespace kafka::network {
namespace {

server::KafkaConfig configWith(int processors, int port = 0) {
    return server::KafkaConfig(
        common::config::Properties{{"listeners", "PLAINTEXT://127.0.0.1:" + std::to_string(port)},
                                   {"num.network.threads", std::to_string(processors)}});
}

std::size_t acceptedInAll(const SocketServer& server) {
    std::size_t total = 0;
    for (const auto& processor : server.processors()) total += processor->acceptedCount();
    return total;
}

TEST(Acceptor, PortZeroBindsAFreePortAndSaysWhichOne) {
    SocketServer server(configWith(1), common::utils::Time::system());
    server.startup();
    EXPECT_GT(server.boundPort(), 0);
    test::BrokerClient client(server.boundPort());  // connects: it really listens there
    EXPECT_TRUE(test::eventually([&] { return acceptedInAll(server) == 1; }));
}

TEST(Acceptor, ConnectionsAreSpreadRoundRobinOverTheProcessors) {
    SocketServer server(configWith(3), common::utils::Time::system());
    server.startup();
    std::vector<std::unique_ptr<test::BrokerClient>> clients;
    for (int i = 0; i < 30; ++i) {
        clients.push_back(std::make_unique<test::BrokerClient>(server.boundPort()));
        // One at a time, so that the order of accepting is the order of connecting.
        ASSERT_TRUE(test::eventually([&] { return acceptedInAll(server) == clients.size(); }));
        EXPECT_EQ(server.processors()[static_cast<std::size_t>(i % 3)]->acceptedCount(),
                  static_cast<std::size_t>(i / 3 + 1))
            << "connection " << i << " goes to processor " << i % 3;
    }
    for (const auto& processor : server.processors()) EXPECT_EQ(processor->acceptedCount(), 10u);
}

TEST(Acceptor, ATakenPortFailsTheStartupWithAClearError) {
    SocketServer first(configWith(1), common::utils::Time::system());
    first.startup();
    SocketServer second(configWith(1, first.boundPort()), common::utils::Time::system());
    try {
        second.startup();
        FAIL() << "two servers bound the same port";
    } catch (const common::errors::KafkaException& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("Socket server failed to bind to 127.0.0.1:" +
                               std::to_string(first.boundPort())),
                  std::string::npos)
            << message;
        EXPECT_NE(message.find("in use"), std::string::npos) << message;
    }
}

}  // namespace
}  // namespace kafka::network
