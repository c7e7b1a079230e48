// Chapter 5: send() waits for a topic's metadata, within max.block.ms (on a fake clock).
#include <gtest/gtest.h>

#include <future>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/common/utils/MockTime.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::Cluster;
using common::errors::TimeoutException;
using Producer = KafkaProducer<std::string, std::string>;
using Record = ProducerRecord<std::string, std::string>;

std::shared_ptr<const Cluster> clusterWith(const std::string& topic, int partitions) {
    return test::singletonCluster(topic, partitions);
}

std::string errorOf(const RecordMetadataFuture& future) {
    try {
        future.get();
    } catch (const TimeoutException& e) {
        return e.what();
    }
    return "<no timeout>";
}

class WaitOnMetadataTest : public ::testing::Test {
protected:
    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>();
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300000, 300000, time);
    std::unique_ptr<Producer> producer;

    void SetUp() override {
        metadata->update(Cluster::bootstrap({{"localhost", 9092}}), time->milliseconds());
        producer = std::make_unique<Producer>(
            // Not idempotent: an idempotent producer connects at once to ask for its producer
            // id (chapter 36), and the failed connection would request a metadata update that
            // has nothing to do with send().
            ProducerConfig({{"bootstrap.servers", "localhost:9092"},
                            {"max.block.ms", "1000"},
                            {"enable.idempotence", "false"}}),
            std::make_unique<common::serialization::StringSerializer>(),
            std::make_unique<common::serialization::StringSerializer>(),
            Producer::Dependencies{.time = time, .metadata = metadata});
    }
};

TEST_F(WaitOnMetadataTest, ReturnsAtOnceWhenTheTopicIsCached) {
    metadata->update(clusterWith("orders", 2), time->milliseconds());
    const int version = metadata->version();
    auto future = producer->send(Record("orders", 1, std::nullopt, std::string("v")));
    EXPECT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::timeout);  // queued
    EXPECT_FALSE(metadata->updateRequested());  // no refresh was asked for
    EXPECT_EQ(metadata->version(), version);
    EXPECT_TRUE(metadata->containsTopic("orders"));
}

TEST_F(WaitOnMetadataTest, WaitsForTheTopicToArrive) {
    auto sending = std::async(std::launch::async, [&] {
        return producer->send(Record("orders", 0, std::nullopt, std::string("v")));
    });
    // The sending thread asks for a refresh and waits; the "I/O thread" (this test) answers.
    while (!metadata->updateRequested()) std::this_thread::yield();
    time->sleep(30);
    metadata->update(clusterWith("orders", 1), time->milliseconds());
    auto future = sending.get();
    EXPECT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::timeout);  // queued
    EXPECT_EQ(producer->accumulator().batches({"orders", 0}).size(), 1u);
}

TEST_F(WaitOnMetadataTest, TimesOutNamingTheTopicAndTheWait) {
    auto sending = std::async(std::launch::async, [&] {
        return producer->send(Record("unknown-topic", std::string("v")));
    });
    while (!metadata->updateRequested()) std::this_thread::yield();
    time->awaitWaiters(1);  // the deadline is set: now let max.block.ms pass
    time->sleep(1000);      // max.block.ms passes, and no metadata came
    EXPECT_EQ(errorOf(sending.get()), "Topic unknown-topic not present in metadata after 1000 ms.");
}

TEST_F(WaitOnMetadataTest, ANewVersionWithoutTheTopicKeepsWaitingWithinTheSameBudget) {
    std::atomic<bool> called{false};
    auto sending = std::async(std::launch::async, [&] {
        return producer->send(Record("orders", std::string("v")),
                              [&](const RecordMetadata&, std::exception_ptr) { called = true; });
    });
    while (!metadata->updateRequested()) std::this_thread::yield();
    time->awaitWaiters(1);
    time->sleep(400);
    metadata->update(clusterWith("other", 1), time->milliseconds());  // not our topic
    while (!metadata->updateRequested()) std::this_thread::yield();   // asked again
    time->awaitWaiters(1);
    time->sleep(600);
    EXPECT_EQ(errorOf(sending.get()), "Topic orders not present in metadata after 1000 ms.");
    EXPECT_TRUE(called.load());
}

TEST_F(WaitOnMetadataTest, APartitionBeyondTheTopicsCountIsAnError) {
    metadata->update(clusterWith("orders", 3), time->milliseconds());
    auto sending = std::async(std::launch::async, [&] {
        return producer->send(Record("orders", 5, std::nullopt, std::string("v")));
    });
    while (!metadata->updateRequested()) std::this_thread::yield();  // one refresh is tried
    time->awaitWaiters(1);
    time->sleep(1000);
    EXPECT_EQ(errorOf(sending.get()),
              "Partition 5 of topic orders with partition count 3 is not present in metadata "
              "after 1000 ms.");
}

TEST_F(WaitOnMetadataTest, ZeroMaxBlockFailsAtOnceForAnUnknownTopic) {
    Producer impatient(
        ProducerConfig({{"bootstrap.servers", "localhost:9092"}, {"max.block.ms", "0"}}),
        std::make_unique<common::serialization::StringSerializer>(),
        std::make_unique<common::serialization::StringSerializer>(),
        Producer::Dependencies{.time = time, .metadata = metadata});
    auto future = impatient.send(Record("nowhere", std::string("v")));
    ASSERT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    EXPECT_EQ(errorOf(future), "Topic nowhere not present in metadata after 0 ms.");
}

}  // namespace
}  // namespace kafka::clients::producer
