// Chapter 2: building a producer starts exactly one thread, with Kafka's name; close joins it.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "kafka/clients/ClientUtils.h"
#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"

namespace kafka::clients::producer {
namespace {

using common::errors::ConfigException;
using common::serialization::StringSerializer;
using Producer = KafkaProducer<std::string, std::string>;

std::unique_ptr<Producer> newProducer(common::config::Properties props) {
    props.emplace(ProducerConfig::kBootstrapServers, "localhost:9092");
    return std::make_unique<Producer>(props, std::make_unique<StringSerializer>(),
                                      std::make_unique<StringSerializer>());
}

// The names of this process's threads, as Linux shows them (15 characters at most).
// (Counting all threads would also count those a sanitizer starts behind our back.)
std::vector<std::string> threadNames() {
    std::vector<std::string> names;
    DIR* tasks = opendir("/proc/self/task");
    while (auto* entry = readdir(tasks)) {
        if (entry->d_name[0] == '.') continue;
        std::ifstream comm(std::string("/proc/self/task/") + entry->d_name + "/comm");
        std::string name;
        std::getline(comm, name);
        names.push_back(name);
    }
    closedir(tasks);
    return names;
}

// Producer network threads alive in this process ("kafka-producer-network-thread | ..."
// truncated by Linux to its first 15 characters).
std::size_t networkThreads() {
    const auto names = threadNames();
    return static_cast<std::size_t>(std::count(names.begin(), names.end(), "kafka-producer-"));
}

TEST(ProducerInit, StartsOneNetworkThreadNamedAfterTheClient) {
    const auto before = networkThreads();
    auto producer = newProducer({{ProducerConfig::kClientId, "billing"}});
    EXPECT_EQ(producer->ioThreadName(), "kafka-producer-network-thread | billing");
    EXPECT_EQ(networkThreads(), before + 1);
}

TEST(ProducerInit, AProducerWithoutClientIdIsNumbered) {
    auto first = newProducer({});
    auto second = newProducer({});
    ASSERT_TRUE(first->clientId().starts_with("producer-"));
    const int n = std::stoi(first->clientId().substr(9));
    EXPECT_EQ(second->clientId(), "producer-" + std::to_string(n + 1));
    EXPECT_EQ(second->ioThreadName(), "kafka-producer-network-thread | " + second->clientId());
}

TEST(ProducerInit, CloseJoinsTheNetworkThread) {
    const auto before = networkThreads();
    auto producer = newProducer({});
    EXPECT_EQ(networkThreads(), before + 1);
    producer->close();
    EXPECT_EQ(networkThreads(), before);
    EXPECT_FALSE(producer->sender().isRunning());
    producer->close();  // a second close is harmless
}

TEST(ProducerInit, ABadConfigFailsBeforeAnyThreadStarts) {
    const auto before = threadNames().size();
    EXPECT_THROW(newProducer({{ProducerConfig::kBufferMemory, "lots"}}), ConfigException);
    EXPECT_EQ(threadNames().size(), before);  // no thread at all, not only no network thread
}

TEST(ProducerInit, AProducerWithAMalformedBootstrapAddressIsNotBuilt) {
    const auto before = networkThreads();
    common::config::Properties props{{ProducerConfig::kBootstrapServers, "localhost:abc"}};
    EXPECT_THROW(
        Producer(props, std::make_unique<StringSerializer>(), std::make_unique<StringSerializer>()),
        ConfigException);
    EXPECT_EQ(networkThreads(), before);
}

TEST(ProducerInit, MalformedBootstrapAddressesAreConfigErrors) {
    try {
        parseAndValidateAddresses({"localhost:abc"}, "bootstrap.servers");
        FAIL() << "accepted localhost:abc";
    } catch (const ConfigException& e) {
        EXPECT_NE(std::string(e.what()).find("Invalid url in bootstrap.servers: localhost:abc"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(parseAndValidateAddresses({"nohost"}, "bootstrap.servers"), ConfigException);
    EXPECT_THROW(parseAndValidateAddresses({"host:70000"}, "bootstrap.servers"), ConfigException);
    EXPECT_EQ(parseAndValidateAddresses({"a:1", "[::1]:9092"}, "bootstrap.servers"),
              (std::vector<HostAndPort>{{"a", 1}, {"::1", 9092}}));
}

TEST(ProducerInit, UnknownKeysAreWarnedAboutNotFatal) {
    testing::internal::CaptureStderr();
    auto producer = newProducer({{"bootstrap.server", "oops:1"}});
    const std::string captured = testing::internal::GetCapturedStderr();
    EXPECT_NE(captured.find("WARN The configuration 'bootstrap.server' was supplied but isn't a "
                            "known config. (ProducerConfig)"),
              std::string::npos)
        << captured;
}

TEST(ProducerInit, WakeupReachesTheNetworkThread) {
    auto producer = newProducer({});
    auto& sender = producer->sender();
    const auto loopsBefore = sender.loopCount();
    sender.wakeup();
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (sender.loopCount() == loopsBefore && std::chrono::steady_clock::now() < giveUp)
        std::this_thread::yield();
    EXPECT_GT(sender.loopCount(), loopsBefore) << "the wakeup never reached the loop";
    producer->close();
    EXPECT_FALSE(sender.isRunning());
}

}  // namespace
}  // namespace kafka::clients::producer
