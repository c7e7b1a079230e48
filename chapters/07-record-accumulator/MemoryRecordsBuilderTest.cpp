// Chapter 7: MemoryRecordsBuilder writes record batch v2 byte for byte as Kafka does. The
// known answers of the course reference, a round trip of many records through the reader,
// batch.size (hasRoomFor), and exactly which bytes the CRC covers.
#include <gtest/gtest.h>

#include <random>

#include "RecordTestSupport.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/record/AbstractRecords.h"
#include "kafka/common/record/DefaultRecord.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"

namespace kafka::common::record {
namespace {

using header::Header;
using header::Headers;
using test::kBaseTimestamp;
using test::toHex;
using utils::Bytes;
using utils::toBytes;

constexpr int kBatchSize = 16384;  // batch.size's default

TEST(MemoryRecordsBuilder, WritesTestVector1ByteForByte) {
    MemoryRecordsBuilder builder(kBatchSize);
    EXPECT_EQ(builder.append(kBaseTimestamp, std::nullopt, toBytes("hi")), 0);
    const Bytes& built = builder.build();
    EXPECT_EQ(built.size(), 70u);
    EXPECT_EQ(toHex(built), toHex(test::testVector1()));
    DefaultRecordBatch batch(built);
    EXPECT_EQ(batch.checksum(), 0xBBCC4115u);
    EXPECT_EQ(batch.batchLength(), 58);
}

TEST(MemoryRecordsBuilder, WritesTestVector2ByteForByte) {
    MemoryRecordsBuilder builder(kBatchSize);
    EXPECT_EQ(builder.append(kBaseTimestamp, toBytes("k"), toBytes("v1")), 0);
    EXPECT_EQ(builder.append(kBaseTimestamp + 5, std::nullopt, toBytes("v2")), 1);
    const Bytes& built = builder.build();
    EXPECT_EQ(built.size(), 80u);
    EXPECT_EQ(toHex(built), toHex(test::testVector2()));
    DefaultRecordBatch batch(built);
    EXPECT_EQ(batch.checksum(), 0xCA881A9Au);
    EXPECT_EQ(batch.lastOffsetDelta(), 1);
    EXPECT_EQ(batch.maxTimestamp(), kBaseTimestamp + 5);
}

TEST(DefaultRecordBatch, ReadsTestVector2FieldByField) {
    const Bytes bytes = test::testVector2();
    DefaultRecordBatch batch(bytes);
    EXPECT_NO_THROW(batch.ensureValid());
    EXPECT_EQ(batch.baseOffset(), 0);
    EXPECT_EQ(batch.batchLength(), 68);
    EXPECT_EQ(batch.partitionLeaderEpoch(), -1);
    EXPECT_EQ(batch.magic(), 2);
    EXPECT_EQ(batch.attributes(), 0);
    EXPECT_EQ(batch.compressionType(), 0);
    EXPECT_FALSE(batch.isLogAppendTime());
    EXPECT_FALSE(batch.isTransactional());
    EXPECT_FALSE(batch.isControlBatch());
    EXPECT_EQ(batch.baseTimestamp(), kBaseTimestamp);
    EXPECT_EQ(batch.producerId(), -1);
    EXPECT_EQ(batch.producerEpoch(), -1);
    EXPECT_EQ(batch.baseSequence(), -1);
    EXPECT_EQ(batch.recordsCount(), 2);
    const auto records = batch.records();
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].offset(), 0);
    EXPECT_EQ(records[0].timestamp(), kBaseTimestamp);
    EXPECT_EQ(records[0].key(), toBytes("k"));
    EXPECT_EQ(records[0].value(), toBytes("v1"));
    EXPECT_EQ(records[0].sizeInBytes(), 10);  // 0x12 = zigzag(9), then 9 bytes
    EXPECT_EQ(records[1].offset(), 1);
    EXPECT_EQ(records[1].timestamp(), kBaseTimestamp + 5);
    EXPECT_EQ(records[1].key(), std::nullopt);
    EXPECT_EQ(records[1].value(), toBytes("v2"));
    EXPECT_TRUE(records[1].headers().empty());
}

struct Sent {
    std::int64_t timestamp;
    std::optional<Bytes> key;
    std::optional<Bytes> value;
    Headers headers;
};

