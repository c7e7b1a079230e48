// Chapter 1: serializers write exactly the bytes Kafka's Java serializers write.
#include <gtest/gtest.h>

#include <limits>

#include "kafka/common/serialization/ByteArraySerializer.h"
#include "kafka/common/serialization/DoubleSerializer.h"
#include "kafka/common/serialization/IntegerSerializer.h"
#include "kafka/common/serialization/LongSerializer.h"
#include "kafka/common/serialization/StringSerializer.h"

namespace kafka::common::serialization {
namespace {

using utils::Bytes;

TEST(Serializers, StringIsItsUtf8BytesWithoutLengthOrTerminator) {
    StringSerializer serializer;
    EXPECT_EQ(serializer.serialize("t", std::string("kafka")), (Bytes{'k', 'a', 'f', 'k', 'a'}));
    // "€" is three bytes in UTF-8.
    EXPECT_EQ(serializer.serialize("t", std::string("\xE2\x82\xAC")), (Bytes{0xE2, 0x82, 0xAC}));
    EXPECT_EQ(serializer.serialize("t", std::string("")), Bytes{});
}

TEST(Serializers, IntegerIsFourBigEndianBytes) {
    IntegerSerializer serializer;
    EXPECT_EQ(serializer.serialize("t", 1), (Bytes{0, 0, 0, 1}));
    EXPECT_EQ(serializer.serialize("t", 0x01020304), (Bytes{1, 2, 3, 4}));
    EXPECT_EQ(serializer.serialize("t", -1), (Bytes{0xff, 0xff, 0xff, 0xff}));
    EXPECT_EQ(serializer.serialize("t", std::numeric_limits<std::int32_t>::min()),
              (Bytes{0x80, 0, 0, 0}));
}

TEST(Serializers, LongIsEightBigEndianBytes) {
    LongSerializer serializer;
    EXPECT_EQ(serializer.serialize("t", 0x0102030405060708LL), (Bytes{1, 2, 3, 4, 5, 6, 7, 8}));
    EXPECT_EQ(serializer.serialize("t", -2LL),
              (Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}));
}

TEST(Serializers, DoubleIsItsIeeeBitsBigEndian) {
    DoubleSerializer serializer;
    // Java: Double.doubleToLongBits(1.0) == 0x3FF0000000000000L
    EXPECT_EQ(serializer.serialize("t", 1.0), (Bytes{0x3f, 0xf0, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(serializer.serialize("t", -2.5), (Bytes{0xc0, 0x04, 0, 0, 0, 0, 0, 0}));
}

TEST(Serializers, ByteArrayPassesThrough) {
    ByteArraySerializer serializer;
    EXPECT_EQ(serializer.serialize("t", Bytes{0, 255, 7}), (Bytes{0, 255, 7}));
}

TEST(Serializers, NullStaysNullAndIsNotTheEmptyValue) {
    EXPECT_EQ(StringSerializer{}.serialize("t", std::nullopt), std::nullopt);
    EXPECT_EQ(IntegerSerializer{}.serialize("t", std::nullopt), std::nullopt);
    EXPECT_EQ(LongSerializer{}.serialize("t", std::nullopt), std::nullopt);
    EXPECT_EQ(DoubleSerializer{}.serialize("t", std::nullopt), std::nullopt);
    EXPECT_EQ(ByteArraySerializer{}.serialize("t", std::nullopt), std::nullopt);
    EXPECT_NE(StringSerializer{}.serialize("t", std::string()), std::nullopt);
}

}  // namespace
}  // namespace kafka::common::serialization
