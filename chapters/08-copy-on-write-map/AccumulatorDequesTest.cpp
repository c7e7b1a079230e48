// Chapter 8 in the accumulator: threads racing to create a partition's deque all end up
// appending to the same one, so no record is lost to a deque that lost the race.
#include <gtest/gtest.h>

#include <thread>

#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/common/utils/MockTime.h"

namespace kafka::clients::producer::internals {
namespace {

TEST(AccumulatorDeques, ThreadsRacingOnANewPartitionShareOneDeque) {
    constexpr int kThreads = 8;
    constexpr int kRecordsEach = 200;
    constexpr int kPartitions = 4;
    RecordAccumulator accumulator({.batchSize = 16384},
                                  std::make_shared<common::utils::MockTime>());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRecordsEach; ++i)
                accumulator.append({"t", i % kPartitions}, 0, std::nullopt,
                                   common::utils::toBytes(std::to_string(t)), {}, nullptr, 0,
                                   /*abortOnNewBatch=*/false, 0);
        });
    for (auto& thread : threads) thread.join();

    EXPECT_EQ(accumulator.partitions().size(), static_cast<std::size_t>(kPartitions));
    int records = 0;
    for (int p = 0; p < kPartitions; ++p)
        for (const auto& batch : accumulator.batches({"t", p})) records += batch->recordCount();
    EXPECT_EQ(records, kThreads * kRecordsEach);
}

}  // namespace
}  // namespace kafka::clients::producer::internals
