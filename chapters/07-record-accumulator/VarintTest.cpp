// Chapter 7: the variable-length integers of record batch v2. Zigzag varints against the
// course reference's table, every size boundary, and reads that refuse bad input.
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <limits>

#include "RecordTestSupport.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::utils {
namespace {

using record::test::fromHex;
using record::test::toHex;

std::string varintHex(std::int32_t value) {
    Bytes out;
    ByteUtils::writeVarint(value, out);
    return toHex(out);
}

std::string varlongHex(std::int64_t value) {
    Bytes out;
    ByteUtils::writeVarlong(value, out);
    return toHex(out);
}

TEST(Varint, MatchesTheReferenceTable) {
    EXPECT_EQ(varintHex(0), "00");
    EXPECT_EQ(varintHex(-1), "01");  // how every null key and value is written
    EXPECT_EQ(varintHex(1), "02");
    EXPECT_EQ(varintHex(-2), "03");
    EXPECT_EQ(varintHex(63), "7e");
    EXPECT_EQ(varintHex(-64), "7f");
    EXPECT_EQ(varintHex(64), "8001");
    EXPECT_EQ(varintHex(300), "d804");
    EXPECT_EQ(varintHex(-300), "d704");
    EXPECT_EQ(varintHex(INT32_MAX), "feffffff0f");
    EXPECT_EQ(varintHex(INT32_MIN), "ffffffff0f");
}

TEST(Varint, ZigzagUsesTheArithmeticShift) {
    EXPECT_EQ(ByteUtils::zigzag(std::int32_t{-1}), 1u);
    EXPECT_EQ(ByteUtils::zigzag(INT32_MIN), 0xffffffffu);
    EXPECT_EQ(ByteUtils::zigzag(std::int64_t{-1}), 1u);
    EXPECT_EQ(ByteUtils::zigzag(INT64_MIN), 0xffffffffffffffffu);
    EXPECT_EQ(ByteUtils::unzigzag(0xffffffffu), INT32_MIN);
    EXPECT_EQ(ByteUtils::unzigzag(std::uint64_t{0xfffffffffffffffe}), INT64_MAX);
}

TEST(Varlong, EncodesTimestampDeltasAndItsExtremes) {
    EXPECT_EQ(varlongHex(0), "00");
    EXPECT_EQ(varlongHex(5), "0a");
    EXPECT_EQ(varlongHex(-1), "01");
    EXPECT_EQ(varlongHex(1700000000000), "80a0abfef962");
    EXPECT_EQ(varlongHex(INT64_MAX), "feffffffffffffffff01");
    EXPECT_EQ(varlongHex(INT64_MIN), "ffffffffffffffffff01");
}

TEST(UnsignedVarint, IsProtobufsBase128WithoutZigzag) {
    Bytes out;
    ByteUtils::writeUnsignedVarint(300, out);  // the protocol's compact lengths use these
    EXPECT_EQ(toHex(out), "ac02");
    std::size_t position = 0;
    EXPECT_EQ(ByteUtils::readUnsignedVarint(out, position), 300u);
    EXPECT_EQ(position, 2u);
    EXPECT_EQ(ByteUtils::sizeOfUnsignedVarint(0xffffffffu), 5);
}

TEST(Varint, RoundTripsAndSizesAgreeAtEveryBoundary) {
    std::vector<std::int32_t> values{0, INT32_MAX, INT32_MIN};
    for (int bits = 0; bits < 31; ++bits) {  // zigzag boundaries sit at +-2^(7k-1)
        const std::int32_t power = std::int32_t{1} << bits;
        values.insert(values.end(), {power, power - 1, -power, -power - 1});
    }
    for (const auto value : values) {
        Bytes out;
        ByteUtils::writeVarint(value, out);
        EXPECT_EQ(static_cast<int>(out.size()), ByteUtils::sizeOfVarint(value)) << value;
        std::size_t position = 0;
        EXPECT_EQ(ByteUtils::readVarint(out, position), value);
        EXPECT_EQ(position, out.size());
    }
}

TEST(Varlong, RoundTripsAndSizesAgreeAtEveryBoundary) {
    std::vector<std::int64_t> values{0, INT64_MAX, INT64_MIN};
    for (int bits = 0; bits < 63; ++bits) {
        const std::int64_t power = std::int64_t{1} << bits;
        values.insert(values.end(), {power, power - 1, -power, -power - 1});
    }
    for (const auto value : values) {
        Bytes out;
        ByteUtils::writeVarlong(value, out);
        EXPECT_EQ(static_cast<int>(out.size()), ByteUtils::sizeOfVarlong(value)) << value;
        std::size_t position = 0;
        EXPECT_EQ(ByteUtils::readVarlong(out, position), value);
        EXPECT_EQ(position, out.size());
    }
}

TEST(Varint, ReadsOneAfterAnotherFromAPosition) {
    const Bytes bytes = fromHex("02 d804 01 ffffffff0f");
    std::size_t position = 0;
    EXPECT_EQ(ByteUtils::readVarint(bytes, position), 1);
    EXPECT_EQ(ByteUtils::readVarint(bytes, position), 300);
    EXPECT_EQ(ByteUtils::readVarint(bytes, position), -1);
    EXPECT_EQ(ByteUtils::readVarint(bytes, position), INT32_MIN);
    EXPECT_EQ(position, bytes.size());
}

TEST(Varint, ReadPastTheEndThrowsAndSaysWhere) {
    const Bytes cut = fromHex("02 d8");  // the second varint says "more follows", then ends
    std::size_t position = 0;
    EXPECT_EQ(ByteUtils::readVarint(cut, position), 1);
    try {
        ByteUtils::readVarint(cut, position);
        FAIL() << "read past the end";
    } catch (const BufferUnderflowException& e) {
        EXPECT_STREQ(e.what(), "Varint at position 1 runs past the end of the buffer (2 bytes)");
    }
    std::size_t atEnd = 2;
    EXPECT_THROW(ByteUtils::readVarint(cut, atEnd), BufferUnderflowException);
    std::size_t none = 0;
    EXPECT_THROW(ByteUtils::readVarlong(Bytes{}, none), BufferUnderflowException);
}

TEST(Varint, MoreThanFiveBytesIsRefused) {
    const Bytes six = fromHex("ffffffffff01");
    std::size_t position = 0;
    try {
        ByteUtils::readVarint(six, position);
        FAIL() << "a 6-byte varint was accepted";
    } catch (const errors::IllegalArgumentException& e) {
        EXPECT_STREQ(e.what(),
                     "Varint at position 0 is too long: the most significant bit in byte 5 is "
                     "set");
    }
    // A varlong may take up to 10 bytes, but not 11.
    std::size_t ten = 0;
    EXPECT_EQ(ByteUtils::readVarlong(fromHex("ffffffffffffffffff01"), ten), INT64_MIN);
    std::size_t eleven = 0;
    EXPECT_THROW(ByteUtils::readVarlong(fromHex("ffffffffffffffffffff01"), eleven),
                 errors::IllegalArgumentException);
}

TEST(BigEndian, ReadsAndWritesNetworkOrderWithinBounds) {
    Bytes buffer(8);
    ByteUtils::writeBigEndian(std::span<std::uint8_t>(buffer), 2, std::int32_t{-2});
    EXPECT_EQ(toHex(buffer), "0000fffffffe0000");
    EXPECT_EQ(ByteUtils::readBigEndian<std::int32_t>(buffer, 2), -2);
    EXPECT_EQ(ByteUtils::readBigEndian<std::uint16_t>(buffer, 3), 0xffffu);
    EXPECT_THROW(ByteUtils::readBigEndian<std::int64_t>(buffer, 1), BufferUnderflowException);
    EXPECT_THROW(ByteUtils::writeBigEndian(std::span<std::uint8_t>(buffer), 7, std::int16_t{1}),
                 BufferUnderflowException);
    EXPECT_THROW(ByteUtils::readBigEndian<std::int8_t>(buffer, 9), BufferUnderflowException);
}

}  // namespace
}  // namespace kafka::common::utils
