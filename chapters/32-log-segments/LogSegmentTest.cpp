// Chapter 32: the log in segment files. Each segment is a file named by its base offset; the
// log rolls to a new one before a batch would take the active one past log.segment.bytes, or
// once its records span log.roll.ms; reads go from segment to segment; a log opened again
// on its directory continues where it stopped.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/FileRecords.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/utils/MockTime.h"
#include "kafka/log/Log.h"
#include "kafka/log/LogSegment.h"
#include "support/LogDirs.h"
#include "support/LogReader.h"

namespace kafka::log {
namespace {

using common::record::DefaultRecordBatch;
using common::record::MemoryRecords;
using common::record::MemoryRecordsBuilder;
using common::utils::Bytes;

constexpr std::int64_t kNow = 1'700'000'000'000;

// A batch of `count` records "<first>", "<first+1>", ... of 20 bytes each, stamped `timestamp`.
Bytes batchOf(int first, int count, std::int64_t timestamp = kNow) {
    MemoryRecordsBuilder builder(1 << 20);
    for (int i = first; i < first + count; ++i) {
        std::string value = "record-" + std::to_string(i);
        value.resize(20, '.');
        builder.append(timestamp, std::nullopt, Bytes(value.begin(), value.end()));
    }
    return builder.build();
}

// The segment files of `dir`, its .log files (chapter 33 adds an index or two beside each).
std::vector<std::string> logFilesIn(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".log") names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

Bytes fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every record value from `offset` on, read as a consumer would.
std::vector<std::string> readAll(const Log& log, std::int64_t offset = 0) {
    std::vector<std::string> values;
    for (auto& [at, value] : test::readRecords(log, offset)) values.push_back(std::move(value));
    return values;
}

class LogSegmentTest : public ::testing::Test {
protected:
    Log::Settings settings(LogConfig config = {}) {
        auto settings = test::logSettings({"orders", 0}, config);
        settings.dir = dir;
        settings.time = time;
        return settings;
    }

