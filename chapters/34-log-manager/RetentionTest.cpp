// Chapter 34: retention deletes whole segments from the front of the log, by the age of their
// newest record or while the log is over retention.bytes, never the segment being written
// without rolling first, and the log start offset follows.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/utils/MockTime.h"
#include "kafka/log/Log.h"
#include "kafka/log/LogSegment.h"
#include "support/LogDirs.h"

namespace kafka::log {
namespace {

using common::record::MemoryRecordsBuilder;
using common::utils::Bytes;

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::int64_t kHour = 3'600'000;

Bytes batchStamped(std::int64_t timestamp, int count = 5) {
    MemoryRecordsBuilder builder(1 << 20);
    for (int i = 0; i < count; ++i) builder.append(timestamp, std::nullopt, Bytes(20, 'r'));
    return builder.build();
}

class RetentionTest : public ::testing::Test {
protected:
    RetentionTest() {
        config.segmentBytes = 2 * static_cast<std::int32_t>(batchStamped(kNow).size());
        config.messageTimestampBeforeMaxMs = 2000 * kHour;  // old records are accepted
    }
    Log::Settings settings() {
        auto s = test::logSettings({"retained", 0}, config);
        s.time = time;
        return s;
    }

    LogConfig config;
    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>(kNow);
};

// What the COURSE map asks: retention deletes whole old segments only.
TEST_F(RetentionTest, ByTimeWholeSegmentsWhoseNewestRecordIsTooOldAreDeleted) {
    config.retentionMs = 10 * kHour;
    Log log(settings());
    // Segments of two batches: [0, 10) 30 and 29 hours old, [10, 20) 12 and 11 hours old,
    // [20, 30) 10 and 9 hours old, [30, 35) now.
    for (const std::int64_t age : {30, 29, 12, 11, 10, 9, 0})
        log.append(batchStamped(kNow - age * kHour));
    ASSERT_EQ(log.segmentBaseOffsets(), (std::vector<std::int64_t>{0, 10, 20, 30}));
    EXPECT_EQ(log.deleteOldSegments(), 2);
    EXPECT_EQ(log.segmentBaseOffsets(), (std::vector<std::int64_t>{20, 30}));
    EXPECT_EQ(log.logStartOffset(), 20);
    EXPECT_FALSE(std::filesystem::exists(LogSegment::logFile(log.dir(), 0)));
    EXPECT_FALSE(std::filesystem::exists(LogSegment::offsetIndexFile(log.dir(), 10)));
    EXPECT_FALSE(std::filesystem::exists(LogSegment::timeIndexFile(log.dir(), 10)));
    EXPECT_THROW(log.read(19, 1 << 20, true), common::errors::OffsetOutOfRangeException);
    EXPECT_FALSE(log.read(20, 1 << 20, true).records.empty());
    EXPECT_EQ(log.deleteOldSegments(), 0) << "segment 20 holds a record 9 hours old";
    time->sleep(2 * kHour);  // now that record is 11 hours old
    EXPECT_EQ(log.deleteOldSegments(), 1);
    EXPECT_EQ(log.logStartOffset(), 30);
}

// The segment being written goes too when its records are all too old, but the log rolls
// first: it always has a segment to append to, and its offsets go on.
TEST_F(RetentionTest, DeletingEverySegmentRollsAnEmptyOneAtTheLogEndFirst) {
    config.retentionMs = kHour;
    Log log(settings());
    for (int b = 0; b < 3; ++b) log.append(batchStamped(kNow - 5 * kHour));
    EXPECT_EQ(log.deleteOldSegments(), 2);
    EXPECT_EQ(log.segmentBaseOffsets(), std::vector<std::int64_t>{15});
    EXPECT_EQ(log.logStartOffset(), 15);
    EXPECT_EQ(log.logEndOffset(), 15);
    EXPECT_EQ(log.deleteOldSegments(), 0) << "an empty active segment is never deleted";
    EXPECT_EQ(log.append(batchStamped(kNow)).firstOffset, 15);
}

TEST_F(RetentionTest, BySizeTheOldestSegmentsGoWhileTheLogStaysAtLeastRetentionBytes) {
    const auto segment = static_cast<std::int64_t>(config.segmentBytes);
    config.retentionBytes = 3 * segment + segment / 2;
    Log log(settings());
    for (int b = 0; b < 20; ++b) log.append(batchStamped(kNow));  // 10 full segments
    ASSERT_EQ(log.size(), 10 * segment);
    EXPECT_EQ(log.deleteOldSegments(), 6) << "a seventh would leave 3 segments, under the bound";
    EXPECT_EQ(log.size(), 4 * segment);
    EXPECT_EQ(log.logStartOffset(), 60);
}

TEST_F(RetentionTest, MinusOneKeepsEverySegment) {
    config.retentionMs = -1;
    config.retentionBytes = -1;
    Log log(settings());
    for (int b = 0; b < 6; ++b) log.append(batchStamped(kNow - 1000 * kHour));
    EXPECT_EQ(log.deleteOldSegments(), 0);
    EXPECT_EQ(log.logStartOffset(), 0);
}

}  // namespace
}  // namespace kafka::log
