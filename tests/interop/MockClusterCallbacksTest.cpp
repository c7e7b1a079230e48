//@ ch22
// Two reproductions of past bugs, through the producer's public API against librdkafka's
// mock cluster: callbacks that throw on one record in seven (before the fix: 3 of 2,000
// callbacks ran, and flush() never returned), and close(0) called from inside a callback
// (before: the process ended in std::terminate).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/MockCluster.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using test::MockCluster;
using Producer = KafkaProducer<std::string, std::string>;

std::unique_ptr<Producer> newProducer(const MockCluster& cluster) {
    return std::make_unique<Producer>(
        common::config::Properties{{"bootstrap.servers", cluster.bootstrapServers()},
                                   {"acks", "1"},
                                   {"linger.ms", "5"},
                                   {"max.block.ms", "10000"},
                                   {"request.timeout.ms", "5000"},
                                   {"delivery.timeout.ms", "20000"}},
        std::make_unique<common::serialization::StringSerializer>(),
        std::make_unique<common::serialization::StringSerializer>());
}

TEST(MockClusterCallbacks, OneCallbackInSevenThrowsAndEveryRecordIsStillDelivered) {
    MockCluster cluster(1);
    cluster.createTopic("orders", 3);
    auto producer = newProducer(cluster);
    constexpr int kRecords = 2000;
    std::atomic<int> called{0};
    std::vector<RecordMetadataFuture> futures;
    for (int i = 0; i < kRecords; ++i)
        futures.push_back(producer->send({"orders", "value-" + std::to_string(i)},
                                         [&called, i](const RecordMetadata&, std::exception_ptr) {
                                             ++called;
                                             if (i % 7 == 0)
                                                 throw std::runtime_error(
                                                     "a bug in the application's callback");
                                         }));
    test::mustReturnWithin(std::chrono::seconds(30), "flush()", [&] { producer->flush(); });
    EXPECT_EQ(called.load(), kRecords);
    for (const auto& future : futures) EXPECT_GE(future.get().offset(), 0);
    test::mustReturnWithin(std::chrono::seconds(30), "close()", [&] { producer->close(); });
    const auto consumed = test::consumeAll(cluster.bootstrapServers(), "orders", 3,
                                           test::kUntilTheEnd, std::chrono::seconds(20));
    EXPECT_EQ(consumed.size(), static_cast<std::size_t>(kRecords)) << "each record once";
}

TEST(MockClusterCallbacks, CloseFromInsideACallbackEndsTheProducerCleanly) {
    MockCluster cluster(1);
    cluster.createTopic("orders", 1);
    auto producer = newProducer(cluster);
    std::atomic<bool> closed{false};
    std::vector<RecordMetadataFuture> futures;
    futures.push_back(
        producer->send({"orders", "first"}, [&](const RecordMetadata&, std::exception_ptr) {
            producer->close(std::chrono::milliseconds(0));
            closed = true;
        }));
    ASSERT_TRUE(test::eventually([&] { return closed.load(); }));
    for (int i = 0; i < 10; ++i) {
        try {
            futures.push_back(producer->send({"orders", "after"}));
        } catch (const common::errors::IllegalStateException&) {
        }
    }
    test::mustReturnWithin(std::chrono::seconds(30), "the destructor", [&] { producer.reset(); });
    for (const auto& future : futures) EXPECT_TRUE(future.isDone());
}

}  // namespace
}  // namespace kafka::clients::producer
