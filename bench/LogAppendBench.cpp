//@ ch38
// Chapters 31, 32 and 38: what the broker's append path costs a produced batch, from the
// request's bytes to the segment file's page cache. Log::append checks the batch (its CRC, its
// records' offsets and timestamps), stamps it and writes it; the batches are what a producer
// sends with batch.size 64 KiB, of 100 B records (about 600 a batch) and of 10 KB records (6
// a batch), uncompressed and with lz4. "stored" recompresses: the topic keeps its batches with
// zstd, whatever the producer sent. Items are records, bytes the batches' bytes. Old segments
// are deleted, off the clock, so the log's directory stays small.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "kafka/common/compress/Compression.h"
#include "kafka/common/record/DefaultRecord.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/log/Log.h"

namespace {

using kafka::common::compress::Compression;
using kafka::common::record::CompressionType;
using kafka::common::record::DefaultRecord;
using kafka::common::record::DefaultRecordBatch;
using kafka::common::utils::Bytes;
using kafka::log::Log;

constexpr std::size_t kBatchSize = 64 * 1024;
constexpr std::int64_t kTimestamp = 1'700'000'000'000;

// One producer's batch of `recordSize`-byte values, key-less, as many as fit in 64 KiB before
// compression: built by hand, as a producer lays it out (chapter 7), so that the benchmark
// measures the broker alone.
Bytes producerBatch(std::size_t recordSize, CompressionType codec) {
    const std::optional<Bytes> value = Bytes(recordSize, 'v');
    Bytes records;
    std::int32_t count = 0;
    Bytes record;
    while (records.size() + recordSize < kBatchSize - DefaultRecordBatch::kRecordBatchOverhead) {
        record.clear();
        DefaultRecord::writeTo(record, count++, 0, std::nullopt, value, {});
        records.insert(records.end(), record.begin(), record.end());
    }
    Bytes batch(DefaultRecordBatch::kRecordBatchOverhead, 0);
    if (codec == CompressionType::kNone) {
        batch.insert(batch.end(), records.begin(), records.end());
    } else {
        const auto stream = Compression::of(codec)->wrapForOutput();
        stream->write(records, batch);
        stream->close(batch);
    }
    DefaultRecordBatch::writeHeader(batch, {.attributes = static_cast<std::int16_t>(codec),
                                            .lastOffsetDelta = count - 1,
                                            .baseTimestamp = kTimestamp,
                                            .maxTimestamp = kTimestamp,
                                            .recordsCount = count});
    return batch;
}

// A log in a directory of its own, removed when the benchmark ends.
struct BenchLog {
    std::filesystem::path root = std::filesystem::temp_directory_path() /
                                 ("kafka-course-append-bench-" + std::to_string(::getpid()));
    std::unique_ptr<Log> log;

    explicit BenchLog(std::optional<CompressionType> topicCompression) {
        Log::Settings settings;
        settings.topicPartition = {"appended", 0};
        settings.config.segmentBytes = 64 * 1024 * 1024;
        settings.config.retentionBytes = 64 * 1024 * 1024;
        settings.config.retentionMs = -1;  // the batches keep one old timestamp
        settings.config.compressionType = topicCompression;
        settings.dir = root / "appended-0";
        log = std::make_unique<Log>(settings);
    }
    ~BenchLog() {
        log.reset();
        std::error_code ignored;
        std::filesystem::remove_all(root, ignored);
    }
};

void appendBatches(benchmark::State& state, CompressionType producerCodec,
                   std::optional<CompressionType> topicCompression) {
    const auto batch = producerBatch(static_cast<std::size_t>(state.range(0)), producerCodec);
    const auto records = DefaultRecordBatch(batch).recordsCount();
    BenchLog bench(topicCompression);
    for (auto _ : state) {
        benchmark::DoNotOptimize(bench.log->append(batch));
        if (bench.log->size() > 256 * 1024 * 1024) {
            state.PauseTiming();
            bench.log->deleteOldSegments();
            state.ResumeTiming();
        }
    }
    state.SetItemsProcessed(state.iterations() * records);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(batch.size()));
}

void BM_AppendUncompressed(benchmark::State& state) {
    appendBatches(state, CompressionType::kNone, std::nullopt);
}
BENCHMARK(BM_AppendUncompressed)->Arg(100)->Arg(10'000);

void BM_AppendLz4(benchmark::State& state) {
    appendBatches(state, CompressionType::kLz4, std::nullopt);
}
BENCHMARK(BM_AppendLz4)->Arg(100)->Arg(10'000);

void BM_AppendLz4StoredAsZstd(benchmark::State& state) {
    appendBatches(state, CompressionType::kLz4, CompressionType::kZstd);
}
BENCHMARK(BM_AppendLz4StoredAsZstd)->Arg(100)->Arg(10'000);

}  // namespace
