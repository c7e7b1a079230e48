// Chapter 12: RecordAccumulator.ready. A batch may go when it is full, when linger.ms has run
// out since it was created, when memory is exhausted, when the producer is closing or flushing;
// a retried batch waits out retry.backoff.ms. Everything on the fake clock.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>

#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/common/utils/MockTime.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::Node;
using common::TopicPartition;
using common::utils::Bytes;
using common::utils::MockTime;
using internals::BufferPool;
using internals::RecordAccumulator;

constexpr std::int32_t kBatchSize = 1024;
constexpr std::int64_t kLingerMs = 10;
constexpr std::int64_t kRetryBackoffMs = 100;

class Ready : public ::testing::Test {
protected:
    explicit Ready(std::int64_t totalMemory = 64 * kBatchSize)
        : pool(std::make_shared<BufferPool>(totalMemory, kBatchSize, time)),
          accumulator(
              {.batchSize = kBatchSize, .lingerMs = kLingerMs, .retryBackoffMs = kRetryBackoffMs},
              pool, time) {}

    void append(const TopicPartition& tp, std::size_t valueSize = 10, std::int64_t maxBlockMs = 0) {
        accumulator.append(tp, time->milliseconds(), std::nullopt, Bytes(valueSize, 'v'), {},
                           nullptr, maxBlockMs, false, time->milliseconds());
    }

    RecordAccumulator::ReadyCheckResult ready() {
        return accumulator.ready(*cluster, time->milliseconds());
    }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    std::shared_ptr<const common::Cluster> cluster = test::singletonCluster("t", 3);
    std::shared_ptr<BufferPool> pool;
    RecordAccumulator accumulator;
    const Node leader{1, "localhost", 9092};
    const TopicPartition tp{"t", 0};
};

TEST_F(Ready, NothingQueuedNothingReadyAndNoReasonToWakeUp) {
    const auto result = ready();
    EXPECT_TRUE(result.readyNodes.empty());
    EXPECT_EQ(result.nextReadyCheckDelayMs, std::numeric_limits<std::int64_t>::max());
}

TEST_F(Ready, ABatchLingersThenIsReadyWhenLingerMsRunsOut) {
    append(tp);
    time->sleep(5);
    auto result = ready();
    EXPECT_TRUE(result.readyNodes.empty());
    EXPECT_EQ(result.nextReadyCheckDelayMs, 5) << "the sender sleeps exactly until linger.ms ends";

    time->sleep(5);
    result = ready();
    EXPECT_EQ(result.readyNodes, std::set<Node>{leader});
}

TEST_F(Ready, LingerCountsFromTheBatchsCreationNotItsLastAppend) {
    append(tp);
    time->sleep(9);
    append(tp);  // joins the same batch
    ASSERT_EQ(accumulator.batches(tp).size(), 1u);
    time->sleep(1);
    EXPECT_EQ(ready().readyNodes, std::set<Node>{leader});
}

TEST_F(Ready, AFullBatchIsReadyAtOnce) {
    // Two batches in the deque: the first is as full as it will get.
    while (accumulator.batches(tp).size() < 2) append(tp, 100);
    EXPECT_EQ(ready().readyNodes, std::set<Node>{leader});
}

TEST_F(Ready, ClosingMakesEveryBatchReady) {
    append(tp);
    accumulator.close();
    EXPECT_EQ(ready().readyNodes, std::set<Node>{leader});
}

TEST_F(Ready, AFlushMakesEveryBatchReady) {
    append(tp);
    EXPECT_TRUE(ready().readyNodes.empty());
    accumulator.beginFlush();
    EXPECT_TRUE(accumulator.flushInProgress());
    EXPECT_EQ(ready().readyNodes, std::set<Node>{leader});
}

TEST_F(Ready, ARetriedBatchWaitsOutTheBackoffInsteadOfTheLinger) {
    append(tp);
    time->sleep(kLingerMs);
    const auto drained = accumulator.drain(*cluster, {leader}, 1 << 20, time->milliseconds());
    ASSERT_EQ(drained.at(1).size(), 1u);
    const auto batch = drained.at(1).front();

    // The broker said "try again": back to the head of the deque, attempt 1.
    accumulator.reenqueue(batch, time->milliseconds());
    EXPECT_EQ(batch->attempts(), 1);
    time->sleep(50);
    auto result = ready();
    EXPECT_TRUE(result.readyNodes.empty()) << "full (a drained batch is closed), but backing off";
    EXPECT_EQ(result.nextReadyCheckDelayMs, 50);
    time->sleep(50);
    EXPECT_EQ(ready().readyNodes, std::set<Node>{leader});
}

TEST_F(Ready, TheDelayIsTheSoonestOfThePartitions) {
    append({"t", 0});
    time->sleep(4);
    append({"t", 1});
    time->sleep(3);
    // Partition 0 has 3 ms of linger left, partition 1 has 7: wake up in 3.
    EXPECT_EQ(ready().nextReadyCheckDelayMs, 3);
}

TEST_F(Ready, ALeaderIsReadyOnceEvenWhenSeveralOfItsPartitionsAre) {
    for (int p = 0; p < 3; ++p) append({"t", p});
    time->sleep(kLingerMs);
    const auto result = ready();
    EXPECT_EQ(result.readyNodes.size(), 1u);
}

// Memory is exhausted when a thread is blocked in the pool: everything goes, linger or not,
// because sending is the only way memory comes back.
class ReadyWhenExhausted : public Ready {
protected:
    ReadyWhenExhausted() : Ready(2 * kBatchSize) {}
};

TEST_F(ReadyWhenExhausted, AThreadWaitingForMemoryMakesEveryBatchReady) {
    append({"t", 0});
    append({"t", 1});
    EXPECT_TRUE(ready().readyNodes.empty());

    auto blocked = std::async(std::launch::async, [&] {
        try {
            append({"t", 2}, 10, 60'000);
            return std::string("appended");
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
    });
    ASSERT_TRUE(test::eventually([&] { return pool->queued() == 1; }));
    EXPECT_EQ(ready().readyNodes, std::set<Node>{leader});

    accumulator.close();  // fails the waiter: nothing is left blocked
    ASSERT_EQ(blocked.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_EQ(blocked.get(), "Producer closed while allocating memory");
}

}  // namespace
}  // namespace kafka::clients::producer
