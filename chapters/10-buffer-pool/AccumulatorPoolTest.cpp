// Chapter 10 in the accumulator: every batch's buffer comes from the BufferPool and goes back
// to it, a spare buffer is returned when the second tryAppend wins, and an append that finds
// the pool empty waits for memory within max.block.ms.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kafka/clients/producer/internals/BufferExhaustedException.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/common/utils/MockTime.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::TopicPartition;
using common::utils::Bytes;
using common::utils::MockTime;
using internals::BufferPool;
using internals::ByteBuffer;
using internals::ProducerBatch;
using internals::RecordAccumulator;

constexpr std::int32_t kBatchSize = 1024;
constexpr std::int64_t kForever = 600'000;  // a max.block.ms the fake clock never reaches

class AccumulatorOnThePool : public ::testing::Test {
protected:
    explicit AccumulatorOnThePool(std::int64_t totalMemory = 4 * kBatchSize)
        : pool(std::make_shared<BufferPool>(totalMemory, kBatchSize, time)),
          accumulator({.batchSize = kBatchSize}, pool, time) {}

    // What an append on another thread came to: a new batch or not, or the error's name.
    struct Outcome {
        bool newBatchCreated = false;
        std::string error;
    };

    Outcome append(const TopicPartition& tp, std::size_t valueSize,
                   std::int64_t maxBlockMs = kForever) {
        try {
            const auto result =
                accumulator.append(tp, time->milliseconds(), std::nullopt, Bytes(valueSize, 'v'),
                                   {}, nullptr, maxBlockMs, false, time->milliseconds());
            return {result.newBatchCreated, ""};
        } catch (const internals::BufferExhaustedException& e) {
            return {false, std::string("BufferExhaustedException: ") + e.what()};
        } catch (const common::errors::KafkaException& e) {
            return {false, std::string("KafkaException: ") + e.what()};
        }
    }

    std::int64_t bytesInBatches() {
        std::int64_t bytes = 0;
        for (const auto& tp : accumulator.partitions())
            for (const auto& batch : accumulator.batches(tp))
                bytes += static_cast<std::int64_t>(batch->initialCapacity());
        return bytes;
    }

    // The pool's books close: what it has plus what the batches hold is all of buffer.memory.
    void expectAccounting() {
        EXPECT_EQ(pool->availableMemory() + bytesInBatches(), pool->totalMemory());
    }

    void deallocateAll() {
        for (const auto& tp : accumulator.partitions())
            for (const auto& batch : accumulator.batches(tp)) accumulator.deallocate(batch);
    }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();  // first: the others use it
    std::shared_ptr<BufferPool> pool;
    RecordAccumulator accumulator;
    const TopicPartition tp{"orders", 0};
};

TEST_F(AccumulatorOnThePool, EveryBatchBufferComesFromThePoolAndGoesBack) {
    for (int i = 0; i < 30; ++i) append(tp, 100);  // about nine records a batch
    const auto batches = accumulator.batches(tp);
    ASSERT_EQ(batches.size(), 4u);
    EXPECT_EQ(pool->availableMemory(), 0);
    expectAccounting();

    std::vector<const std::uint8_t*> buffers;
    for (const auto& batch : batches) buffers.push_back(batch->closeAndBuild().data());
    deallocateAll();
    EXPECT_EQ(pool->availableMemory(), pool->totalMemory());
    EXPECT_EQ(pool->freeSize(), 4u) << "batch.size buffers are kept for the next batches";

    // The next batch is written into one of those very buffers: no new memory.
    const TopicPartition other{"orders", 1};
    append(other, 100);
    EXPECT_EQ(pool->freeSize(), 3u);
    const auto* reused = accumulator.batches(other).at(0)->closeAndBuild().data();
    EXPECT_NE(std::find(buffers.begin(), buffers.end(), reused), buffers.end());
}

TEST_F(AccumulatorOnThePool, ALargeRecordsBufferIsNotPooledButItsMemoryComesBack) {
    append(tp, 3000);  // a batch, and a buffer, of about 3 KiB
    const auto batches = accumulator.batches(tp);
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_GT(batches[0]->initialCapacity(), static_cast<std::size_t>(kBatchSize));
    expectAccounting();
    deallocateAll();
    EXPECT_EQ(pool->freeSize(), 0u);
    EXPECT_EQ(pool->availableMemory(), pool->totalMemory());
}

