//@ ch33
// Chapter 33: what finding an offset in a segment costs, through the sparse index and by
// chapter 32's scan of batch headers from the file's start. One 64 MiB segment of 1 KiB
// batches (65,536 batches, 10 records each), indexed every index.interval.bytes (4096, 512 and
// 65,536 bytes), looked up at offsets spread over the whole segment; and the index's own binary
// search, alone, in the warm section and before it.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/log/LogSegment.h"
#include "kafka/log/OffsetIndex.h"

namespace {

using kafka::common::record::DefaultRecordBatch;
using kafka::common::record::MemoryRecordsBuilder;
using kafka::common::utils::Bytes;
using kafka::log::LogConfig;
using kafka::log::LogSegment;

constexpr int kRecordsPerBatch = 10;
constexpr std::int64_t kSegmentBytes = 64LL * 1024 * 1024;

// A new directory for a segment; all are removed when the benchmark ends.
std::filesystem::path benchDir(const std::string& name) {
    struct Root {
        std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("kafka-course-bench-" + std::to_string(::getpid()));
        ~Root() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    };
    static Root root;
    auto dir = root.path / name;
    std::filesystem::create_directories(dir);
    return dir;
}

// A segment of 1 KiB batches, written once per interval and kept for every run.
struct Segment {
    std::unique_ptr<LogSegment> segment;
    std::int64_t endOffset = 0;
};

Segment& segmentIndexedEvery(std::int32_t intervalBytes) {
    static std::map<std::int32_t, Segment> segments;
    auto& built = segments[intervalBytes];
    if (built.segment) return built;
    LogConfig config;
    config.indexIntervalBytes = intervalBytes;
    built.segment = std::make_unique<LogSegment>(
        benchDir("interval-" + std::to_string(intervalBytes)), 0, config, 0);
    const Bytes value(80, 'v');
    while (built.segment->size() < kSegmentBytes) {
        MemoryRecordsBuilder builder(1 << 12);
        for (int r = 0; r < kRecordsPerBatch; ++r)
            builder.append(1'700'000'000'000 + built.endOffset, std::nullopt, value);
        Bytes batch = builder.build();
        DefaultRecordBatch::setBaseOffset(batch, built.endOffset);
        built.endOffset += kRecordsPerBatch;
        built.segment->append(built.endOffset - 1, 1'700'000'000'000 + built.endOffset, batch);
    }
    return built;
}

std::vector<std::int64_t> targets(std::int64_t endOffset) {
    std::mt19937_64 random(42);
    std::uniform_int_distribution<std::int64_t> offset(0, endOffset - 1);
    std::vector<std::int64_t> offsets(4096);
    for (auto& o : offsets) o = offset(random);
    return offsets;
}

void BM_TranslateOffsetThroughTheIndex(benchmark::State& state) {
    auto& built = segmentIndexedEvery(static_cast<std::int32_t>(state.range(0)));
    const auto offsets = targets(built.endOffset);
    std::size_t i = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(built.segment->translateOffset(offsets[i++ % offsets.size()]));
    state.counters["index_bytes"] = built.segment->offsetIndex().sizeInBytes();
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TranslateOffsetThroughTheIndex)->Arg(512)->Arg(4096)->Arg(65536);

// Chapter 32's way: headers from the file's start. A handful of lookups is enough to see it.
void BM_TranslateOffsetByScanningHeaders(benchmark::State& state) {
    auto& built = segmentIndexedEvery(4096);
    const auto offsets = targets(built.endOffset);
    std::size_t i = 0;
    for (auto _ : state)
        benchmark::DoNotOptimize(
            built.segment->log().searchForOffsetFromPosition(offsets[i++ % offsets.size()], 0));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TranslateOffsetByScanningHeaders)->Iterations(200);

// The binary search alone: the newest offsets (the warm section, where a consumer that keeps
// up looks) and offsets anywhere.
void BM_OffsetIndexLookup(benchmark::State& state) {
    auto& built = segmentIndexedEvery(512);
    const auto& index = built.segment->offsetIndex();
    const bool recent = state.range(0) == 1;
    std::mt19937_64 random(7);
    std::uniform_int_distribution<std::int64_t> anywhere(0, built.endOffset - 1);
    std::uniform_int_distribution<std::int64_t> newest(built.endOffset - 2000, built.endOffset - 1);
    std::vector<std::int64_t> offsets(4096);
    for (auto& o : offsets) o = recent ? newest(random) : anywhere(random);
    std::size_t i = 0;
    for (auto _ : state) benchmark::DoNotOptimize(index.lookup(offsets[i++ % offsets.size()]));
    state.counters["entries"] = index.entries();
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OffsetIndexLookup)->ArgName("recent")->Arg(1)->Arg(0);

}  // namespace
