// Chapter 30: the partition log behind Produce and Fetch. Appends are validated and given
// offsets; reads return whole batches from the one holding the offset asked for.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/CorruptRecordException.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/utils/ByteUtils.h"
#include "kafka/common/utils/Crc32C.h"
#include "kafka/log/Log.h"
#include "kafka/log/LogManager.h"
#include "support/LogDirs.h"

namespace kafka::log {
namespace {

using common::record::MemoryRecords;
using common::record::MemoryRecordsBuilder;
using common::utils::Bytes;

// A producer's batch of `count` records "v0", "v1", ... with timestamps from `timestamp`.
Bytes batchOf(int count, std::int64_t timestamp = 1000) {
    MemoryRecordsBuilder builder(1 << 20);
    for (int i = 0; i < count; ++i) {
        const std::string value = "v" + std::to_string(i);
        builder.append(timestamp + i, std::nullopt, Bytes(value.begin(), value.end()));
    }
    return builder.build();
}

// `batch` with other attributes (compression, control flag), its CRC made right again: a batch
// a client could really send.
Bytes withAttributes(Bytes batch, std::int16_t attributes) {
    using common::record::DefaultRecordBatch;
    using common::utils::ByteUtils;
    ByteUtils::writeBigEndian(std::span<std::uint8_t>(batch), DefaultRecordBatch::kAttributesOffset,
                              attributes);
    const auto crc = common::utils::Crc32C::compute(
        std::span<const std::uint8_t>(batch).subspan(DefaultRecordBatch::kAttributesOffset));
    ByteUtils::writeBigEndian(std::span<std::uint8_t>(batch), DefaultRecordBatch::kCrcOffset,
                              static_cast<std::int32_t>(crc));
    return batch;
}

// (base offset, record count) of each batch in `records`.
std::vector<std::pair<std::int64_t, std::int32_t>> batchesIn(const Bytes& records) {
    std::vector<std::pair<std::int64_t, std::int32_t>> found;
    for (const auto& batch : MemoryRecords::readableRecords(records).batches()) {
        batch.ensureValid();  // the stamped offset did not break the CRC
        found.emplace_back(batch.baseOffset(), batch.recordsCount());
    }
    return found;
}

TEST(Log, AppendsGetConsecutiveOffsets) {
    Log log(test::logSettings({"t", 0}));
    EXPECT_EQ(log.append(batchOf(3)).firstOffset, 0);
    const auto second = log.append(batchOf(2));
    EXPECT_EQ(second.firstOffset, 3);
    EXPECT_EQ(second.lastOffset, 4);
    EXPECT_EQ(log.logEndOffset(), 5);
}

TEST(Log, AReadStartsAtTheBatchHoldingTheOffset) {
    Log log(test::logSettings({"t", 0}));
    log.append(batchOf(3));  // 0-2
    log.append(batchOf(3));  // 3-5
    log.append(batchOf(3));  // 6-8
    EXPECT_EQ(batchesIn(log.read(0, 1 << 20, true).records),
              (std::vector<std::pair<std::int64_t, std::int32_t>>{{0, 3}, {3, 3}, {6, 3}}));
    EXPECT_EQ(batchesIn(log.read(4, 1 << 20, true).records),
              (std::vector<std::pair<std::int64_t, std::int32_t>>{{3, 3}, {6, 3}}))
        << "the consumer skips offset 3 itself";
    EXPECT_TRUE(log.read(9, 1 << 20, true).records.empty()) << "at the end: nothing yet";
    EXPECT_EQ(log.read(9, 1 << 20, true).highWatermark, 9);
    EXPECT_THROW(log.read(10, 1 << 20, true), common::errors::OffsetOutOfRangeException);
}

TEST(Log, MaxBytesStopsBeforeABatchButTheFirstAlwaysGoesWhole) {
    Log log(test::logSettings({"t", 0}));
    log.append(batchOf(100));
    log.append(batchOf(100));
    EXPECT_EQ(batchesIn(log.read(0, 10, true).records).size(), 1u) << "KIP-74: never stuck";
    EXPECT_EQ(batchesIn(log.read(0, 1 << 20, true).records).size(), 2u);
}

TEST(Log, ABadBatchIsRefusedAndNothingIsAppended) {
    Log log(test::logSettings({"t", 0}));
    auto corrupt = batchOf(2);
    corrupt.back() ^= 0xff;  // a bit flipped in the last record
    EXPECT_THROW(log.append(corrupt), common::record::CorruptRecordException);
    auto two = batchOf(1);
    const auto other = batchOf(1);
    two.insert(two.end(), other.begin(), other.end());
    EXPECT_THROW(log.append(two), common::errors::InvalidRecordException);
    EXPECT_THROW(log.append(Bytes{}), common::errors::InvalidRecordException);
    EXPECT_EQ(log.logEndOffset(), 0);
}

// What Kafka's LogValidator refuses: a client may not write control
// records, a batch must be magic 2, a codec must exist, and no batch is above
// message.max.bytes (1048588 by default). Nothing is appended for any of them.
TEST(Log, ControlBatchesWrongMagicUnknownCodecsAndHugeBatchesAreRefused) {
    using common::record::DefaultRecordBatch;
    Log log(test::logSettings({"t", 0}));
    EXPECT_THROW(log.append(withAttributes(batchOf(1), DefaultRecordBatch::kControlFlagMask)),
                 common::errors::InvalidRecordException);
    auto magicOne = batchOf(1);
    magicOne[DefaultRecordBatch::kMagicOffset] = 1;
    EXPECT_THROW(log.append(magicOne), common::errors::InvalidRecordException);
    EXPECT_THROW(log.append(withAttributes(batchOf(1), 5)),
                 common::errors::UnsupportedCompressionTypeException);
    MemoryRecordsBuilder big(2 << 20);
    big.append(1000, std::nullopt, Bytes(1100 * 1024, 'x'));
    EXPECT_THROW(log.append(big.build()), common::errors::RecordTooLargeException);
    EXPECT_EQ(log.logEndOffset(), 0);
}

/*> ch30-38 compressed-refused-test
// Compressed batches are not read before the compression chapters, so they cannot be
// validated: a batch that claims a million records would move the log end a million offsets.
// Refused, with an error the producer understands, until the broker can read them.
TEST(Log, ACompressedBatchIsRefusedUntilTheBrokerCanValidateIt) {
    Log log(test::logSettings({"t", 0}));
    EXPECT_THROW(log.append(withAttributes(batchOf(3), 1)),  // codec 1: gzip
                 common::errors::UnsupportedCompressionTypeException);
    EXPECT_EQ(log.logEndOffset(), 0);
}
*/

// A negative size is a caller's bug, not a request for everything, and
// only the first partition of a fetch may go past its limit to return one whole batch.
TEST(Log, ANegativeMaxBytesIsRefusedAndOnlyTheFirstReadGoesPastItsLimit) {
    Log log(test::logSettings({"t", 0}));
    log.append(batchOf(3));
    log.append(batchOf(3));
    EXPECT_THROW(log.read(0, -1, true), common::errors::IllegalArgumentException);
    EXPECT_EQ(batchesIn(log.read(0, 10, true).records).size(), 1u);
    EXPECT_TRUE(log.read(0, 10, false).records.empty()) << "not the first: the limit holds";
    EXPECT_TRUE(log.read(0, 0, false).records.empty());
}

TEST(Log, OffsetForTimestampFindsTheFirstRecordAtOrAfterIt) {
    Log log(test::logSettings({"t", 0}));
    log.append(batchOf(3, 1000));  // offsets 0-2 at 1000-1002
    log.append(batchOf(3, 2000));  // offsets 3-5 at 2000-2002
    EXPECT_EQ(log.offsetForTimestamp(1001), std::make_pair(std::int64_t{1}, std::int64_t{1001}));
    EXPECT_EQ(log.offsetForTimestamp(1500), std::make_pair(std::int64_t{3}, std::int64_t{2000}));
    EXPECT_EQ(log.offsetForTimestamp(5000), std::make_pair(std::int64_t{-1}, std::int64_t{-1}));
}

TEST(LogManager, TopicsAreCreatedOnceWithKafkasNameRules) {
    LogManager logs(test::logManagerSettings());
    EXPECT_EQ(logs.createTopic("orders", 3), 3);
    EXPECT_EQ(logs.createTopic("orders", 5), 3) << "it exists: unchanged";
    EXPECT_NE(logs.getLog({"orders", 2}), nullptr);
    EXPECT_EQ(logs.getLog({"orders", 3}), nullptr);
    EXPECT_EQ(logs.getLog({"missing", 0}), nullptr);
    for (const std::string& bad :
         std::vector<std::string>{"", ".", "..", "has space", "slash/", std::string(250, 'a')})
        EXPECT_THROW(logs.createTopic(bad, 1), common::errors::InvalidTopicException) << bad;
    EXPECT_TRUE(LogManager::isValidTopicName("a.b_c-D9"));
}

}  // namespace
}  // namespace kafka::log
