// Chapter 33: the offset index and the time index, byte for byte as Kafka writes them, and the
// lookups that find the greatest entry at most a target, in the warm section and before it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <vector>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/utils/Bytes.h"
#include "kafka/log/OffsetIndex.h"
#include "kafka/log/TimeIndex.h"
#include "support/LogDirs.h"

namespace kafka::log {
namespace {

using common::utils::Bytes;

Bytes fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::filesystem::path indexFile(const char* name = "00000000000000001000.index") {
    return test::scratchDir() / name;
}

TEST(OffsetIndex, AnEntryIsARelativeOffsetThenAPositionBigEndianEightBytesInAll) {
    const auto file = indexFile();
    {
        OffsetIndex index(file, 1000, 1024);
        index.append(1005, 4096);
        index.append(1010, 9000);
    }                                                                // closed: cut to its entries
    EXPECT_EQ(fileBytes(file), (Bytes{0, 0, 0, 5, 0, 0, 0x10, 0x00,  //
                                      0, 0, 0, 10, 0, 0, 0x23, 0x28}));
}

TEST(OffsetIndex, ANewIndexIsAsLargeAsItMayGrowUntilItIsCutToItsEntries) {
    const auto file = indexFile();
    OffsetIndex index(file, 1000, 1001);
    EXPECT_EQ(std::filesystem::file_size(file), 1000u) << "rounded down to whole entries";
    EXPECT_EQ(index.maxEntries(), 125);
    EXPECT_EQ(index.entries(), 0);
    index.append(1001, 0);
    index.append(1002, 61);
    index.trimToValidSize();
    EXPECT_EQ(std::filesystem::file_size(file), 16u);
    index.resize(1000);
    EXPECT_EQ(index.entries(), 2) << "a resize keeps the entries";
    EXPECT_EQ(index.lookup(1002), (OffsetPosition{1002, 61}));
}

TEST(OffsetIndex, AnIndexOpenedAgainHasTheEntriesItWasCutTo) {
    const auto file = indexFile();
    {
        OffsetIndex index(file, 1000, 1024);
        for (int i = 1; i <= 10; ++i) index.append(1000 + 7 * i, 100 * i);
    }
    const OffsetIndex reopened(file, 1000, 1024);
    EXPECT_EQ(reopened.entries(), 10);
    EXPECT_EQ(reopened.lookup(1050), (OffsetPosition{1049, 700}));
    EXPECT_EQ(reopened.lastOffset(), 1070);
}

// The search against a plain scan, over an index long enough to have a cold part before the
// warm section (the last 8 KiB, 1,024 entries): every target, between entries and on them.
TEST(OffsetIndex, ALookupFindsTheGreatestEntryAtMostTheTargetInTheWarmSectionAndBeforeIt) {
    constexpr int kEntries = 3000;
    OffsetIndex index(indexFile(), 1000, kEntries * OffsetIndex::kEntrySize);
    std::vector<OffsetPosition> entries;
    for (int i = 0; i < kEntries; ++i) {
        entries.push_back({1000 + 3 * i + 2, 61 * i});
        index.append(entries.back().offset, entries.back().position);
    }
    EXPECT_TRUE(index.isFull());
    for (std::int64_t target = 990; target < 1000 + 3 * kEntries + 5; ++target) {
        OffsetPosition expected{1000, 0};  // no entry that low: the start of the file
        for (const auto& entry : entries)
            if (entry.offset <= target) expected = entry;
        ASSERT_EQ(index.lookup(target), expected) << "target " << target;
    }
}

TEST(OffsetIndex, OffsetsOnlyGrowAndMustFitInFourBytes) {
    OffsetIndex index(indexFile(), 1000, 1024);
    index.append(1010, 0);
    EXPECT_THROW(index.append(1010, 100), common::errors::IllegalArgumentException);
    EXPECT_THROW(index.append(1005, 100), common::errors::IllegalArgumentException);
    EXPECT_THROW(index.append(1001LL + std::numeric_limits<std::int32_t>::max(), 100),
                 common::errors::IllegalArgumentException);
    EXPECT_EQ(index.entries(), 1);
}

TEST(OffsetIndex, AFullIndexRefusesAnEntry) {
    OffsetIndex index(indexFile(), 0, 24);
    for (int i = 1; i <= 3; ++i) index.append(i, i * 100);
    EXPECT_TRUE(index.isFull());
    EXPECT_THROW(index.append(4, 400), common::errors::IllegalArgumentException);
}

TEST(TimeIndex, AnEntryIsATimestampThenARelativeOffsetBigEndianTwelveBytesInAll) {
    const auto file = indexFile("00000000000000001000.timeindex");
    {
        TimeIndex index(file, 1000, 1200);
        index.maybeAppend(0x0102030405060708, 1003);
    }
    EXPECT_EQ(fileBytes(file), (Bytes{1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 3}));
}

TEST(TimeIndex, OnlyALargerTimestampAddsAnEntryAndNeitherGoesBack) {
    TimeIndex index(indexFile("00000000000000001000.timeindex"), 1000, 1200);
    index.maybeAppend(500, 1004);
    index.maybeAppend(500, 1009);  // the same largest timestamp: nothing new to say
    index.maybeAppend(700, 1012);
    EXPECT_EQ(index.entries(), 2);
    EXPECT_EQ(index.lastEntry(), (TimestampOffset{700, 1012}));
    EXPECT_THROW(index.maybeAppend(800, 1011), common::errors::IllegalArgumentException);
    EXPECT_THROW(index.maybeAppend(600, 1020), common::errors::IllegalArgumentException);
}

TEST(TimeIndex, ALookupFindsTheGreatestTimestampAtMostTheTarget) {
    TimeIndex index(indexFile("00000000000000001000.timeindex"), 1000, 1200);
    index.maybeAppend(100, 1004);
    index.maybeAppend(200, 1009);
    index.maybeAppend(300, 1014);
    EXPECT_EQ(index.lookup(99), (TimestampOffset{TimestampOffset::kNoTimestamp, 1000}));
    EXPECT_EQ(index.lookup(100), (TimestampOffset{100, 1004}));
    EXPECT_EQ(index.lookup(250), (TimestampOffset{200, 1009}));
    EXPECT_EQ(index.lookup(1000), (TimestampOffset{300, 1014}));
}

// A rolled segment adds one last entry, its largest timestamp: a full time index keeps a slot
// for it.
TEST(TimeIndex, AFullTimeIndexKeepsOneSlotForTheEntryOfARoll) {
    TimeIndex index(indexFile("00000000000000001000.timeindex"), 1000, 36);
    index.maybeAppend(100, 1001);
    index.maybeAppend(200, 1002);
    EXPECT_TRUE(index.isFull());
    EXPECT_THROW(index.maybeAppend(300, 1003), common::errors::IllegalArgumentException);
    index.maybeAppend(300, 1003, /*skipFullCheck=*/true);
    EXPECT_EQ(index.entries(), 3);
    EXPECT_EQ(index.lookup(300), (TimestampOffset{300, 1003}));
}

}  // namespace
}  // namespace kafka::log
