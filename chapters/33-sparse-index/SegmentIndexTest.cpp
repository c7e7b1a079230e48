// Chapter 33: a segment indexes its batches every index.interval.bytes, finds an offset or a
// timestamp from the index and a few headers, rolls when an index is full, cuts its indexes
// when it stops being written, and builds them again, byte for byte, when it is opened.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/log/Log.h"
#include "kafka/log/LogSegment.h"
#include "support/LogDirs.h"

namespace kafka::log {
namespace {

using common::record::DefaultRecordBatch;
using common::record::FileRecords;
using common::record::MemoryRecordsBuilder;
using common::utils::Bytes;

constexpr std::int64_t kNow = 1'700'000'000'000;

// A batch of `count` records from offset `base`, the i-th stamped timestampOf(base + i).
template <class TimestampOf>
Bytes batchAt(std::int64_t base, int count, TimestampOf timestampOf) {
    MemoryRecordsBuilder builder(1 << 20);
    for (int i = 0; i < count; ++i) {
        const std::string value = "value-" + std::to_string(base + i);
        builder.append(timestampOf(base + i), std::nullopt, Bytes(value.begin(), value.end()));
    }
    Bytes batch = builder.build();
    DefaultRecordBatch::setBaseOffset(batch, base);
    return batch;
}

Bytes batchAt(std::int64_t base, int count) {
    return batchAt(base, count, [](std::int64_t) { return kNow; });
}

Bytes fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every batch of a segment's file, by reading its headers one after the other.
std::vector<FileRecords::FileBatch> batchesOf(const LogSegment& segment) {
    std::vector<FileRecords::FileBatch> batches;
    for (auto batch = segment.log().batchAt(0); batch;
         batch = segment.log().batchAt(batch->position + batch->size))
        batches.push_back(*batch);
    return batches;
}

class SegmentIndexTest : public ::testing::Test {
protected:
    // Appends `batch` as a log would: its last offset and its largest timestamp.
    void append(LogSegment& segment, const Bytes& batch) {
        const DefaultRecordBatch header(batch);
        segment.append(header.lastOffset(), header.maxTimestamp(), batch);
    }