TEST_F(AccumulatorOnThePool, AnAppendWaitsForMemoryAndTimesOutOnTheClock) {
    for (int p = 0; p < 4; ++p) append({"orders", p}, 100);  // four batches: the pool is empty
    ASSERT_EQ(pool->availableMemory(), 0);

    auto blocked = std::async(std::launch::async, [&] { return append({"orders", 4}, 100, 5000); });
    ASSERT_TRUE(test::eventually([&] { return pool->queued() == 1; }));
    time->awaitWaiters(1);
    time->sleep(5000);
    ASSERT_EQ(blocked.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    const auto outcome = blocked.get();
    EXPECT_NE(outcome.error.find("BufferExhaustedException"), std::string::npos) << outcome.error;
    EXPECT_NE(outcome.error.find("5000 ms"), std::string::npos) << outcome.error;
    EXPECT_TRUE(accumulator.batches({"orders", 4}).empty());
    EXPECT_EQ(pool->queued(), 0u);
    expectAccounting();
}

TEST_F(AccumulatorOnThePool, ABatchGivingBackItsBufferWakesAnAppendWaitingForMemory) {
    for (int p = 0; p < 4; ++p) append({"orders", p}, 100);
    auto blocked = std::async(std::launch::async, [&] { return append({"orders", 4}, 100); });
    ASSERT_TRUE(test::eventually([&] { return pool->queued() == 1; }));

    // The sender finished partition 0's batch: its buffer goes back, the waiter gets it.
    accumulator.deallocate(accumulator.batches({"orders", 0}).at(0));
    ASSERT_EQ(blocked.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    const auto outcome = blocked.get();
    EXPECT_EQ(outcome.error, "");
    EXPECT_TRUE(outcome.newBatchCreated);
    EXPECT_EQ(accumulator.batches({"orders", 4}).size(), 1u);
}

TEST_F(AccumulatorOnThePool, ClosingWakesAnAppendWaitingForMemory) {
    for (int p = 0; p < 4; ++p) append({"orders", p}, 100);
    auto blocked = std::async(std::launch::async, [&] { return append({"orders", 4}, 100); });
    ASSERT_TRUE(test::eventually([&] { return pool->queued() == 1; }));
    accumulator.close();
    ASSERT_EQ(blocked.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_EQ(blocked.get().error, "KafkaException: Producer closed while allocating memory");
}

// Two threads find partition 0's batch full and both wait for a buffer. Whichever comes back
// second finds the other's new batch in its second tryAppend and joins it; its own buffer must
// go back to the pool, or buffer.memory shrinks for good.
class SecondTryAppend : public AccumulatorOnThePool {
protected:
    SecondTryAppend() : AccumulatorOnThePool(5 * kBatchSize) {}
};

TEST_F(SecondTryAppend, TheSpareBufferGoesBackToThePool) {
    // Partition 0's last batch is full (one large record in a buffer of its own size), and
    // the rest of the pool is held elsewhere: the next appends must wait for memory.
    append(tp, 2000);
    const auto largeBatch =
        static_cast<std::int64_t>(accumulator.batches(tp).at(0)->initialCapacity());
    auto held = pool->allocate(static_cast<std::int32_t>(pool->availableMemory()), 0);
    ASSERT_EQ(pool->availableMemory(), 0);

    auto first = std::async(std::launch::async, [&] { return append(tp, 900); });
    ASSERT_TRUE(test::eventually([&] { return pool->queued() == 1; }));
    auto second = std::async(std::launch::async, [&] { return append(tp, 10); });
    ASSERT_TRUE(test::eventually([&] { return pool->queued() == 2; }));

    // Enough memory for both: each waiter gets a batch.size buffer.
    const auto heldSize = static_cast<std::int32_t>(held.capacity());
    pool->deallocate(std::move(held), heldSize);
    ASSERT_EQ(first.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    ASSERT_EQ(second.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    const auto a = first.get();
    const auto b = second.get();
    EXPECT_EQ(a.error, "");
    EXPECT_EQ(b.error, "");

    // Exactly one new batch, holding both records; the other buffer is back in the pool.
    const auto batches = accumulator.batches(tp);
    ASSERT_EQ(batches.size(), 2u);
    EXPECT_EQ(batches[1]->recordCount(), 2);
    EXPECT_EQ(a.newBatchCreated + b.newBatchCreated, 1);
    EXPECT_EQ(pool->availableMemory(), pool->totalMemory() - largeBatch - kBatchSize);
    expectAccounting();

    deallocateAll();
    EXPECT_EQ(pool->availableMemory(), pool->totalMemory());
}

// batch.size=0 is Kafka's way to turn batching off: each record gets a batch, and a buffer,
// of its own size, and nothing is pooled. A bug this test guards against: the pool refusing it.
TEST(AccumulatorWithoutBatching, BatchSizeZeroGivesEachRecordABatchOfItsOwn) {
    auto time = std::make_shared<MockTime>();
    auto pool = std::make_shared<BufferPool>(64 * 1024, 0, time);
    RecordAccumulator accumulator({.batchSize = 0}, pool, time);
    const TopicPartition tp{"t", 0};
    for (int i = 0; i < 3; ++i) {
        const auto now = time->milliseconds();
        accumulator.append(tp, now, std::nullopt, Bytes(10, 'v'), {}, nullptr, 0, false, now);
    }
    const auto batches = accumulator.batches(tp);
    ASSERT_EQ(batches.size(), 3u);
    for (const auto& batch : batches) EXPECT_EQ(batch->recordCount(), 1);
    for (const auto& batch : batches) accumulator.deallocate(batch);
    EXPECT_EQ(pool->availableMemory(), 64 * 1024);
    EXPECT_EQ(pool->freeSize(), 0u) << "nothing is pooled";
}

}  // namespace
}  // namespace kafka::clients::producer
