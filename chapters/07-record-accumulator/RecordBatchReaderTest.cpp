// Chapter 7: the reader refuses bytes that are not a sound record batch v2, with a message
// that says what is wrong, and never reads outside the buffer it was given (run these under
// AddressSanitizer to see that last promise kept).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "RecordTestSupport.h"
#include "kafka/common/record/CorruptRecordException.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"

namespace kafka::common::record {
namespace {

using test::fromHex;
using test::reseal;
using utils::Bytes;
using utils::ByteUtils;

// The message of the CorruptRecordException that `action` throws; fails if it throws none.
template <typename Action>
std::string corruption(Action&& action) {
    try {
        action();
    } catch (const CorruptRecordException& e) {
        return e.what();
    }
    ADD_FAILURE() << "no CorruptRecordException";
    return {};
}

// Every check, as a consumer with check.crcs=true or a broker would run them.
void readFully(std::span<const std::uint8_t> bytes) {
    for (const auto& batch : MemoryRecords::readableRecords(bytes).batches()) {
        batch.ensureValid();
        batch.records();
    }
}

void setInt32(Bytes& bytes, std::size_t offset, std::int32_t value) {
    ByteUtils::writeBigEndian(std::span<std::uint8_t>(bytes), offset, value);
}

// A batch whose records region is `records` (hex) with a correct header and CRC.
Bytes batchWithRecords(std::int32_t recordsCount, std::string_view recordsHex) {
    Bytes batch = test::testVector1();
    batch.resize(DefaultRecordBatch::kRecordsOffset);
    const Bytes records = fromHex(recordsHex);
    batch.insert(batch.end(), records.begin(), records.end());
    setInt32(batch, DefaultRecordBatch::kLengthOffset,
             static_cast<std::int32_t>(batch.size() - 12));
    setInt32(batch, DefaultRecordBatch::kRecordsCountOffset, recordsCount);
    reseal(batch);
    return batch;
}

TEST(RecordBatchReader, RefusesABadCrcWithKafkasMessage) {
    Bytes batch = test::testVector1();
    batch.back() ^= 0xff;  // the headers count of the only record
    const auto computed = utils::Crc32C::compute(std::span<const std::uint8_t>(batch).subspan(21));
    DefaultRecordBatch view(batch);
    EXPECT_FALSE(view.isValid());
    EXPECT_EQ(corruption([&] { view.ensureValid(); }),
              "Record batch is corrupt (stored crc = " + std::to_string(0xBBCC4115u) +
                  ", computed crc = " + std::to_string(computed) + ")");
}

TEST(RecordBatchReader, RefusesABufferTruncatedAtAnyLength) {
    Bytes two = test::testVector1();
    const Bytes second = test::testVector2();
    two.insert(two.end(), second.begin(), second.end());
    for (std::size_t length = 1; length < two.size(); ++length) {
        if (length == 70) continue;  // exactly the first batch: whole, and valid
        const auto cut = std::span<const std::uint8_t>(two).first(length);
        const auto message = corruption([&] { readFully(cut); });
        const std::string where = length < 70 ? "position 0" : "position 70";
        EXPECT_NE(message.find("Record batch at " + where + " is truncated"), std::string::npos)
            << length << ": " << message;
    }
    EXPECT_NO_THROW(readFully(std::span<const std::uint8_t>(two).first(70)));
    EXPECT_TRUE(MemoryRecords::readableRecords({}).batches().empty());
}

TEST(RecordBatchReader, RefusesATruncatedBatchViewedDirectly) {
    const Bytes batch = test::testVector1();
    for (std::size_t length = 0; length < batch.size(); ++length)
        EXPECT_THROW(DefaultRecordBatch(std::span<const std::uint8_t>(batch).first(length)),
                     CorruptRecordException)
            << length;
    EXPECT_EQ(corruption([&] { DefaultRecordBatch(std::span(batch).first(60)); }),
              "Record batch is corrupt (the size 60 is smaller than the minimum allowed overhead "
              "61)");
    EXPECT_EQ(corruption([&] { DefaultRecordBatch(std::span(batch).first(69)); }),
              "Record batch is corrupt (batchLength 58 says 70 bytes, but the batch has 69)");
}

TEST(RecordBatchReader, RefusesABatchLengthPastTheEnd) {
    Bytes batch = test::testVector1();
    setInt32(batch, DefaultRecordBatch::kLengthOffset, 59);
    EXPECT_EQ(corruption([&] { readFully(batch); }),
              "Record batch at position 0 is truncated: its batchLength says 59 bytes follow the "
              "length field, but only 58 do");
    setInt32(batch, DefaultRecordBatch::kLengthOffset, INT32_MAX);
    EXPECT_NE(corruption([&] { readFully(batch); }).find("batchLength says 2147483647"),
              std::string::npos);
    setInt32(batch, DefaultRecordBatch::kLengthOffset, -1);
    EXPECT_EQ(corruption([&] { readFully(batch); }),
              "Record batch at position 0 has a negative batchLength -1");
}

TEST(RecordBatchReader, RefusesABatchLengthBelowTheHeader) {
    Bytes batch = test::testVector1();
    setInt32(batch, DefaultRecordBatch::kLengthOffset, 10);  // frames a 22-byte "batch"
    EXPECT_EQ(corruption([&] { readFully(batch); }),
              "Record batch is corrupt (the size 22 is smaller than the minimum allowed overhead "
              "61)");
}

TEST(RecordBatchReader, RefusesAnyMagicButTwo) {
    for (const std::uint8_t magic : {0, 1, 3, 0xff}) {
        Bytes batch = test::testVector1();
        batch[DefaultRecordBatch::kMagicOffset] = magic;
        const auto message = corruption([&] { readFully(batch); });
        EXPECT_EQ(message, "Record batch has magic " +
                               std::to_string(static_cast<std::int8_t>(magic)) +
                               ", but only record batch v2 (magic 2) is supported");
    }
}

TEST(RecordBatchReader, RefusesMoreRecordsDeclaredThanPresent) {
    Bytes batch = test::testVector1();
    setInt32(batch, DefaultRecordBatch::kRecordsCountOffset, 2);
    reseal(batch);  // a writer's bug, not a flipped bit: the CRC is right
    EXPECT_EQ(corruption([&] { readFully(batch); }),
              "Record batch declares 2 records, but its bytes end after 1");
}

TEST(RecordBatchReader, RefusesFewerRecordsDeclaredThanPresent) {
    Bytes batch = test::testVector2();
    setInt32(batch, DefaultRecordBatch::kRecordsCountOffset, 1);
    reseal(batch);
    EXPECT_EQ(corruption([&] { readFully(batch); }),
              "Record batch declares 1 records, but 9 bytes remain after them");
}

TEST(RecordBatchReader, RefusesANegativeRecordCount) {
    Bytes batch = test::testVector1();
    setInt32(batch, DefaultRecordBatch::kRecordsCountOffset, -1);
    reseal(batch);
    EXPECT_EQ(corruption([&] { readFully(batch); }),
              "Found invalid record count -1 in magic v2 batch");
}

TEST(RecordBatchReader, DoesNotTrustAHugeRecordCount) {
    Bytes batch = test::testVector1();
    setInt32(batch, DefaultRecordBatch::kRecordsCountOffset, INT32_MAX);
    reseal(batch);  // must fail on the second record, not allocate for two billion
    EXPECT_EQ(corruption([&] { readFully(batch); }),
              "Record batch declares 2147483647 records, but its bytes end after 1");
}

TEST(RecordBatchReader, RefusesARecordLongerThanTheBatch) {
    // Record length 0x12 = 9 bytes, but only 8 follow.
    const Bytes batch = batchWithRecords(1, "12 00 00 00 01 04 6869 00");
    EXPECT_EQ(corruption([&] { readFully(batch); }),
              "Invalid record size: expected 9 bytes in record payload, but the buffer has only 8 "
              "remaining bytes");
}

TEST(RecordBatchReader, RefusesARecordWhoseFieldsEndEarly) {
    // Record length 0x10 = 8, but its fields take 7 (null key, 1-byte value, 0 headers):
    // the leftover byte belongs to no field.
    const Bytes batch = batchWithRecords(1, "10 00 00 00 01 02 68 00 ff");
    EXPECT_EQ(
        corruption([&] { readFully(batch); }),
        "Invalid record size: expected to read 8 bytes in record payload, but instead read 7");
}

TEST(RecordBatchReader, RefusesAFieldThatRunsPastItsRecord) {
    // The value claims 10 bytes; the record's length leaves it 2.
    const Bytes batch = batchWithRecords(1, "10 00 00 00 01 14 6869 00");
    EXPECT_EQ(corruption([&] { readFully(batch); }),
              "Invalid record at position 0 (length 8): value of 10 bytes at position 5 runs past "
              "the end of the record");
}

TEST(RecordBatchReader, RefusesBadLengthsInsideARecord) {
    EXPECT_EQ(corruption([&] { readFully(batchWithRecords(1, "10 00 00 00 03 04 6869 00")); }),
              "Invalid negative key size -2");
    EXPECT_EQ(corruption([&] { readFully(batchWithRecords(1, "0c 00 00 00 01 01 01")); }),
              "Found invalid number of record headers -1");
    EXPECT_EQ(corruption([&] { readFully(batchWithRecords(1, "0e 00 00 00 01 01 02 01")); }),
              "Invalid negative header key size -1");
    EXPECT_EQ(corruption([&] { readFully(batchWithRecords(1, "01")); }),
              "Invalid record size: expected -1 bytes in record payload, but the buffer has only 0 "
              "remaining bytes");
    // A record length that never ends: 6 bytes all saying "more follows".
    EXPECT_EQ(corruption([&] { readFully(batchWithRecords(1, "ffffffffff01")); }),
              "Invalid record length at position 0: Varint at position 0 is too long: the most "
              "significant bit in byte 5 is set");
}

TEST(RecordBatchReader, NeverCrashesOnRandomDamage) {
    // Damage a real batch at random, sometimes re-sealing the CRC so the structural checks are
    // reached. Every outcome must be a parse or a CorruptRecordException (or the "compressed
    // batches are not supported yet" KafkaException when the damage sets a codec). Under
    // AddressSanitizer this also shows that no read leaves the buffer.
    MemoryRecordsBuilder builder(1 << 16);
    for (int i = 0; i < 20; ++i)
        builder.append(test::kBaseTimestamp + i * 70, utils::toBytes("key-" + std::to_string(i)),
                       utils::toBytes(std::string(static_cast<std::size_t>(i * 3), 'v')),
                       {{"trace", utils::toBytes("abc")}});
    const Bytes original = builder.build();
    std::mt19937 random(99);
    int parsed = 0, refused = 0;
    for (int trial = 0; trial < 5000; ++trial) {
        Bytes damaged = original;
        const int changes = 1 + static_cast<int>(random() % 4);
        for (int c = 0; c < changes; ++c)
            damaged[random() % damaged.size()] = static_cast<std::uint8_t>(random());
        if (random() % 3 == 0) damaged.resize(random() % damaged.size());
        if (damaged.size() > 21 && random() % 2 == 0) reseal(damaged);
        try {
            readFully(damaged);
            ++parsed;
        } catch (const CorruptRecordException&) {
            ++refused;
        } catch (const errors::KafkaException& e) {
            EXPECT_NE(std::string(e.what()).find("compressed batches are not supported"),
                      std::string::npos)
                << e.what();
        }
    }
    EXPECT_GT(refused, 1000);
    EXPECT_GT(parsed, 0);  // a change to a value's bytes, re-sealed, is still a valid batch
}

}  // namespace
}  // namespace kafka::common::record
