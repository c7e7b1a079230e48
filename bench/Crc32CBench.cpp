//@ ch07
// Chapter 7: what the CRC-32C of a record batch costs. Every batch v2 carries one, over all
// of its bytes after the CRC field: the producer computes it in close(), the broker checks it
// on every produce, a consumer with check.crcs=true checks it again. Here Crc32C::compute()
// (SSE4.2's crc32 instruction when the CPU has it) against Crc32C::updatePortable() (the
// slicing-by-8 table walk) on 64 bytes (a tiny batch), 1 KiB, 16 KiB (batch.size's default)
// and 1 MiB (a throughput-tuned batch.size), in bytes per second.
//
// The instruction's loop is one chain of dependent crc32s (each waits for the one before), so
// a long buffer runs at the instruction's latency. Consecutive iterations here are independent
// checksums, though, and the CPU overlaps a short buffer's chain with the next one's: the
// small sizes show throughput over many small batches, as a broker checking them would see.
//
// Build it by hand from the repository's root:
// g++ -std=c++20 -O2 -Isrc bench/Crc32CBench.cpp src/kafka/common/utils/Crc32C.cpp
//     -lbenchmark -lbenchmark_main -lpthread -o /tmp/crcbench && /tmp/crcbench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "kafka/common/utils/Crc32C.h"

namespace {

using kafka::common::utils::Crc32C;

// Bytes that look like a batch's: anything but zeros, which some checksums treat kindly.
std::vector<std::uint8_t> pseudoRandomBytes(std::size_t size) {
    std::vector<std::uint8_t> bytes(size);
    std::uint32_t state = 0x9E3779B9u;
    for (auto& byte : bytes) {
        state = state * 1664525u + 1013904223u;  // a linear congruential generator
        byte = static_cast<std::uint8_t>(state >> 24);
    }
    return bytes;
}

template <typename Checksum>
void checksumLoop(benchmark::State& state, Checksum checksum) {
    const auto bytes = pseudoRandomBytes(static_cast<std::size_t>(state.range(0)));
    const std::span<const std::uint8_t> view(bytes);
    for (auto _ : state) {
        benchmark::DoNotOptimize(view.data());
        benchmark::DoNotOptimize(checksum(view));
    }
    state.SetBytesProcessed(state.iterations() * state.range(0));
}

// What update() runs on this machine: the instruction, or the table walk if the CPU has none.
void BM_Crc32CHardware(benchmark::State& state) {
    state.SetLabel(Crc32C::hardwareAccelerated() ? "sse4.2" : "no sse4.2: portable");
    checksumLoop(state, [](std::span<const std::uint8_t> bytes) { return Crc32C::compute(bytes); });
}
BENCHMARK(BM_Crc32CHardware)->Arg(64)->Arg(1 << 10)->Arg(16 << 10)->Arg(1 << 20);

// The portable table walk, whatever the CPU has.
void BM_Crc32CPortable(benchmark::State& state) {
    checksumLoop(state, [](std::span<const std::uint8_t> bytes) {
        return Crc32C::updatePortable(0, bytes);
    });
}
BENCHMARK(BM_Crc32CPortable)->Arg(64)->Arg(1 << 10)->Arg(16 << 10)->Arg(1 << 20);

// A checksum continued piece by piece, as a reader that holds a batch in 1 KiB chunks would:
// the same answer as one call (the Crc32C tests check it), and almost the same speed.
void BM_Crc32CUpdateInChunks(benchmark::State& state) {
    static constexpr std::size_t kChunk = 1024;
    checksumLoop(state, [](std::span<const std::uint8_t> bytes) {
        std::uint32_t crc = 0;
        for (std::size_t at = 0; at < bytes.size(); at += kChunk)
            crc = Crc32C::update(crc, bytes.subspan(at, std::min(kChunk, bytes.size() - at)));
        return crc;
    });
}
BENCHMARK(BM_Crc32CUpdateInChunks)->Arg(16 << 10)->Arg(1 << 20);

}  // namespace
