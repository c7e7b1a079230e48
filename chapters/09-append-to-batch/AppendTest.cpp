// Chapter 9: RecordAccumulator.append. One lock per partition, the buffer for a new batch
// allocated outside that lock, a second tryAppend once the lock is taken again, and a batch
// of its own for a record larger than batch.size.
#include <gtest/gtest.h>

#include <barrier>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/record/AbstractRecords.h"
#include "kafka/common/record/DefaultRecord.h"
#include "kafka/common/utils/MockTime.h"

namespace kafka::clients::producer {
namespace {

using common::TopicPartition;
using common::record::AbstractRecords;
using common::utils::Bytes;
using common::utils::MockTime;
using common::utils::toBytes;
using common::utils::toString;
using internals::RecordAccumulator;

constexpr std::int64_t kMaxBlockMs = 60'000;

class Append : public ::testing::Test {
protected:
    RecordAccumulator::RecordAppendResult append(RecordAccumulator& accumulator,
                                                 const TopicPartition& tp, const Bytes& value) {
        return accumulator.append(tp, time->milliseconds(), std::nullopt, value, {}, nullptr,
                                  kMaxBlockMs, /*abortOnNewBatch=*/false, time->milliseconds());
    }

    // The values of every record queued for `tp`, batch by batch, in deque order.
    static std::vector<std::vector<std::string>> valuesByBatch(const RecordAccumulator& accumulator,
                                                               const TopicPartition& tp) {
        std::vector<std::vector<std::string>> values;
        for (const auto& batch : accumulator.batches(tp)) {
            values.emplace_back();
            for (const auto& record : batch->records())
                values.back().push_back(toString(*record.value));
        }
        return values;
    }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    const TopicPartition tp{"orders", 0};
};

TEST_F(Append, ThreadsAppendingToOnePartitionKeepEachThreadsOrder) {
    constexpr int kThreads = 4;
    constexpr int kRecordsPerThread = 3000;
    RecordAccumulator accumulator({.batchSize = 1024}, time);
    std::barrier start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            for (int i = 0; i < kRecordsPerThread; ++i)
                append(accumulator, tp, toBytes(std::to_string(t) + ":" + std::to_string(i)));
        });
    }
    for (auto& thread : threads) thread.join();

    // Interleaved across threads, but each thread's records in the order it sent them, and
    // none lost or doubled: the deque's lock orders appends, whoever started which batch.
    std::vector<int> next(kThreads, 0);
    int total = 0;
    for (const auto& batch : valuesByBatch(accumulator, tp)) {
        for (const auto& value : batch) {
            const auto colon = value.find(':');
            const int thread = std::stoi(value.substr(0, colon));
            ASSERT_EQ(std::stoi(value.substr(colon + 1)), next[thread]) << "thread " << thread;
            ++next[thread];
            ++total;
        }
    }
    EXPECT_EQ(total, kThreads * kRecordsPerThread);
    for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next[t], kRecordsPerThread) << "thread " << t;
}

TEST_F(Append, BatchesFillUpToBatchSizeBeforeANewOneStarts) {
    constexpr int kBatchSize = 1024;
    RecordAccumulator accumulator({.batchSize = kBatchSize}, time);
    const Bytes value(50, 'v');
    for (int i = 0; i < 200; ++i) append(accumulator, tp, value);

    const auto batches = accumulator.batches(tp);
    ASSERT_GT(batches.size(), 2u);
    int records = 0;
    for (std::size_t i = 0; i < batches.size(); ++i) {
        const auto& batch = *batches[i];
        records += batch.recordCount();
        EXPECT_LE(batch.estimatedSizeInBytes(), kBatchSize) << "batch " << i;
        if (i + 1 == batches.size()) break;
        // Every batch but the last was left only because the next record did not fit.
        const int nextRecordSize = common::record::DefaultRecord::sizeInBytes(
            batch.recordCount(), 0, std::nullopt, value, {});
        EXPECT_GT(batch.estimatedSizeInBytes() + nextRecordSize, kBatchSize) << "batch " << i;
        EXPECT_TRUE(batch.isFull()) << "batch " << i;
    }
    EXPECT_EQ(records, 200);
}

