// Chapter 22: after the answers, the memory. Every acknowledged batch gives its buffer back, so
// the pool is whole again; flush() makes lingering records go and waits for their outcomes;
// close() delivers what is pending, and a forced close fails it with a clear error.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/common/utils/MockTime.h"
#include "support/MockClient.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::TopicPartition;
using common::utils::Bytes;
using common::utils::MockTime;
using internals::BufferPool;
using internals::RecordAccumulator;
using internals::Sender;

TEST(MemoryAfterResponse, ThePoolIsWholeAgainOnceEveryRecordIsAcknowledged) {
    constexpr std::int64_t kTotal = 256 * 1024;
    constexpr std::int32_t kBatchSize = 4096;
    auto time = std::make_shared<MockTime>();
    auto pool = std::make_shared<BufferPool>(kTotal, kBatchSize, time);
    auto accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{.batchSize = kBatchSize}, pool, time);
    auto metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    metadata->update(test::singletonCluster("t", 3), time->milliseconds());
    auto client = std::make_shared<test::MockClient>();
    client->answerEverything();
    Sender sender(client, metadata, accumulator, {.acks = 1}, time);

    std::map<int, std::vector<RecordMetadataFuture>> futures;
    for (int i = 0; i < 300; ++i) {
        const int partition = i % 3;
        // Mostly small records, and now and then one larger than batch.size.
        const std::size_t size = i % 50 == 7 ? 6000 : 100;
        const auto now = time->milliseconds();
        futures[partition].push_back(*accumulator
                                          ->append({"t", partition}, now, std::nullopt,
                                                   Bytes(size, 'v'), {}, nullptr, 0, false, now)
                                          .future);
        if (i % 40 == 0) sender.runOnce();  // some go while others are still being appended
    }
    for (int loops = 0; accumulator->hasIncomplete() && loops < 100; ++loops) sender.runOnce();

    ASSERT_FALSE(accumulator->hasIncomplete());
    EXPECT_EQ(pool->availableMemory(), kTotal) << "every byte of buffer.memory is back";
    EXPECT_GT(pool->freeSize(), 0u) << "batch.size buffers wait on the free list for reuse";
    for (const auto& [partition, list] : futures)
        for (std::size_t i = 0; i < list.size(); ++i)
            ASSERT_EQ(list[i].get().offset(), static_cast<std::int64_t>(i))
                << "t-" << partition << ", record " << i;
}

class ProducerWithMockClient : public ::testing::Test {
protected:
    using Producer = KafkaProducer<std::string, std::string>;

    std::unique_ptr<Producer> newProducer() {
        metadata->update(test::singletonCluster("t", 2), time->milliseconds());
        return std::make_unique<Producer>(
            ProducerConfig({{"bootstrap.servers", "localhost:9092"},
                            {"linger.ms", "60000"},  // nothing goes on its own in this test
                            {"delivery.timeout.ms", "120000"}}),
            std::make_unique<common::serialization::StringSerializer>(),
            std::make_unique<common::serialization::StringSerializer>(),
            Producer::Dependencies{.time = time, .metadata = metadata, .client = client});
    }

    std::vector<RecordMetadataFuture> sendTen(Producer& producer) {
        std::vector<RecordMetadataFuture> futures;
        for (int i = 0; i < 10; ++i)
            futures.push_back(
                producer.send({"t", i % 2, std::nullopt, "record " + std::to_string(i)}));
        return futures;
    }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<test::MockClient> client = std::make_shared<test::MockClient>();
};

TEST_F(ProducerWithMockClient, FlushSendsLingeringRecordsAndWaitsForEveryOutcome) {
    client->answerEverything();
    auto producer = newProducer();
    const auto futures = sendTen(*producer);
    producer->flush();  // the fake clock never moves: only the flush can make them go
    for (std::size_t i = 0; i < futures.size(); ++i) {
        ASSERT_EQ(futures[i].wait_for(std::chrono::seconds(0)), std::future_status::ready) << i;
        EXPECT_EQ(futures[i].get().offset(), static_cast<std::int64_t>(i / 2));
    }
    // As in Kafka, a batch's buffer goes back to the pool just after its future completes.
    const auto& pool = producer->accumulator().bufferPool();
    EXPECT_TRUE(test::eventually([&] { return pool.availableMemory() == pool.totalMemory(); }));
    producer->close();
}

TEST_F(ProducerWithMockClient, CloseDeliversWhatIsPending) {
    client->answerEverything();
    auto producer = newProducer();
    const auto futures = sendTen(*producer);
    producer->close();
    for (const auto& future : futures) EXPECT_GE(future.get().offset(), 0);
    EXPECT_TRUE(client->closed());
}

TEST_F(ProducerWithMockClient, AForcedCloseFailsWhatIsPendingWithAClearError) {
    auto producer = newProducer();  // the broker never answers
    const auto futures = sendTen(*producer);
    producer->close(std::chrono::milliseconds(0));
    for (const auto& future : futures)
        EXPECT_EQ(test::outcomeOf(future), "Producer is closed forcefully.");
    EXPECT_EQ(producer->accumulator().bufferPool().availableMemory(),
              producer->accumulator().bufferPool().totalMemory());
}

