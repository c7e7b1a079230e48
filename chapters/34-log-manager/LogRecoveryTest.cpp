// Chapter 34: a log opened after a crash checks what lies past its recovery point, batch by
// batch: a torn or corrupt tail is cut and the segments after it deleted, never served; a
// missing, cut or corrupt index is built again; after a clean shutdown the files are trusted.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/utils/MockTime.h"
#include "kafka/log/Log.h"
#include "kafka/log/LogSegment.h"
#include "support/LogDirs.h"
#include "support/LogReader.h"

namespace kafka::log {
namespace {

using common::record::MemoryRecordsBuilder;
using common::utils::Bytes;

constexpr std::int64_t kNow = 1'700'000'000'000;

// "value-0042": values of one width, batches of one size.
std::string valueOf(std::int64_t i) {
    const std::string digits = std::to_string(i);
    return "value-" + std::string(4 - digits.size(), '0') + digits;
}

Bytes batchOf(int first, int count) {
    MemoryRecordsBuilder builder(1 << 20);
    for (int i = first; i < first + count; ++i) {
        const std::string value = valueOf(i);
        builder.append(kNow + i, std::nullopt, Bytes(value.begin(), value.end()));
    }
    return builder.build();
}

Bytes fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeFile(const std::filesystem::path& file, const Bytes& bytes) {
    std::ofstream(file, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
}

void appendToFile(const std::filesystem::path& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary | std::ios::app) << bytes;
}

// Every record of the log as a consumer reads it, each batch checked: {offset, value}.
std::vector<std::pair<std::int64_t, std::string>> readAll(const Log& log) {
    return test::readRecords(log, log.logStartOffset());
}

class LogRecoveryTest : public ::testing::Test {
protected:
    LogRecoveryTest() {
        config.segmentBytes = 3 * static_cast<std::int32_t>(batchOf(0, 5).size());
        config.indexIntervalBytes = 100;
    }

    // A log of 10 batches of 5 records: segments at 0, 15, 30 and 45 (the active one).
    Log::Settings settings(bool hadCleanShutdown = false, std::int64_t recoveryPoint = 0) {
        auto s = test::logSettings({"recovered", 0}, config);
        s.dir = dir;
        s.time = time;
        s.hadCleanShutdown = hadCleanShutdown;
        s.recoveryPoint = recoveryPoint;
        return s;
    }
    void writeTenBatches(bool closeCleanly) {
        Log log(settings());
        for (int b = 0; b < 10; ++b) log.append(batchOf(5 * b, 5));
        ASSERT_EQ(log.segmentBaseOffsets(), (std::vector<std::int64_t>{0, 15, 30, 45}));
        if (closeCleanly) log.close();
    }
    std::filesystem::path segmentFile(std::int64_t base) const {
        return LogSegment::logFile(dir, base);
    }

