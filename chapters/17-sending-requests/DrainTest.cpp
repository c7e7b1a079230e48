// Chapter 17: RecordAccumulator.drain. One request per node, at most max.request.size bytes
// of batches, taken fairly from the partitions the node leads.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

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
using internals::ProducerBatch;
using internals::RecordAccumulator;

constexpr std::int32_t kBatchSize = 1024;

class Drain : public ::testing::Test {
protected:
    // One batch of about `bytes` bytes for the partition.
    void batchOf(int partition, std::size_t bytes) {
        const auto now = time->milliseconds();
        accumulator.append({"t", partition}, now, std::nullopt, Bytes(bytes - 70, 'v'), {}, nullptr,
                           0, false, now);
    }

    std::vector<std::shared_ptr<ProducerBatch>> drain(int maxSize) {
        auto drained = accumulator.drain(*cluster, {leader}, maxSize, time->milliseconds());
        return drained[leader.id()];
    }

    static std::vector<int> partitionsOf(
        const std::vector<std::shared_ptr<ProducerBatch>>& batches) {
        std::vector<int> partitions;
        for (const auto& batch : batches) partitions.push_back(batch->topicPartition().partition);
        return partitions;
    }

    static int sizeOf(const std::vector<std::shared_ptr<ProducerBatch>>& batches) {
        int size = 0;
        for (const auto& batch : batches) size += batch->estimatedSizeInBytes();
        return size;
    }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    std::shared_ptr<const common::Cluster> cluster = test::singletonCluster("t", 4);
    RecordAccumulator accumulator{{.batchSize = kBatchSize, .lingerMs = 0, .retryBackoffMs = 100},
                                  std::make_shared<BufferPool>(1 << 20, kBatchSize, time),
                                  time};
    const Node leader{1, "localhost", 9092};
};

TEST_F(Drain, ARequestNeverExceedsMaxRequestSize) {
    for (int p = 0; p < 4; ++p) batchOf(p, 600);
    const auto first = drain(1500);
    EXPECT_EQ(first.size(), 2u);
    EXPECT_LE(sizeOf(first), 1500);
    const auto second = drain(1500);
    EXPECT_EQ(second.size(), 2u);
    EXPECT_LE(sizeOf(second), 1500);
    EXPECT_TRUE(drain(1500).empty());
    // Every partition's batch went exactly once.
    auto all = partitionsOf(first);
    for (int p : partitionsOf(second)) all.push_back(p);
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all, (std::vector<int>{0, 1, 2, 3}));
}

TEST_F(Drain, NoPartitionIsAlwaysLeftForLater) {
    // Room for one batch a request, and every partition always has one: each request must
    // serve a different partition until all have had a turn.
    std::map<int, int> served;
    for (int round = 0; round < 8; ++round) {
        for (int p = 0; p < 4; ++p)
            if (accumulator.batches({"t", p}).empty()) batchOf(p, 600);
        const auto drained = drain(700);
        ASSERT_EQ(drained.size(), 1u);
        ++served[drained[0]->topicPartition().partition];
    }
    EXPECT_EQ(served, (std::map<int, int>{{0, 2}, {1, 2}, {2, 2}, {3, 2}}));
}

TEST_F(Drain, ABatchLargerThanTheLimitStillGoesAlone) {
    batchOf(0, 900);
    const auto drained = drain(500);
    ASSERT_EQ(drained.size(), 1u) << "it was checked against max.request.size in send()";
    EXPECT_GT(drained[0]->estimatedSizeInBytes(), 500);
}

TEST_F(Drain, ADrainedBatchIsClosedAndNewRecordsStartANewOne) {
    batchOf(0, 100);
    const auto drained = drain(1 << 20);
    ASSERT_EQ(drained.size(), 1u);
    const auto recordsBefore = drained[0]->recordCount();
    batchOf(0, 100);
    EXPECT_EQ(drained[0]->recordCount(), recordsBefore);
    EXPECT_EQ(accumulator.batches({"t", 0}).size(), 1u) << "a new batch, in the deque";
}

TEST_F(Drain, ARetriedBatchIsNotDrainedWhileItBacksOff) {
    batchOf(0, 100);
    auto drained = drain(1 << 20);
    ASSERT_EQ(drained.size(), 1u);
    accumulator.reenqueue(drained[0], time->milliseconds());
    EXPECT_TRUE(drain(1 << 20).empty());
    time->sleep(100);
    drained = drain(1 << 20);
    ASSERT_EQ(drained.size(), 1u);
    EXPECT_EQ(drained[0]->attempts(), 1);
}

TEST_F(Drain, OnlyTheNodesAskedForAreDrained) {
    batchOf(0, 100);
    const auto drained = accumulator.drain(*cluster, {}, 1 << 20, time->milliseconds());
    EXPECT_TRUE(drained.empty());
    EXPECT_TRUE(accumulator.hasUndrained());
}

}  // namespace
}  // namespace kafka::clients::producer
