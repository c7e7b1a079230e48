// Chapter 6: murmur2 is Kafka's, bit for bit (vectors from Kafka's UtilsTest and computed ones).
#include <gtest/gtest.h>

#include <climits>

#include "kafka/clients/producer/internals/DefaultPartitioner.h"
#include "kafka/common/utils/Utils.h"

namespace kafka::common::utils {
namespace {

std::int32_t murmur2Of(const std::string& text) {
    return Utils::murmur2(toBytes(text));
}

TEST(Murmur2, MatchesKafkasKnownAnswers) {
    EXPECT_EQ(murmur2Of("21"), -973932308);
    EXPECT_EQ(murmur2Of("foobar"), -790332482);
    EXPECT_EQ(murmur2Of("a-little-bit-long-string"), -985981536);
    EXPECT_EQ(murmur2Of("a-little-bit-longer-string"), -1486304829);
    EXPECT_EQ(murmur2Of("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971);
    EXPECT_EQ(murmur2Of("abc"), 479470107);
}

TEST(Murmur2, CoversEveryTailLength) {
    EXPECT_EQ(murmur2Of(""), 275646681);        // no block, no tail
    EXPECT_EQ(murmur2Of("a"), -1563381124);     // tail of 1
    EXPECT_EQ(murmur2Of("hello"), 2132663229);  // one block and a tail of 1
}

TEST(Murmur2, TreatsBytesAsUnsigned) {
    // Java masks each byte with 0xff; a high byte must not sign-extend into the hash.
    const Bytes high{0xff, 0xfe, 0x80, 0x81, 0x90};
    const Bytes low{0x7f, 0x7e, 0x00, 0x01, 0x10};
    EXPECT_NE(Utils::murmur2(high), Utils::murmur2(low));
}

TEST(ToPositive, ClearsTheSignBitInsteadOfTakingAbs) {
    EXPECT_EQ(Utils::toPositive(-1), INT_MAX);
    EXPECT_EQ(Utils::toPositive(INT_MIN), 0);
    EXPECT_EQ(Utils::toPositive(5), 5);
}

TEST(PartitionForKey, MatchesTheReferenceTable) {
    using kafka::clients::producer::internals::DefaultPartitioner;
    struct Row {
        const char* key;
        int mod3, mod6, mod12;
    };
    const Row rows[] = {{"21", 0, 0, 0},
                        {"foobar", 0, 0, 6},
                        {"abc", 0, 3, 3},
                        {"", 0, 3, 9},
                        {"a", 1, 4, 4},
                        {"hello", 0, 3, 9},
                        {"a-little-bit-longer-string", 2, 5, 11}};
    for (const auto& row : rows) {
        const auto key = toBytes(row.key);
        EXPECT_EQ(DefaultPartitioner::partitionForKey(key, 3), row.mod3) << row.key;
        EXPECT_EQ(DefaultPartitioner::partitionForKey(key, 6), row.mod6) << row.key;
        EXPECT_EQ(DefaultPartitioner::partitionForKey(key, 12), row.mod12) << row.key;
    }
}

}  // namespace
}  // namespace kafka::common::utils
