//@ ch10
// Chapter 10 benchmark: what the BufferPool saves a C++ producer. Buffers of batch.size (16384
// bytes) from the pool against malloc/free and new[]/delete[] of the same size: first the bare
// allocate/deallocate pair, then a producer's real pattern, where a wave of batches is filled
// (every byte written) and then all of them are sent and returned. A fresh block's pages cost
// a page fault each the first time they are written; a pooled buffer was written before. The
// "faults/buffer" counter is the minor page faults per buffer, from getrusage().
//
// Build it by hand from the repository's root (chapters/10-buffer-pool/README.md has the line):
// g++ -std=c++20 -O2 -Isrc with this file, src/kafka/clients/producer/internals/BufferPool.cpp
// and src/kafka/common/utils/Time.cpp, and -lbenchmark -lbenchmark_main -lpthread.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "kafka/clients/producer/internals/BufferPool.h"

namespace {

using kafka::clients::producer::internals::BufferPool;
using kafka::clients::producer::internals::ByteBuffer;

constexpr std::int32_t kBatchSize = 16384;                  // batch.size's default
constexpr std::int64_t kBufferMemory = 32LL * 1024 * 1024;  // buffer.memory's default

long minorFaults() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

void reportFaults(benchmark::State& state, long faultsBefore, std::int64_t buffersPerIteration) {
    state.counters["faults/buffer"] =
        benchmark::Counter(static_cast<double>(minorFaults() - faultsBefore) /
                               static_cast<double>(buffersPerIteration),
                           benchmark::Counter::kAvgIterations);
}

// --- One buffer at a time: the allocator's and the pool's own cost -------------------------

BufferPool& sharedPool() {
    static BufferPool pool(kBufferMemory, kBatchSize, kafka::common::utils::Time::system());
    return pool;
}

void BM_PoolAllocateDeallocate(benchmark::State& state) {
    BufferPool& pool = sharedPool();
    for (auto _ : state) {
        auto buffer = pool.allocate(kBatchSize, 0);
        benchmark::DoNotOptimize(buffer.data());
        pool.deallocate(std::move(buffer), kBatchSize);
    }
}
BENCHMARK(BM_PoolAllocateDeallocate)->Threads(1)->Threads(2);

void BM_MallocFree(benchmark::State& state) {
    for (auto _ : state) {
        void* block = std::malloc(kBatchSize);
        benchmark::DoNotOptimize(block);
        std::free(block);
    }
}
BENCHMARK(BM_MallocFree)->Threads(1)->Threads(2);

void BM_NewDelete(benchmark::State& state) {
    for (auto _ : state) {
        auto block = std::make_unique_for_overwrite<std::uint8_t[]>(kBatchSize);  // new[]
        benchmark::DoNotOptimize(block.get());
    }  // delete[]
}
BENCHMARK(BM_NewDelete)->Threads(1)->Threads(2);

// A size that is not batch.size is never pooled: the pool only reserves the bytes under its
// lock, and the allocator does the rest.
void BM_PoolOddSizeAllocateDeallocate(benchmark::State& state) {
    BufferPool pool(kBufferMemory, kBatchSize, kafka::common::utils::Time::system());
    for (auto _ : state) {
        auto buffer = pool.allocate(kBatchSize + 1, 0);
        benchmark::DoNotOptimize(buffer.data());
        pool.deallocate(std::move(buffer), kBatchSize + 1);
    }
}
BENCHMARK(BM_PoolOddSizeAllocateDeallocate);

// --- Waves of batches that are written: first-touch cost ------------------------------------
// range(0) batches are allocated and filled, then all of them are returned: 64 is 1 MiB in
// flight, 1024 is 16 MiB. The pool keeps the buffers, and their pages, between waves. What
// free() does depends on the allocator and on the heap's layout: glibc gives the top of its
// heap back to the kernel once more than 128 KiB is free there, but not if a live block sits
// above it, so BM_MallocWaveTouch measures either case depending on what ran before it (run it
// alone with --benchmark_filter to see the first). BM_MallocTrimmedWaveTouch makes the fresh
// case certain: malloc_trim(0) between waves (not timed) returns every free page, as glibc
// does by itself when the heap's top is free, and always for blocks above its mmap threshold
// (128 KiB at first: a batch.size of 256 KiB or 1 MiB, as throughput-tuned producers use).

// `allocateAndWrite` hands out a block of kBatchSize bytes with every byte written, as a batch
// writes its records; `release` gives it back.
std::uint8_t* writeBatch(std::uint8_t* block) {
    std::memset(block, 0x5a, kBatchSize);
    return block;
}

template <class AllocateAndWrite, class Free>
void wave(benchmark::State& state, AllocateAndWrite allocateAndWrite, Free release,
          bool trimBetweenWaves) {
    const auto inFlight = state.range(0);
    std::vector<std::uint8_t*> blocks;
    blocks.reserve(static_cast<std::size_t>(inFlight));
    const long faultsBefore = minorFaults();
    for (auto _ : state) {
        for (std::int64_t i = 0; i < inFlight; ++i) {
            blocks.push_back(allocateAndWrite());
        }
        benchmark::ClobberMemory();
        for (auto* block : blocks) release(block);  // ... sent, and its memory returned
        blocks.clear();
        if (trimBetweenWaves) {
            state.PauseTiming();
            malloc_trim(0);
            state.ResumeTiming();
        }
    }
    reportFaults(state, faultsBefore, inFlight);
    state.SetBytesProcessed(state.iterations() * inFlight * kBatchSize);
}

void BM_MallocWaveTouch(benchmark::State& state) {
    wave(
        state, [] { return writeBatch(static_cast<std::uint8_t*>(std::malloc(kBatchSize))); },
        [](std::uint8_t* block) { std::free(block); }, false);
}
BENCHMARK(BM_MallocWaveTouch)->Arg(64)->Arg(1024);

void BM_MallocTrimmedWaveTouch(benchmark::State& state) {
    wave(
        state, [] { return writeBatch(static_cast<std::uint8_t*>(std::malloc(kBatchSize))); },
        [](std::uint8_t* block) { std::free(block); }, true);
}
BENCHMARK(BM_MallocTrimmedWaveTouch)->Arg(64)->Arg(1024);

void BM_PoolWaveTouch(benchmark::State& state) {
    BufferPool pool(kBufferMemory, kBatchSize, kafka::common::utils::Time::system());
    std::vector<ByteBuffer> lent;  // the buffers the batches of this wave hold
    lent.reserve(static_cast<std::size_t>(state.range(0)));
    wave(
        state,
        [&] {
            lent.push_back(pool.allocate(kBatchSize, 0));
            lent.back().assign(kBatchSize, 0x5a);  // the batch is written, within the capacity
            return lent.back().data();
        },
        [&](std::uint8_t*) {
            pool.deallocate(std::move(lent.back()), kBatchSize);
            lent.pop_back();
        },
        false);
}
BENCHMARK(BM_PoolWaveTouch)->Arg(64)->Arg(1024);

// The floor: writing 16 KiB into a buffer that is already resident, with no allocation at all.
void BM_TouchResidentBuffer(benchmark::State& state) {
    ByteBuffer buffer(kBatchSize);  // a vector of kBatchSize zeros: written, so resident
    for (auto _ : state) {
        std::memset(buffer.data(), 0x5a, kBatchSize);
        benchmark::ClobberMemory();
    }
    state.SetBytesProcessed(state.iterations() * kBatchSize);
}
BENCHMARK(BM_TouchResidentBuffer);

}  // namespace
