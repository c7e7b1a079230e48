//@ ch10
// Chapters 9 and 10: what RecordAccumulator.append costs per record, batch buffers from the
// BufferPool included, with one thread and with two. Two threads either share one partition
// (they contend for its deque's lock) or each have their own (they share only the map and
// the pool). Every iteration fills a fresh accumulator with kRecords records of 100 bytes and
// gives the batches' buffers back outside the timing, as a sender would once they are sent.
#include <benchmark/benchmark.h>

#include <memory>
#include <thread>
#include <vector>

#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"

namespace {

using kafka::clients::producer::internals::BufferPool;
using kafka::clients::producer::internals::RecordAccumulator;
using kafka::common::TopicPartition;
using kafka::common::utils::Bytes;
using kafka::common::utils::Time;

constexpr int kRecords = 20'000;
constexpr std::int32_t kBatchSize = 16 * 1024;              // batch.size's default
constexpr std::int64_t kBufferMemory = 32LL * 1024 * 1024;  // buffer.memory's default

void appendRecords(RecordAccumulator& accumulator, const TopicPartition& tp, int count,
                   const Bytes& value, const std::shared_ptr<Time>& time) {
    for (int i = 0; i < count; ++i) {
        const std::int64_t now = time->milliseconds();
        auto result =
            accumulator.append(tp, now, std::nullopt, value, {}, nullptr, 60'000, false, now);
        benchmark::DoNotOptimize(result);
    }
}

void giveBack(RecordAccumulator& accumulator) {
    for (const auto& tp : accumulator.partitions())
        for (const auto& batch : accumulator.batches(tp)) accumulator.deallocate(batch);
}

// range(0): threads; range(1): 1 if they share one partition, 0 if each has its own.
void BM_Append(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    const bool samePartition = state.range(1) == 1;
    const auto time = Time::system();
    const auto pool = std::make_shared<BufferPool>(kBufferMemory, kBatchSize, time);
    const Bytes value(100, 'v');
    for (auto _ : state) {
        state.PauseTiming();
        auto accumulator = std::make_unique<RecordAccumulator>(
            RecordAccumulator::Settings{.batchSize = kBatchSize}, pool, time);
        state.ResumeTiming();
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            const TopicPartition tp{"bench", samePartition ? 0 : t};
            workers.emplace_back(
                [&, tp] { appendRecords(*accumulator, tp, kRecords / threads, value, time); });
        }
        for (auto& worker : workers) worker.join();
        state.PauseTiming();
        giveBack(*accumulator);
        accumulator.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * kRecords);
    state.SetBytesProcessed(state.iterations() * kRecords *
                            static_cast<std::int64_t>(value.size()));
}
BENCHMARK(BM_Append)
    ->ArgNames({"threads", "samePartition"})
    ->Args({1, 1})
    ->Args({2, 1})
    ->Args({2, 0})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
