// Chapter 37: the log with its producers' state. A retried batch is answered with the offsets
// its first copy got and not stored again; a gap is refused before anything is written; the
// state survives a clean restart through its snapshot, and a crash (or a corrupt snapshot) by
// being rebuilt from the batches in the segments.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/utils/MockTime.h"
#include "kafka/log/Log.h"
#include "kafka/log/ProducerStateManager.h"
#include "support/LogDirs.h"
#include "support/LogReader.h"

namespace kafka::log {
namespace {

using common::record::MemoryRecordsBuilder;
using common::utils::Bytes;

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::int64_t kProducer = 7;

// A batch of `count` records from producer 7, as its idempotent producer would number it.
Bytes batchOf(std::int16_t epoch, std::int32_t firstSeq, int count) {
    MemoryRecordsBuilder builder(1 << 20);
    builder.setProducerState(kProducer, epoch, firstSeq);
    for (int i = 0; i < count; ++i) {
        const std::string value = "seq-" + std::to_string(firstSeq + i);
        builder.append(kNow, std::nullopt, Bytes(value.begin(), value.end()));
    }
    return builder.build();
}

class LogProducerState : public ::testing::Test {
protected:
    Log::Settings settings(bool hadCleanShutdown = false) {
        auto s = test::logSettings({"idempotent", 0}, config);
        s.dir = dir;
        s.time = time;
        s.hadCleanShutdown = hadCleanShutdown;
        return s;
    }
    std::vector<std::string> values(const Log& log) const {
        std::vector<std::string> out;
        for (const auto& [offset, value] : test::readRecords(log, 0)) out.push_back(value);
        return out;
    }

