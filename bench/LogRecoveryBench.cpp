//@ ch34
// Chapter 34: what opening a log costs after a clean shutdown and after a crash. One log of
// 256 MiB in segments of 64 MiB, 1 KiB batches of 10 records; opened with the clean-shutdown
// marker's say-so (the indexes trusted, nothing read but the active segment's tail) and without
// it, recovery point 0 (every batch read, its CRC checked, every index rebuilt). Bytes per
// second is what recovery reads: divide a gigabyte by it for the recovery time per GB.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/log/Log.h"

namespace {

using kafka::common::record::MemoryRecordsBuilder;
using kafka::common::utils::Bytes;
using kafka::log::Log;

constexpr std::int64_t kLogBytes = 256LL * 1024 * 1024;

// The log's directory, written once and removed when the benchmark ends.
struct RecoveryLog {
    std::filesystem::path root = std::filesystem::temp_directory_path() /
                                 ("kafka-course-bench-" + std::to_string(::getpid()));
    Log::Settings settings;
    std::int64_t bytes = 0;

    RecoveryLog() {
        settings.topicPartition = {"recovered", 0};
        settings.config.segmentBytes = 64 * 1024 * 1024;
        settings.dir = root / "recovered-0";
        Log log(settings);
        const Bytes value(90, 'v');
        while (log.size() < kLogBytes) {
            MemoryRecordsBuilder builder(1 << 12);
            for (int r = 0; r < 10; ++r) builder.append(1'700'000'000'000, std::nullopt, value);
            log.append(builder.build());
        }
        log.close();
        bytes = log.size();
    }
    ~RecoveryLog() {
        std::error_code ignored;
        std::filesystem::remove_all(root, ignored);
    }
};

RecoveryLog& recoveryLog() {
    static RecoveryLog log;
    return log;
}

void BM_OpenAfterACleanShutdown(benchmark::State& state) {
    auto settings = recoveryLog().settings;
    settings.hadCleanShutdown = true;
    for (auto _ : state) {
        Log log(settings);
        benchmark::DoNotOptimize(log.logEndOffset());
    }
    state.SetBytesProcessed(state.iterations() * recoveryLog().bytes);
}
BENCHMARK(BM_OpenAfterACleanShutdown)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_OpenAfterACrashRecoveringEverySegment(benchmark::State& state) {
    auto settings = recoveryLog().settings;
    settings.hadCleanShutdown = false;
    settings.recoveryPoint = 0;
    for (auto _ : state) {
        Log log(settings);
        benchmark::DoNotOptimize(log.logEndOffset());
    }
    state.SetBytesProcessed(state.iterations() * recoveryLog().bytes);
}
BENCHMARK(BM_OpenAfterACrashRecoveringEverySegment)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