    std::filesystem::path dir = test::scratchDir();
};

// What the COURSE map asks: an entry every index.interval.bytes, pointing at a batch that
// starts where it says and ends at the offset it says.
TEST_F(SegmentIndexTest, AnEntryOnceMoreThanIndexIntervalBytesWentInSinceTheLastOne) {
    LogConfig config;
    config.indexIntervalBytes = 1000;
    LogSegment segment(dir, 0, config, kNow);
    std::int64_t offset = 0;
    for (int b = 0; b < 60; ++b) {  // batches of 1 to 7 records: sizes differ
        const int count = 1 + b % 7;
        append(segment, batchAt(offset, count));
        offset += count;
    }
    const auto& index = segment.offsetIndex();
    ASSERT_GT(index.entries(), 3);
    std::int32_t lastEntryPosition = 0;
    std::int32_t expectedEntries = 0;
    for (const auto& batch : batchesOf(segment)) {
        if (batch.position - lastEntryPosition <= config.indexIntervalBytes) continue;
        ASSERT_LT(expectedEntries, index.entries());
        const OffsetPosition entry = index.entry(expectedEntries++);
        EXPECT_EQ(entry.position, batch.position);
        EXPECT_EQ(entry.offset, batch.lastOffset) << "since Kafka 2.0, the batch's last offset";
        lastEntryPosition = batch.position;
    }
    EXPECT_EQ(index.entries(), expectedEntries);
}

TEST_F(SegmentIndexTest, EveryOffsetIsFoundInTheBatchThatHoldsIt) {
    LogConfig config;
    config.indexIntervalBytes = 300;
    LogSegment segment(dir, 500, config, kNow);
    std::int64_t offset = 500;
    for (int b = 0; b < 80; ++b) {
        append(segment, batchAt(offset, 1 + b % 4));
        offset += 1 + b % 4;
    }
    const auto batches = batchesOf(segment);
    for (std::int64_t target = 500; target < offset; ++target) {
        const auto found = segment.translateOffset(target);
        ASSERT_TRUE(found) << target;
        EXPECT_LE(found->baseOffset, target);
        EXPECT_GE(found->lastOffset, target);
        const auto holding = std::find_if(batches.begin(), batches.end(),
                                          [&](const auto& b) { return b.lastOffset >= target; });
        EXPECT_EQ(found->position, holding->position) << target;
    }
    EXPECT_FALSE(segment.translateOffset(offset)) << "past the last batch";
}

// What the COURSE map asks: a timestamp lookup finds the first record, by offset, whose
// timestamp is at least the one asked for, even where timestamps go back and forth.
TEST_F(SegmentIndexTest, ATimestampLookupFindsTheFirstRecordAtOrAfterTheTimestamp) {
    LogConfig config;
    config.indexIntervalBytes = 200;
    LogSegment segment(dir, 0, config, kNow);
    // Timestamps rise in steps of 10 ms with a dip every 7th record.
    auto timestampOf = [](std::int64_t offset) {
        return kNow + 10 * offset - (offset % 7 == 3 ? 55 : 0);
    };
    std::int64_t offset = 0;
    for (int b = 0; b < 50; ++b) {
        append(segment, batchAt(offset, 3, timestampOf));
        offset += 3;
    }
    ASSERT_GT(segment.timeIndex().entries(), 3);
    for (std::int64_t target = kNow - 100; target < kNow + 10 * offset + 20; target += 3) {
        std::optional<std::int64_t> expected;
        for (std::int64_t o = 0; o < offset && !expected; ++o)
            if (timestampOf(o) >= target) expected = o;
        const auto found = segment.findOffsetByTimestamp(target, 0);
        ASSERT_EQ(found.has_value(), expected.has_value()) << target;
        if (!found) continue;
        EXPECT_EQ(found->offset, *expected) << target;
        EXPECT_EQ(found->timestamp, timestampOf(*expected));
    }
}

TEST_F(SegmentIndexTest, TheIndexFilesSitBesideTheLogNamedByTheBaseOffset) {
    LogConfig config;
    config.maxIndexSize = 4096;
    const LogSegment segment(dir, 42, config, kNow);
    EXPECT_TRUE(std::filesystem::exists(dir / "00000000000000000042.log"));
    EXPECT_EQ(std::filesystem::file_size(dir / "00000000000000000042.index"), 4096u);
    EXPECT_EQ(std::filesystem::file_size(dir / "00000000000000000042.timeindex"), 4092u)
        << "341 entries of 12 bytes";
}

// What the COURSE map asks: a full index rolls the segment, whatever its size.
TEST_F(SegmentIndexTest, AFullOffsetIndexRollsTheSegment) {
    LogConfig config;
    config.indexIntervalBytes = 0;  // an entry for every batch after the first
    config.maxIndexSize = 48;       // 6 offset entries; 4 time entries, one kept free
    auto settings = test::logSettings({"indexed", 0}, config);
    Log log(settings);
    for (int b = 0; b < 20; ++b) log.append(batchAt(0, 2));  // one timestamp: one time entry
    const auto segments = log.segmentBaseOffsets();
    ASSERT_EQ(segments, (std::vector<std::int64_t>{0, 14, 28})) << "7 batches a segment";
    for (const auto base : {0, 14})
        EXPECT_EQ(std::filesystem::file_size(LogSegment::offsetIndexFile(log.dir(), base)), 48u)
            << "6 entries, cut to them when the segment rolled";
    EXPECT_EQ(std::filesystem::file_size(LogSegment::timeIndexFile(log.dir(), 0)), 12u);
}

TEST_F(SegmentIndexTest, AFullTimeIndexRollsTheSegment) {
    LogConfig config;
    config.indexIntervalBytes = 0;
    config.maxIndexSize = 48;
    Log log(test::logSettings({"indexed", 0}, config));
    for (int b = 0; b < 12; ++b)  // each batch later than the last: a time entry each
        log.append(batchAt(0, 1, [b](std::int64_t) { return kNow + b; }));
    const auto segments = log.segmentBaseOffsets();
    ASSERT_EQ(segments, (std::vector<std::int64_t>{0, 4, 8})) << "3 time entries and a roll";
    EXPECT_EQ(std::filesystem::file_size(LogSegment::timeIndexFile(log.dir(), 0)), 36u)
        << "3 entries: the roll's own would repeat the last, the segment's largest timestamp";
}

// Until chapter 34, the log builds every index again when it opens: the same bytes appends
// made, whatever the files held.
TEST_F(SegmentIndexTest, ALogOpenedAgainBuildsItsIndexesAgainByteForByte) {
    LogConfig config;
    config.indexIntervalBytes = 250;
    config.segmentBytes = 2000;
    auto settings = test::logSettings({"indexed", 0}, config);
    std::vector<Bytes> written;
    std::vector<std::int64_t> segments;
    {
        Log log(settings);
        for (int b = 0; b < 60; ++b)
            log.append(batchAt(0, 1 + b % 3, [b](std::int64_t) { return kNow + 5 * b; }));
        segments = log.segmentBaseOffsets();
    }
    ASSERT_GE(segments.size(), 3u);
    for (const auto base : segments) {
        written.push_back(fileBytes(LogSegment::offsetIndexFile(settings.dir, base)));
        written.push_back(fileBytes(LogSegment::timeIndexFile(settings.dir, base)));
    }
    // Garbage in one index, another gone: neither is trusted.
    std::ofstream(LogSegment::offsetIndexFile(settings.dir, segments[0]), std::ios::binary)
        << std::string(64, '\x7f');
    std::filesystem::remove(LogSegment::timeIndexFile(settings.dir, segments[1]));
    {
        const Log reopened(settings);
        EXPECT_FALSE(reopened.read(7, 1, true).records.empty());
    }
    std::vector<Bytes> rebuilt;
    for (const auto base : segments) {
        rebuilt.push_back(fileBytes(LogSegment::offsetIndexFile(settings.dir, base)));
        rebuilt.push_back(fileBytes(LogSegment::timeIndexFile(settings.dir, base)));
    }
    EXPECT_EQ(rebuilt, written);
}

}  // namespace
}  // namespace kafka::log