    LogConfig config;
    std::filesystem::path dir = test::scratchDir() / "idempotent-0";
    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>(kNow);
};

TEST_F(LogProducerState, ARetriedBatchGetsTheOffsetsOfItsFirstCopyAndIsNotStoredAgain) {
    Log log(settings());
    EXPECT_EQ(log.append(batchOf(0, 0, 3)).firstOffset, 0);
    EXPECT_EQ(log.append(batchOf(0, 3, 2)).firstOffset, 3);
    // The answer to the first was lost; the producer sends it again, numbers and all.
    const auto again = log.append(batchOf(0, 0, 3));
    EXPECT_EQ(again.firstOffset, 0);
    EXPECT_EQ(again.lastOffset, 2);
    EXPECT_EQ(log.logEndOffset(), 5) << "nothing was appended";
    EXPECT_EQ(values(log), (std::vector<std::string>{"seq-0", "seq-1", "seq-2", "seq-3", "seq-4"}));
}

TEST_F(LogProducerState, TheLastFiveBatchesAreRecognisedNotTheSixthLast) {
    Log log(settings());
    for (int b = 0; b < 6; ++b) ASSERT_EQ(log.append(batchOf(0, 2 * b, 2)).firstOffset, 2 * b);
    for (int b = 1; b < 6; ++b)
        EXPECT_EQ(log.append(batchOf(0, 2 * b, 2)).firstOffset, 2 * b) << "batch " << b;
    EXPECT_EQ(log.logEndOffset(), 12) << "none of them stored again";
    EXPECT_THROW(log.append(batchOf(0, 0, 2)), common::errors::OutOfOrderSequenceException)
        << "the sixth-last is forgotten: to the log it is out of order";
}

TEST_F(LogProducerState, AGapIsRefusedAndNothingIsWritten) {
    Log log(settings());
    log.append(batchOf(1, 0, 3));
    EXPECT_THROW(log.append(batchOf(1, 5, 1)), common::errors::OutOfOrderSequenceException);
    EXPECT_THROW(log.append(batchOf(0, 3, 1)), common::errors::InvalidProducerEpochException)
        << "an epoch older than the producer's";
    EXPECT_THROW(log.append(batchOf(1, -1, 1)), common::errors::InvalidRecordException)
        << "a producer's batch without a sequence";
    EXPECT_EQ(log.logEndOffset(), 3);
    EXPECT_EQ(log.append(batchOf(1, 3, 1)).firstOffset, 3) << "the right next batch goes in";
}

TEST_F(LogProducerState, AfterACleanRestartTheSnapshotStillKnowsTheProducer) {
    {
        Log log(settings());
        log.append(batchOf(0, 0, 3));
        log.close();
    }
    EXPECT_TRUE(std::filesystem::exists(ProducerStateManager::snapshotFile(dir, 3)))
        << "written at close, named after the log end offset";
    Log log(settings(/*hadCleanShutdown=*/true));
    EXPECT_EQ(log.latestProducerSnapshotOffset(), 3);
    EXPECT_EQ(log.append(batchOf(0, 0, 3)).firstOffset, 0) << "still recognised";
    EXPECT_EQ(log.logEndOffset(), 3);
    EXPECT_THROW(log.append(batchOf(0, 4, 1)), common::errors::OutOfOrderSequenceException);
}

TEST_F(LogProducerState, AfterARestartEveryBatchOfTheSnapshotIsRecognisedNotOnlyTheLast) {
    {
        Log log(settings());
        log.append(batchOf(0, 0, 2));  // both answers lost, say: both will be retried
        log.append(batchOf(0, 2, 3));
        log.close();
    }
    Log log(settings(/*hadCleanShutdown=*/true));
    // Kafka's snapshot keeps the last batch alone, and a Kafka broker would refuse the first
    // as out of order; the producer would then bump its epoch and store it again.
    EXPECT_EQ(log.append(batchOf(0, 0, 2)).firstOffset, 0);
    EXPECT_EQ(log.append(batchOf(0, 2, 3)).firstOffset, 2);
    EXPECT_EQ(log.logEndOffset(), 5);
}

TEST_F(LogProducerState, ASnapshotBeyondTheLogEndAfterACrashIsDeletedNotBelieved) {
    {
        Log log(settings());
        log.append(batchOf(0, 0, 2));
        log.close();  // a snapshot at 2
    }
    // A snapshot of a future the log no longer has (say its tail was cut by a recovery).
    std::filesystem::copy_file(ProducerStateManager::snapshotFile(dir, 2),
                               ProducerStateManager::snapshotFile(dir, 9));
    Log log(settings());
    EXPECT_FALSE(std::filesystem::exists(ProducerStateManager::snapshotFile(dir, 9)));
    EXPECT_EQ(log.append(batchOf(0, 2, 1)).firstOffset, 2);
}

TEST_F(LogProducerState, ACorruptLatestSnapshotFallsBackToTheOneBefore) {
    config.segmentBytes = static_cast<std::int32_t>(2 * batchOf(0, 0, 2).size());
    {
        Log log(settings());
        for (int b = 0; b < 5; ++b) log.append(batchOf(0, 2 * b, 2));  // rolls at 4 and 8
        log.close();                                                   // and a snapshot at 10
    }
    std::filesystem::resize_file(ProducerStateManager::snapshotFile(dir, 10), 9);
    Log log(settings(/*hadCleanShutdown=*/true));
    // Deleted, not believed; after the replay a sound one is written at the log end again.
    EXPECT_NO_THROW(
        ProducerStateManager::readSnapshot(ProducerStateManager::snapshotFile(dir, 10)));
    EXPECT_EQ(log.producerState(kProducer)->lastSeq(), 9) << "8's snapshot, and a replay";
    EXPECT_EQ(log.append(batchOf(0, 8, 2)).firstOffset, 8);
}

TEST_F(LogProducerState, AfterACrashTheStateIsRebuiltFromTheSegments) {
    config.segmentBytes = static_cast<std::int32_t>(2 * batchOf(0, 0, 2).size());
    {
        Log log(settings());
        for (int b = 0; b < 5; ++b) log.append(batchOf(0, 2 * b, 2));
        // No close: a crash. Rolls left snapshots at the segments' first offsets.
    }
    ASSERT_TRUE(std::filesystem::exists(ProducerStateManager::snapshotFile(dir, 4)));
    Log log(settings());
    const auto producer = log.producerState(kProducer);
    ASSERT_TRUE(producer);
    EXPECT_EQ(producer->lastSeq(), 9) << "the batches after the latest snapshot were replayed";
    EXPECT_EQ(log.append(batchOf(0, 8, 2)).firstOffset, 8) << "the last batch, recognised";
    EXPECT_EQ(log.append(batchOf(0, 10, 1)).firstOffset, 10);
}

TEST_F(LogProducerState, ACorruptSnapshotIsDeletedAndTheStateRebuiltFromTheLog) {
    {
        Log log(settings());
        log.append(batchOf(0, 0, 3));
        log.close();
    }
    const auto snapshot = ProducerStateManager::snapshotFile(dir, 3);
    std::filesystem::resize_file(snapshot, 7);
    Log log(settings(/*hadCleanShutdown=*/true));
    EXPECT_NO_THROW(ProducerStateManager::readSnapshot(snapshot))
        << "not believed: deleted, and a sound one written after the replay";
    EXPECT_EQ(log.append(batchOf(0, 0, 3)).firstOffset, 0) << "rebuilt from the log";
    EXPECT_EQ(log.logEndOffset(), 3);
}

TEST_F(LogProducerState, BatchesWithoutAProducerAreNotChecked) {
    Log log(settings());
    MemoryRecordsBuilder plain(1 << 20);
    plain.append(kNow, std::nullopt, Bytes{'x'});
    const Bytes batch = plain.build();
    EXPECT_EQ(log.append(batch).firstOffset, 0);
    EXPECT_EQ(log.append(batch).firstOffset, 1) << "the same bytes again: stored again";
}

}  // namespace
}  // namespace kafka::log
