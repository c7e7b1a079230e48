// Chapter 26: the broker's settings and its life cycle. server.properties keys with Kafka's
// defaults, bad values refused with the key and the value named, and a broker that starts
// and stops in order, leaving no thread and no socket behind (from chapter 27 on, when it
// really has threads and sockets, the same test checks them).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/server/KafkaConfig.h"
#include "kafka/server/KafkaServer.h"
#include "support/LogDirs.h"

namespace kafka::server {
namespace {

using common::errors::ConfigException;

// The broker's threads, by the names it gives them (Linux keeps the first 15 characters):
// kafka-socket-acceptor-..., kafka-network-thread-..., kafka-request-handler-...,
// ExpirationReaper-Fetch. (Counting every thread would count the sanitizers' own too.)
std::size_t brokerThreadCount() {
    std::size_t count = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        std::getline(comm, name);
        if (name.starts_with("kafka-") || name.starts_with("ExpirationReape")) ++count;
    }
    return count;
}

std::size_t openFileCount() {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
        ++count;
    return count;
}

// The error message of a config that must not parse.
std::string errorOf(const common::config::Properties& props) {
    try {
        KafkaConfig config(props);
    } catch (const ConfigException& e) {
        return e.what();
    }
    return "<no error>";
}

TEST(KafkaConfig, KafkasDefaults) {
    const KafkaConfig config({});
    EXPECT_EQ(config.brokerId(), 0);
    EXPECT_EQ(config.host(), "");
    EXPECT_EQ(config.port(), 9092);
    EXPECT_EQ(config.numNetworkThreads(), 3);
    EXPECT_EQ(config.numIoThreads(), 8);
    EXPECT_EQ(config.numPartitions(), 1);
    EXPECT_EQ(config.socketRequestMaxBytes(), 104857600);
    EXPECT_EQ(config.queuedMaxRequests(), 500);
    EXPECT_TRUE(config.autoCreateTopicsEnable());
}

TEST(KafkaConfig, ListenersGiveTheHostAndThePort) {
    const KafkaConfig config({{"listeners", "PLAINTEXT://127.0.0.1:0"}, {"broker.id", "7"}});
    EXPECT_EQ(config.host(), "127.0.0.1");
    EXPECT_EQ(config.port(), 0);
    EXPECT_EQ(config.brokerId(), 7);
    EXPECT_EQ(
        KafkaConfig(common::config::Properties{{"listeners", "PLAINTEXT://[::1]:9093"}}).host(),
        "::1");
}

TEST(KafkaConfig, ABadValueNamesTheKeyAndTheValue) {
    const auto threads = errorOf({{"num.network.threads", "0"}});
    EXPECT_NE(threads.find("num.network.threads"), std::string::npos) << threads;
    EXPECT_NE(threads.find("0"), std::string::npos) << threads;
    const auto notANumber = errorOf({{"queued.max.requests", "many"}});
    EXPECT_NE(notANumber.find("queued.max.requests"), std::string::npos) << notANumber;
    EXPECT_NE(notANumber.find("many"), std::string::npos) << notANumber;
    for (const std::string listeners : {"SSL://:9093", "PLAINTEXT://:port", "PLAINTEXT://:70000",
                                        "PLAINTEXT://host", "PLAINTEXT://:1,PLAINTEXT://:2"}) {
        const auto error = errorOf({{"listeners", listeners}});
        EXPECT_NE(error.find("listeners"), std::string::npos) << error;
        EXPECT_NE(error.find(listeners), std::string::npos) << error;
    }
}

TEST(KafkaConfig, UnknownKeysAreReportedNotFatal) {
    const KafkaConfig config({{"zookeeper.connect", "localhost:2181"}, {"log.dirs", "/data"}});
    EXPECT_EQ(config.unknownKeys(), std::set<std::string>{"zookeeper.connect"});
}

TEST(KafkaServer, StartsThenShutsDownInOrderAndLeavesNothingBehind) {
    const auto filesBefore = openFileCount();
    {
        KafkaServer server(
            KafkaConfig(test::brokerProperties({{"listeners", "PLAINTEXT://127.0.0.1:0"}})));
        EXPECT_EQ(server.state(), KafkaServer::BrokerState::kNotRunning);
        server.startup();
        EXPECT_EQ(server.state(), KafkaServer::BrokerState::kRunningAsBroker);
        EXPECT_THROW(server.startup(), common::errors::IllegalStateException);
        std::thread stopper([&server] { server.shutdown(); });
        server.awaitShutdown();  // returns once another thread has shut the broker down
        stopper.join();
        EXPECT_EQ(server.state(), KafkaServer::BrokerState::kNotRunning);
        server.shutdown();  // again: nothing to do
    }
    EXPECT_EQ(brokerThreadCount(), 0u) << "a broker thread outlived the broker";
    EXPECT_EQ(openFileCount(), filesBefore) << "a socket outlived the broker";
}

TEST(KafkaServer, StateNamesAreKafkas) {
    EXPECT_EQ(toString(KafkaServer::BrokerState::kRunningAsBroker), "RunningAsBroker");
    EXPECT_EQ(toString(KafkaServer::BrokerState::kNotRunning), "NotRunning");
}

}  // namespace
}  // namespace kafka::server