    std::filesystem::path dir = test::scratchDir() / "orders-0";
    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>(kNow);
};

TEST_F(LogSegmentTest, ANewLogIsADirectoryWithOneEmptySegmentNamedByItsBaseOffset) {
    const Log log(settings());
    EXPECT_EQ(logFilesIn(dir), std::vector<std::string>{"00000000000000000000.log"});
    EXPECT_EQ(std::filesystem::file_size(dir / "00000000000000000000.log"), 0u);
    EXPECT_EQ(log.logEndOffset(), 0);
    EXPECT_EQ(LogSegment::filenamePrefixFromOffset(1234567), "00000000000001234567");
}

TEST_F(LogSegmentTest, TheFileHoldsExactlyTheBatchesAsStored) {
    Log log(settings());
    log.append(batchOf(0, 3));
    log.append(batchOf(3, 2));
    const auto read = log.read(0, 1 << 20, true);
    EXPECT_EQ(fileBytes(dir / "00000000000000000000.log"), read.records)
        << "nothing around the batches: Kafka's own tools read this file";
    const auto batches = MemoryRecords::readableRecords(read.records).batches();
    ASSERT_EQ(batches.size(), 2u);
    EXPECT_EQ(batches[1].baseOffset(), 3) << "stored with the offset the broker gave it";
}

// What the COURSE map asks: a roll exactly at the configured size.
TEST_F(LogSegmentTest, ASegmentRollsExactlyBeforeItWouldPassSegmentBytes) {
    const auto size = static_cast<std::int32_t>(batchOf(0, 4).size());
    LogConfig config;
    config.segmentBytes = 3 * size;  // three batches fill a segment to the byte
    Log log(settings(config));
    for (int b = 0; b < 10; ++b) log.append(batchOf(4 * b, 4));
    EXPECT_EQ(log.segmentBaseOffsets(), (std::vector<std::int64_t>{0, 12, 24, 36}));
    EXPECT_EQ(logFilesIn(dir),
              (std::vector<std::string>{"00000000000000000000.log", "00000000000000000012.log",
                                        "00000000000000000024.log", "00000000000000000036.log"}));
    for (const char* full :
         {"00000000000000000000.log", "00000000000000000012.log", "00000000000000000024.log"})
        EXPECT_EQ(std::filesystem::file_size(dir / full), static_cast<std::uintmax_t>(3 * size));
    EXPECT_EQ(std::filesystem::file_size(dir / "00000000000000000036.log"),
              static_cast<std::uintmax_t>(size));
}

TEST_F(LogSegmentTest, ABatchLargerThanASegmentStillGoesInWholeAlone) {
    LogConfig config;
    config.segmentBytes = 100;
    Log log(settings(config));
    log.append(batchOf(0, 10));  // about 300 bytes
    log.append(batchOf(10, 10));
    EXPECT_EQ(log.segmentBaseOffsets(), (std::vector<std::int64_t>{0, 10}));
    EXPECT_EQ(readAll(log).size(), 20u);
}

TEST_F(LogSegmentTest, ReadsGoFromSegmentToSegment) {
    LogConfig config;
    config.segmentBytes = 2 * static_cast<std::int32_t>(batchOf(0, 5).size());
    Log log(settings(config));
    for (int b = 0; b < 9; ++b) log.append(batchOf(5 * b, 5));
    ASSERT_GE(log.segmentBaseOffsets().size(), 4u);
    const auto values = readAll(log);
    ASSERT_EQ(values.size(), 45u);
    for (std::size_t i = 0; i < values.size(); ++i)
        EXPECT_EQ(values[i].substr(0, values[i].find('.')), "record-" + std::to_string(i));
    // An offset in the middle of a batch of a later segment: that batch, whole.
    const auto read = log.read(27, 1 << 20, true);
    const auto batches = MemoryRecords::readableRecords(read.records).batches();
    ASSERT_FALSE(batches.empty());
    EXPECT_EQ(batches.front().baseOffset(), 25);
    EXPECT_LE(batches.back().lastOffset(), 29) << "one segment answers a read";
    EXPECT_EQ(log.bytesAfter(25), 4 * static_cast<std::int64_t>(batchOf(0, 5).size()))
        << "from the batch holding 25 to the log end, across segments";
}

// KIP-33: a segment's age is measured by the records' timestamps, from its first batch.
TEST_F(LogSegmentTest, ASegmentRollsOnceItsRecordsSpanSegmentMs) {
    LogConfig config;
    config.segmentMs = 60'000;
    Log log(settings(config));
    log.append(batchOf(0, 1, kNow));
    log.append(batchOf(1, 1, kNow + 60'000));  // exactly segment.ms: not past it
    EXPECT_EQ(log.segmentBaseOffsets().size(), 1u);
    log.append(batchOf(2, 1, kNow + 60'001));
    EXPECT_EQ(log.segmentBaseOffsets(), (std::vector<std::int64_t>{0, 2}));
    time->sleep(3'600'000);  // the broker's clock does not count while records carry time
    log.append(batchOf(3, 1, kNow + 60'002));
    EXPECT_EQ(log.segmentBaseOffsets().size(), 2u);
}

TEST_F(LogSegmentTest, AnEmptySegmentNeverRollsByTime) {
    LogConfig config;
    config.segmentMs = 1;
    Log log(settings(config));
    time->sleep(10'000);
    log.append(batchOf(0, 1, kNow + 10'000));
    EXPECT_EQ(log.segmentBaseOffsets(), std::vector<std::int64_t>{0});
}

TEST_F(LogSegmentTest, ALogOpenedAgainContinuesWhereItStopped) {
    LogConfig config;
    config.segmentBytes = 2 * static_cast<std::int32_t>(batchOf(0, 3).size());
    {
        Log log(settings(config));
        for (int b = 0; b < 5; ++b) log.append(batchOf(3 * b, 3));
        ASSERT_EQ(log.logEndOffset(), 15);
    }
    Log reopened(settings(config));
    EXPECT_EQ(reopened.logEndOffset(), 15);
    EXPECT_EQ(reopened.segmentBaseOffsets(), (std::vector<std::int64_t>{0, 6, 12}));
    EXPECT_EQ(reopened.append(batchOf(15, 3)).firstOffset, 15);
    EXPECT_EQ(readAll(reopened).size(), 18u);
    EXPECT_EQ(reopened.offsetForTimestamp(kNow).first, 0);
}

TEST_F(LogSegmentTest, FlushIntervalMessagesLeavesEveryRecordReadable) {
    LogConfig config;
    config.flushIntervalMessages = 2;
    Log log(settings(config));
    for (int b = 0; b < 5; ++b) log.append(batchOf(b, 1));
    log.flush();
    EXPECT_EQ(readAll(log).size(), 5u);
}

TEST(FileRecords, FindsABatchByReadingHeadersAndStopsAtATornOne) {
    const auto file = test::scratchDir() / "00000000000000000000.log";
    auto records = common::record::FileRecords::open(file);
    std::vector<std::int32_t> positions;
    for (int b = 0; b < 3; ++b) {
        positions.push_back(records.sizeInBytes());
        Bytes batch = batchOf(2 * b, 2);
        DefaultRecordBatch::setBaseOffset(batch, 2 * b);
        records.append(batch);
    }
    const auto found = records.searchForOffsetFromPosition(3, 0);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->baseOffset, 2);
    EXPECT_EQ(found->position, positions[1]);
    EXPECT_FALSE(records.searchForOffsetFromPosition(6, 0)) << "no batch reaches offset 6";
    // Half a batch at the end (a write cut short): not a batch.
    const Bytes torn = batchOf(6, 2);
    records.append(std::span(torn).first(torn.size() / 2));
    EXPECT_FALSE(records.searchForOffsetFromPosition(6, 0));
    EXPECT_FALSE(
        records.batchAt(records.sizeInBytes() - static_cast<std::int32_t>(torn.size() / 2)));
}

}  // namespace
}  // namespace kafka::log