std::vector<Sent> randomRecords(int count, std::uint32_t seed) {
    std::mt19937 random(seed);
    auto someBytes = [&](std::size_t maxSize) -> std::optional<Bytes> {
        if (random() % 5 == 0) return std::nullopt;  // a fifth are null
        Bytes bytes(random() % (maxSize + 1));       // some are empty, which is not null
        for (auto& b : bytes) b = static_cast<std::uint8_t>(random());
        return bytes;
    };
    std::vector<Sent> sent;
    for (int i = 0; i < count; ++i) {
        // Mostly increasing, sometimes earlier than the first record (a negative delta).
        const std::int64_t timestamp =
            kBaseTimestamp + static_cast<std::int64_t>(random() % 100000) - 5000;
        auto key = someBytes(20);
        auto value = someBytes(i % 50 == 0 ? 300 : 40);  // a few need 2-byte lengths
        Headers headers;
        for (std::uint32_t h = random() % 4; h > 0; --h)
            headers.push_back(Header{"h" + std::to_string(h), someBytes(10)});
        sent.push_back(Sent{timestamp, std::move(key), std::move(value), std::move(headers)});
    }
    return sent;
}

TEST(MemoryRecordsBuilder, RoundTripsManyRecordsThroughTheReader) {
    const auto sent = randomRecords(500, 20240601);
    MemoryRecordsBuilder builder(1 << 20);
    for (std::size_t i = 0; i < sent.size(); ++i)
        EXPECT_EQ(builder.append(sent[i].timestamp, sent[i].key, sent[i].value, sent[i].headers),
                  static_cast<std::int32_t>(i));
    const Bytes& built = builder.build();
    EXPECT_EQ(builder.estimatedSizeInBytes(), static_cast<int>(built.size()));

    const auto batches = MemoryRecords::readableRecords(built).batches();
    ASSERT_EQ(batches.size(), 1u);
    const auto& batch = batches[0];
    EXPECT_NO_THROW(batch.ensureValid());
    EXPECT_EQ(batch.recordsCount(), 500);
    EXPECT_EQ(batch.lastOffsetDelta(), 499);
    EXPECT_EQ(batch.baseTimestamp(), sent[0].timestamp);
    std::int64_t maxTimestamp = sent[0].timestamp;
    for (const auto& s : sent) maxTimestamp = std::max(maxTimestamp, s.timestamp);
    EXPECT_EQ(batch.maxTimestamp(), maxTimestamp);

    const auto records = batch.records();
    ASSERT_EQ(records.size(), sent.size());
    int totalSize = 0;
    for (std::size_t i = 0; i < sent.size(); ++i) {
        EXPECT_EQ(records[i].offset(), static_cast<std::int64_t>(i));
        EXPECT_EQ(records[i].timestamp(), sent[i].timestamp) << i;
        EXPECT_EQ(records[i].key(), sent[i].key) << i;
        EXPECT_EQ(records[i].value(), sent[i].value) << i;
        EXPECT_EQ(records[i].headers(), sent[i].headers) << i;
        EXPECT_EQ(records[i].attributes(), 0);
        // The size the builder plans with is the size the reader finds.
        EXPECT_EQ(records[i].sizeInBytes(),
                  DefaultRecord::sizeInBytes(static_cast<std::int32_t>(i),
                                             sent[i].timestamp - sent[0].timestamp, sent[i].key,
                                             sent[i].value, sent[i].headers));
        // Chapter 4's upper bound really is one.
        EXPECT_LE(records[i].sizeInBytes(), AbstractRecords::recordSizeUpperBound(
                                                sent[i].key, sent[i].value, sent[i].headers));
        totalSize += records[i].sizeInBytes();
    }
    EXPECT_EQ(totalSize + 61, static_cast<int>(built.size()));
}