TEST_F(Append, ABatchIsWrittenIntoTheBufferAllocatedForIt) {
    constexpr int kBatchSize = 1024;
    RecordAccumulator accumulator({.batchSize = kBatchSize}, time);
    for (int i = 0; i < 100; ++i) append(accumulator, tp, Bytes(40, 'v'));
    for (const auto& batch : accumulator.batches(tp)) {
        EXPECT_EQ(batch->initialCapacity(), static_cast<std::size_t>(kBatchSize));
        // Filled up to batch.size and never beyond, so the bytes never had to move.
        const auto& bytes = batch->closeAndBuild();
        EXPECT_EQ(bytes.capacity(), static_cast<std::size_t>(kBatchSize));
    }
}

TEST_F(Append, ARecordLargerThanBatchSizeGetsABatchOfItsOwnSize) {
    constexpr int kBatchSize = 100;
    RecordAccumulator accumulator({.batchSize = kBatchSize}, time);
    const Bytes small(6, 's');
    const Bytes large(466, 'L');

    EXPECT_TRUE(append(accumulator, tp, small).newBatchCreated);
    const auto largeResult = append(accumulator, tp, large);
    EXPECT_TRUE(largeResult.newBatchCreated);
    EXPECT_TRUE(largeResult.batchIsFull);
    const auto afterLarge = append(accumulator, tp, small);
    EXPECT_TRUE(afterLarge.newBatchCreated) << "nothing joins the large record's batch";

    const auto batches = accumulator.batches(tp);
    ASSERT_EQ(batches.size(), 3u);
    EXPECT_EQ(batches[1]->recordCount(), 1);
    const auto expected = static_cast<std::size_t>(
        AbstractRecords::estimateSizeInBytesUpperBound(std::nullopt, large, {}));
    EXPECT_GT(expected, static_cast<std::size_t>(kBatchSize));
    EXPECT_EQ(batches[1]->initialCapacity(), expected);
    EXPECT_EQ(batches[0]->initialCapacity(), static_cast<std::size_t>(kBatchSize));
    EXPECT_EQ(toString(*batches[1]->records().at(0).value), toString(large));
}

TEST_F(Append, TheResultSaysWhenToWakeTheSender) {
    RecordAccumulator accumulator({.batchSize = 100}, time);
    // 8 value bytes and 7 of record overhead: 61 + 15 + 15 <= 100, a third would not fit.
    const Bytes value(8, 'v');
    const auto first = append(accumulator, tp, value);
    EXPECT_TRUE(first.newBatchCreated);
    EXPECT_FALSE(first.batchIsFull);
    const auto second = append(accumulator, tp, value);
    EXPECT_FALSE(second.newBatchCreated);
    const auto third = append(accumulator, tp, value);
    EXPECT_TRUE(third.newBatchCreated);
    EXPECT_TRUE(third.batchIsFull) << "a deque of two batches has a full one at its head";
    EXPECT_EQ(accumulator.batches(tp).size(), 2u);
}

TEST_F(Append, AppendAfterCloseFailsEvenWhenTheBatchHasRoom) {
    RecordAccumulator accumulator({.batchSize = 1024}, time);
    append(accumulator, tp, toBytes("first"));
    accumulator.close();
    EXPECT_THROW(append(accumulator, tp, toBytes("second")), common::errors::IllegalStateException);
    EXPECT_EQ(accumulator.batches(tp).at(0)->recordCount(), 1);
}

// Threads that find a partition without room all leave the lock to allocate. The first to
// come back starts a batch; the others must find it in their second tryAppend and join it.
// Without the second tryAppend each of them would start a batch of its own: several batches
// of one record each. (Races are not certain in any one round, so there are many rounds; the
// test can only fail when the code is wrong, never because of timing.)
TEST_F(Append, ThreadsThatAllocatedTogetherShareOneNewBatch) {
    constexpr int kThreads = 4;
    constexpr int kRounds = 300;
    RecordAccumulator accumulator({.batchSize = 16 * 1024}, time);
    std::barrier start(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int round = 0; round < kRounds; ++round) {
                start.arrive_and_wait();
                append(accumulator, {"fresh", round}, toBytes("v"));
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (int round = 0; round < kRounds; ++round) {
        const auto batches = accumulator.batches({"fresh", round});
        ASSERT_EQ(batches.size(), 1u) << "round " << round;
        EXPECT_EQ(batches[0]->recordCount(), kThreads) << "round " << round;
    }
}

}  // namespace
}  // namespace kafka::clients::producer