TEST_F(ProducerWithMockClient, ACloseThatRunsOutOfTimeIsForced) {
    auto producer = newProducer();  // the broker never answers: the graceful close cannot end
    const auto futures = sendTen(*producer);
    producer->close(std::chrono::milliseconds(200));
    for (const auto& future : futures)
        EXPECT_EQ(test::outcomeOf(future), "Producer is closed forcefully.");
    EXPECT_GE(client->sent().size(), 1u) << "it did try: the records were sent, never answered";
}

// A callback is the application's code, run on the producer's I/O thread. One that throws
// must not leave its batch half done (the records after it never completed, its buffer never
// back, flush() waiting for ever). Kafka logs such an exception and goes on
// (ProducerBatch.completeFutureAndFireCallbacks); so must we, for any exception.
auto throwingSometimes(std::atomic<int>& called, int i) {
    return [&called, i](const RecordMetadata&, std::exception_ptr) {
        ++called;
        if (i % 7 == 3) throw std::runtime_error("a bug in a callback");
        if (i % 7 == 5) throw i;  // not even a std::exception
    };
}

TEST_F(ProducerWithMockClient, CallbacksThatThrowBreakNeitherTheOthersNorFlushNorTheMemory) {
    client->answerEverything();
    auto producer = newProducer();
    std::atomic<int> called{0};
    std::vector<RecordMetadataFuture> futures;
    for (int i = 0; i < 70; ++i)
        futures.push_back(producer->send({"t", i % 2, std::nullopt, "record " + std::to_string(i)},
                                         throwingSometimes(called, i)));
    test::mustReturnWithin(std::chrono::seconds(10), "flush() after callbacks that throw",
                           [&] { producer->flush(); });
    EXPECT_EQ(called.load(), 70) << "every callback ran, once";
    for (std::size_t i = 0; i < futures.size(); ++i)
        ASSERT_TRUE(futures[i].isDone()) << "record " << i;
    EXPECT_EQ(futures[69].get().offset(), 34);
    const auto& pool = producer->accumulator().bufferPool();
    EXPECT_TRUE(test::eventually([&] { return pool.availableMemory() == pool.totalMemory(); }))
        << "every batch's buffer came back";
    test::mustReturnWithin(std::chrono::seconds(10), "close()", [&] { producer->close(); });
}

// flush() waits for batches that only the I/O thread completes; called from a callback, which
// runs on that thread, it would wait for itself for ever. It is refused instead, with Kafka's
// words (Kafka 4.0, KAFKA-10790), and the flush that is under way ends normally.
TEST_F(ProducerWithMockClient, AFlushFromACallbackIsRefusedRatherThanADeadlock) {
    client->answerEverything();
    auto producer = newProducer();
    std::promise<std::string> refused;
    auto future =
        producer->send({"t", 0, std::nullopt, "r"}, [&](const RecordMetadata&, std::exception_ptr) {
            try {
                producer->flush();
                refused.set_value("<flush returned>");
            } catch (const common::errors::KafkaException& e) {
                refused.set_value(e.what());
            }
        });
    test::mustReturnWithin(std::chrono::seconds(10), "a flush whose callback calls flush()",
                           [&] { producer->flush(); });
    auto said = refused.get_future();
    ASSERT_EQ(said.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_EQ(said.get(),
              "KafkaProducer.flush() invocation inside a callback is not permitted because it "
              "may lead to deadlock.");
    EXPECT_EQ(future.get().offset(), 0);
    producer->close();
}

TEST_F(ProducerWithMockClient, AForcedCloseSurvivesCallbacksThatRethrowTheError) {
    auto producer = newProducer();  // the broker never answers
    std::vector<RecordMetadataFuture> futures;
    for (int i = 0; i < 10; ++i)
        futures.push_back(producer->send({"t", i % 2, std::nullopt, "r"},
                                         [](const RecordMetadata&, std::exception_ptr error) {
                                             std::rethrow_exception(error);
                                         }));
    test::mustReturnWithin(std::chrono::seconds(10), "close(0) with callbacks that throw",
                           [&] { producer->close(std::chrono::milliseconds(0)); });
    for (const auto& future : futures)
        EXPECT_EQ(test::outcomeOf(future), "Producer is closed forcefully.");
    EXPECT_EQ(producer->accumulator().bufferPool().availableMemory(),
              producer->accumulator().bufferPool().totalMemory());
}

TEST_F(ProducerWithMockClient, TheDestructorSurvivesCallbacksThatThrow) {
    auto producer = newProducer();  // the broker never answers
    std::atomic<int> called{0};
    for (int i = 0; i < 10; ++i)
        producer->send(
            {"t", i % 2, std::nullopt, "r"}, [&called](const RecordMetadata&, std::exception_ptr) {
                ++called;
                throw std::logic_error("a callback that throws while the producer is destroyed");
            });
    test::mustReturnWithin(std::chrono::seconds(10), "~KafkaProducer with callbacks that throw",
                           [&] { producer.reset(); });
    EXPECT_EQ(called.load(), 10);
}

}  // namespace
}  // namespace kafka::clients::producer