    LogConfig config;
    std::filesystem::path dir = test::scratchDir() / "recovered-0";
    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>(kNow);
};

// What the COURSE map asks: garbage appended to a segment is truncated.
TEST_F(LogRecoveryTest, ATornTailIsCutAndTheNextAppendContinuesAfterTheLastWholeBatch) {
    ASSERT_NO_FATAL_FAILURE(writeTenBatches(false));
    const auto validSize = std::filesystem::file_size(segmentFile(45));
    const Bytes torn = batchOf(50, 5);
    appendToFile(segmentFile(45), std::string(torn.begin(), torn.begin() + torn.size() / 2));
    Log log(settings());
    EXPECT_EQ(std::filesystem::file_size(segmentFile(45)), validSize) << "the torn half is cut";
    EXPECT_EQ(log.logEndOffset(), 50);
    EXPECT_EQ(log.append(batchOf(50, 5)).firstOffset, 50);
    const auto records = readAll(log);
    ASSERT_EQ(records.size(), 55u);
    for (std::size_t i = 0; i < records.size(); ++i)
        EXPECT_EQ(records[i],
                  (std::pair<std::int64_t, std::string>(static_cast<std::int64_t>(i),
                                                        valueOf(static_cast<std::int64_t>(i)))));
}

TEST_F(LogRecoveryTest, GarbageAfterTheLastBatchIsCut) {
    ASSERT_NO_FATAL_FAILURE(writeTenBatches(false));
    const auto validSize = std::filesystem::file_size(segmentFile(45));
    appendToFile(segmentFile(45), std::string(300, '\x5a'));
    const Log log(settings());
    EXPECT_EQ(std::filesystem::file_size(segmentFile(45)), validSize);
    EXPECT_EQ(readAll(log).size(), 50u);
}

// A batch whose CRC fails in the middle of the log: it, the rest of its segment and every later
// segment go, since the offsets after a hole could not be trusted to follow.
TEST_F(LogRecoveryTest, ACorruptBatchCutsItsSegmentAndDeletesTheSegmentsAfterIt) {
    ASSERT_NO_FATAL_FAILURE(writeTenBatches(false));
    const auto batchSize = batchOf(0, 5).size();
    Bytes segment = fileBytes(segmentFile(15));
    segment[batchSize + batchSize / 2] ^= 0xff;  // inside the second batch of segment 15
    writeFile(segmentFile(15), segment);
    const Log log(settings());
    EXPECT_EQ(log.segmentBaseOffsets(), (std::vector<std::int64_t>{0, 15}));
    EXPECT_EQ(std::filesystem::file_size(segmentFile(15)), batchSize) << "one whole batch left";
    EXPECT_FALSE(std::filesystem::exists(segmentFile(30)));
    EXPECT_FALSE(std::filesystem::exists(LogSegment::offsetIndexFile(dir, 45)));
    EXPECT_EQ(log.logEndOffset(), 20);
    EXPECT_EQ(readAll(log).size(), 20u) << "no corrupt batch is ever served";
}

// Recovery starts at the recovery point: what was flushed before it is not read again.
TEST_F(LogRecoveryTest, SegmentsBelowTheRecoveryPointAreNotReadAgain) {
    ASSERT_NO_FATAL_FAILURE(writeTenBatches(false));
    Bytes segment = fileBytes(segmentFile(0));
    segment[segment.size() - 10] ^= 0xff;  // a corrupt byte in the last batch of segment 0
    writeFile(segmentFile(0), segment);
    const Log log(settings(false, 30));
    EXPECT_EQ(log.segmentBaseOffsets(), (std::vector<std::int64_t>{0, 15, 30, 45}));
    EXPECT_EQ(std::filesystem::file_size(segmentFile(0)), segment.size()) << "left as it was";
    EXPECT_EQ(log.logEndOffset(), 50);
    EXPECT_EQ(log.recoveryPoint(), 30) << "not moved until the next flush";
}

TEST_F(LogRecoveryTest, AFlushMovesTheRecoveryPointToTheLogEnd) {
    Log log(settings());
    log.append(batchOf(0, 5));
    EXPECT_EQ(log.recoveryPoint(), 0);
    log.flush();
    EXPECT_EQ(log.recoveryPoint(), 5);
    for (int b = 1; b < 4; ++b) log.append(batchOf(5 * b, 5));  // a roll at 15 flushes 0..14
    EXPECT_EQ(log.recoveryPoint(), 15);
}

// After a clean shutdown the indexes are trusted as they are, even one that says less than it
// could: nothing is read again. After a crash the same index is built again.
TEST_F(LogRecoveryTest, AfterACleanShutdownTheIndexesAreTrustedAfterACrashRebuilt) {
    ASSERT_NO_FATAL_FAILURE(writeTenBatches(true));
    const auto index = LogSegment::offsetIndexFile(dir, 0);
    const Bytes full = fileBytes(index);
    ASSERT_GT(full.size(), 8u);
    writeFile(index, Bytes(full.begin(), full.begin() + 8));  // one entry: sane, and short
    { const Log log(settings(true)); }
    EXPECT_EQ(fileBytes(index).size(), 8u) << "trusted after a clean shutdown";
    { const Log log(settings(false)); }
    EXPECT_EQ(fileBytes(index), full) << "built again after a crash";
}

// What the COURSE map asks: a deleted index is rebuilt, whatever the shutdown was.
TEST_F(LogRecoveryTest, AMissingCutOrCorruptIndexIsBuiltAgainEvenAfterACleanShutdown) {
    ASSERT_NO_FATAL_FAILURE(writeTenBatches(true));
    const auto index0 = LogSegment::offsetIndexFile(dir, 0);
    const auto index15 = LogSegment::offsetIndexFile(dir, 15);
    const auto time30 = LogSegment::timeIndexFile(dir, 30);
    const Bytes before0 = fileBytes(index0), before15 = fileBytes(index15),
                before30 = fileBytes(time30);
    std::filesystem::remove(index0);
    writeFile(index15, Bytes(before15.begin(), before15.begin() + 13));  // not whole entries
    Bytes backwards = before30;
    ASSERT_GE(backwards.size(), 24u);
    backwards[0] = 0x7f;  // the first timestamp now later than the last
    writeFile(time30, backwards);
    const Log log(settings(true));
    EXPECT_EQ(fileBytes(index0), before0);
    EXPECT_EQ(fileBytes(index15), before15);
    EXPECT_EQ(fileBytes(time30), before30);
    EXPECT_EQ(readAll(log).size(), 50u);
}

TEST_F(LogRecoveryTest, AnIndexWithNoSegmentIsDeleted) {
    ASSERT_NO_FATAL_FAILURE(writeTenBatches(true));
    const auto orphan = LogSegment::offsetIndexFile(dir, 99);
    writeFile(orphan, Bytes(16, 0));
    const Log log(settings(true));
    EXPECT_FALSE(std::filesystem::exists(orphan));
    EXPECT_EQ(log.segmentBaseOffsets(), (std::vector<std::int64_t>{0, 15, 30, 45}));
}

TEST_F(LogRecoveryTest, AClosedLogRefusesAppends) {
    Log log(settings());
    log.append(batchOf(0, 5));
    log.close();
    EXPECT_THROW(log.append(batchOf(5, 5)), common::errors::KafkaStorageException);
    EXPECT_EQ(readAll(log).size(), 5u) << "and still serves reads";
}

}  // namespace
}  // namespace kafka::log