TEST(MemoryRecordsBuilder, KeepsNullAndEmptyApartInKeysValuesAndHeaderValues) {
    MemoryRecordsBuilder builder(kBatchSize);
    builder.append(kBaseTimestamp, Bytes{}, std::nullopt,
                   {Header{"null", std::nullopt}, Header{"empty", Bytes{}}, Header{"", Bytes{1}}});
    builder.append(kBaseTimestamp, std::nullopt, Bytes{});
    const Bytes& built = builder.build();
    const auto records = DefaultRecordBatch(built).records();
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].key(), Bytes{});
    EXPECT_EQ(records[0].value(), std::nullopt);
    ASSERT_EQ(records[0].headers().size(), 3u);
    EXPECT_EQ(records[0].headers()[0], (Header{"null", std::nullopt}));
    EXPECT_EQ(records[0].headers()[1], (Header{"empty", Bytes{}}));
    EXPECT_EQ(records[0].headers()[2], (Header{"", Bytes{1}}));
    EXPECT_EQ(records[1].key(), std::nullopt);
    EXPECT_EQ(records[1].value(), Bytes{});
}

TEST(MemoryRecordsBuilder, StopsHavingRoomAtTheWriteLimit) {
    // Each record: null key, 6-byte value, same timestamp: 1 length + 1 attributes
    // + 1 timestampDelta + 1 offsetDelta + 1 key + 1+6 value + 1 headers = 13 bytes.
    const auto value = toBytes("abcdef");
    ASSERT_EQ(DefaultRecord::sizeInBytes(0, 0, std::nullopt, value, {}), 13);
    MemoryRecordsBuilder builder(61 + 2 * 13);
    EXPECT_EQ(builder.estimatedSizeInBytes(), 61);
    EXPECT_TRUE(builder.hasRoomFor(kBaseTimestamp, std::nullopt, value));
    builder.append(kBaseTimestamp, std::nullopt, value);
    EXPECT_EQ(builder.estimatedSizeInBytes(), 74);
    EXPECT_TRUE(builder.hasRoomFor(kBaseTimestamp, std::nullopt, value));
    EXPECT_FALSE(builder.isFull());
    builder.append(kBaseTimestamp, std::nullopt, value);
    EXPECT_EQ(builder.estimatedSizeInBytes(), 87);
    EXPECT_TRUE(builder.isFull());  // exactly at the limit
    EXPECT_FALSE(builder.hasRoomFor(kBaseTimestamp, std::nullopt, value));
    EXPECT_FALSE(builder.hasRoomFor(kBaseTimestamp, std::nullopt, std::nullopt));
    EXPECT_EQ(static_cast<int>(builder.build().size()), 87);
}

TEST(MemoryRecordsBuilder, CountsTheRecordsDeltasInItsSize) {
    // One byte short: a record 64 ms later needs a 2-byte timestampDelta (zigzag(64) = 128).
    const auto value = toBytes("abcdef");
    MemoryRecordsBuilder builder(61 + 13 + 13);
    builder.append(kBaseTimestamp, std::nullopt, value);
    EXPECT_TRUE(builder.hasRoomFor(kBaseTimestamp + 63, std::nullopt, value));
    EXPECT_FALSE(builder.hasRoomFor(kBaseTimestamp + 64, std::nullopt, value));
}

TEST(MemoryRecordsBuilder, FirstRecordAlwaysFitsEvenAboveTheLimit) {
    const Bytes big(1000, 0x42);
    MemoryRecordsBuilder builder(100);
    EXPECT_TRUE(builder.hasRoomFor(kBaseTimestamp, std::nullopt, big));
    builder.append(kBaseTimestamp, std::nullopt, big);
    EXPECT_TRUE(builder.isFull());
    EXPECT_FALSE(builder.hasRoomFor(kBaseTimestamp, std::nullopt, Bytes{}));
    EXPECT_GT(builder.estimatedSizeInBytes(), 1000);

    MemoryRecordsBuilder noBatching(0);  // batch.size=0: one record a batch, never none
    EXPECT_FALSE(noBatching.isFull());
    EXPECT_TRUE(noBatching.hasRoomFor(kBaseTimestamp, std::nullopt, Bytes{}));
}

TEST(MemoryRecordsBuilder, IsClosedForAppendsAfterClose) {
    MemoryRecordsBuilder builder(kBatchSize);
    builder.append(kBaseTimestamp, std::nullopt, toBytes("hi"));
    builder.close();
    builder.close();  // harmless
    EXPECT_TRUE(builder.isClosed());
    EXPECT_TRUE(builder.isFull());
    EXPECT_FALSE(builder.hasRoomFor(kBaseTimestamp, std::nullopt, toBytes("hi")));
    try {
        builder.append(kBaseTimestamp, std::nullopt, toBytes("late"));
        FAIL() << "appended after close";
    } catch (const errors::IllegalStateException& e) {
        EXPECT_STREQ(e.what(),
                     "Tried to append a record, but MemoryRecordsBuilder is closed for record "
                     "appends");
    }
    EXPECT_EQ(toHex(builder.build()), toHex(test::testVector1()));
}

