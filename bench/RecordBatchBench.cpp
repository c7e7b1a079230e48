//@ ch07
// Chapter 7: what a record batch v2 costs to write and to read. Encoding is what the producer
// does on send(), record by record into the open batch (MemoryRecordsBuilder::append), and
// once more when the batch is sent (close(): the header and its CRC-32C). Decoding is what
// the broker does with a produce request: frame the batches, check each CRC, parse every
// record. One batch of batch.size (16384 bytes, its default) with null keys and values of 100
// bytes (148 records) or 1 KiB (15 records), in records per second and bytes per second
// (the batch's bytes, header included).
//
// Build it by hand from the repository's root:
// g++ -std=c++20 -O2 -Isrc bench/RecordBatchBench.cpp src/kafka/common/record/*.cpp
//     src/kafka/common/utils/*.cpp -lbenchmark -lbenchmark_main -lpthread
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <optional>

#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/utils/Bytes.h"

namespace {

using kafka::common::record::MemoryRecords;
using kafka::common::record::MemoryRecordsBuilder;
using kafka::common::utils::Bytes;

constexpr int kBatchSize = 16384;                       // batch.size's default
constexpr std::int64_t kTimestamp = 1'700'000'000'000;  // CreateTime, in milliseconds

Bytes valueOf(std::size_t size) {
    Bytes value(size);
    for (std::size_t i = 0; i < size; ++i) value[i] = static_cast<std::uint8_t>('a' + i % 26);
    return value;
}

// What the accumulator does with one batch: append while the next record has room, then close.
// Every record is sent at the same millisecond, so each timestamp delta is 0, as it mostly is
// when a producer sends in a tight loop.
Bytes fillBatch(const std::optional<Bytes>& value, int& records) {
    const std::optional<Bytes> noKey;
    MemoryRecordsBuilder builder(kBatchSize);
    while (builder.hasRoomFor(kTimestamp, noKey, value)) builder.append(kTimestamp, noKey, value);
    builder.close();
    records = builder.numRecords();
    return builder.build();
}

void reportBatch(benchmark::State& state, int records, std::size_t batchBytes) {
    state.SetItemsProcessed(state.iterations() * records);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(batchBytes));
    state.counters["records/batch"] = records;
}

// range(0) is the value's size in bytes.
void BM_EncodeBatch(benchmark::State& state) {
    const std::optional<Bytes> value = valueOf(static_cast<std::size_t>(state.range(0)));
    const std::optional<Bytes> noKey;
    int records = 0;
    std::size_t batchBytes = 0;
    for (auto _ : state) {
        MemoryRecordsBuilder builder(kBatchSize);
        while (builder.hasRoomFor(kTimestamp, noKey, value))
            builder.append(kTimestamp, noKey, value);
        builder.close();  // the header, and the CRC over the whole batch
        const Bytes& batch = builder.build();
        benchmark::DoNotOptimize(batch.data());
        records = builder.numRecords();
        batchBytes = batch.size();
    }
    reportBatch(state, records, batchBytes);
}
BENCHMARK(BM_EncodeBatch)->ArgName("value_bytes")->Arg(100)->Arg(1024);

// The broker's side: framing, the CRC check and every record parsed (each one copies its key
// and value out of the batch into its own Bytes).
void BM_DecodeBatch(benchmark::State& state) {
    int records = 0;
    const Bytes batch = fillBatch(valueOf(static_cast<std::size_t>(state.range(0))), records);
    for (auto _ : state) {
        const auto batches = MemoryRecords::readableRecords(batch).batches();
        for (const auto& recordBatch : batches) {
            recordBatch.ensureValid();
            const auto parsed = recordBatch.records();
            benchmark::DoNotOptimize(parsed.data());
        }
    }
    reportBatch(state, records, batch.size());
}
BENCHMARK(BM_DecodeBatch)->ArgName("value_bytes")->Arg(100)->Arg(1024);

// The same without the CRC check, to show what share of decoding the check is.
void BM_DecodeBatchWithoutCrc(benchmark::State& state) {
    int records = 0;
    const Bytes batch = fillBatch(valueOf(static_cast<std::size_t>(state.range(0))), records);
    for (auto _ : state) {
        for (const auto& recordBatch : MemoryRecords::readableRecords(batch).batches()) {
            const auto parsed = recordBatch.records();
            benchmark::DoNotOptimize(parsed.data());
        }
    }
    reportBatch(state, records, batch.size());
}
BENCHMARK(BM_DecodeBatchWithoutCrc)->ArgName("value_bytes")->Arg(100)->Arg(1024);

}  // namespace