TEST(MemoryRecordsBuilder, ClosedForAppendsLeavesTheHeaderToClose) {
    MemoryRecordsBuilder builder(kBatchSize);
    builder.append(kBaseTimestamp, std::nullopt, toBytes("hi"));
    builder.closeForRecordAppends();
    // Full and closed to appends, but the header (and its CRC) is not written yet.
    EXPECT_TRUE(builder.isFull());
    EXPECT_FALSE(builder.isClosed());
    EXPECT_FALSE(builder.hasRoomFor(kBaseTimestamp, std::nullopt, toBytes("hi")));
    EXPECT_THROW(builder.append(kBaseTimestamp, std::nullopt, toBytes("late")),
                 errors::IllegalStateException);
    EXPECT_EQ(toHex(builder.build()), toHex(test::testVector1()));
    EXPECT_TRUE(builder.isClosed());
}

TEST(MemoryRecordsBuilder, BuildsNothingWithoutRecords) {
    MemoryRecordsBuilder builder(kBatchSize);
    EXPECT_TRUE(builder.build().empty());
    EXPECT_EQ(builder.estimatedSizeInBytes(), 0);
    EXPECT_TRUE(MemoryRecords::readableRecords(builder.build()).batches().empty());
}

TEST(MemoryRecordsBuilder, RefusesNegativeTimestampsButNoTimestamp) {
    MemoryRecordsBuilder builder(kBatchSize);
    EXPECT_THROW(builder.append(-2, std::nullopt, toBytes("x")), errors::IllegalArgumentException);
    EXPECT_EQ(builder.append(-1, std::nullopt, toBytes("x")), 0);  // RecordBatch.NO_TIMESTAMP
}

TEST(RecordBatchCrc, CoversExactlyTheBytesFromTheAttributesOn) {
    const Bytes original = test::testVector2();
    for (std::size_t i = 0; i < original.size(); ++i) {
        Bytes flipped = original;
        flipped[i] ^= 0x01;
        const auto stored = utils::ByteUtils::readBigEndian<std::uint32_t>(flipped, 17);
        const auto computed =
            utils::Crc32C::compute(std::span<const std::uint8_t>(flipped).subspan(21));
        // [0, 17): baseOffset, batchLength, partitionLeaderEpoch and magic are outside it;
        // [17, 21) is the CRC itself; [21, end) is what it covers.
        EXPECT_EQ(stored == computed, i < 17) << "byte " << i;
    }
}

TEST(RecordBatchCrc, SurvivesTheBrokerAssigningOffsetAndLeaderEpoch) {
    // What a broker does to every batch it appends: no CRC to recompute.
    Bytes batch = test::testVector1();
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(batch), 0, std::int64_t{4242});
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(batch), 12, std::int32_t{7});
    DefaultRecordBatch rewritten(batch);
    EXPECT_NO_THROW(rewritten.ensureValid());
    EXPECT_EQ(rewritten.partitionLeaderEpoch(), 7);
    EXPECT_EQ(rewritten.records().at(0).offset(), 4242);

    batch[21 + 1] ^= 0x08;  // ...but setting LogAppendTime (an attribute) needs a new CRC
    EXPECT_FALSE(DefaultRecordBatch(batch).isValid());
}

TEST(MemoryRecords, ReadsBatchesBackToBack) {
    Bytes buffer = test::testVector1();
    const Bytes second = test::testVector2();
    buffer.insert(buffer.end(), second.begin(), second.end());
    const auto batches = MemoryRecords::readableRecords(buffer).batches();
    ASSERT_EQ(batches.size(), 2u);
    EXPECT_EQ(batches[0].sizeInBytes(), 70);
    EXPECT_EQ(batches[1].sizeInBytes(), 80);
    EXPECT_EQ(batches[1].bytes().data(), buffer.data() + 70);  // views, not copies
    EXPECT_EQ(batches[0].records().size(), 1u);
    EXPECT_EQ(batches[1].records().size(), 2u);
}

}  // namespace
}  // namespace kafka::common::record
