// Chapter 7 in the accumulator: a ProducerBatch writes its records as a record batch v2.
#include <gtest/gtest.h>

#include "kafka/clients/producer/internals/ProducerBatch.h"
#include "kafka/common/record/MemoryRecords.h"

namespace kafka::clients::producer::internals {
namespace {

using common::record::MemoryRecords;
using common::utils::Bytes;
using common::utils::toBytes;

TEST(ProducerBatchFormat, AClosedBatchIsAValidRecordBatchOfItsRecords) {
    ProducerBatch batch({"orders", 0}, 16384, 1000);
    ASSERT_TRUE(batch.tryAppend(1000, toBytes("k1"), toBytes("v1"), {}, nullptr, 1000));
    ASSERT_TRUE(batch.tryAppend(1005, std::nullopt, toBytes("v2"),
                                {{"trace", toBytes("abc")}, {"empty", std::nullopt}}, nullptr,
                                1005));
    ASSERT_TRUE(batch.tryAppend(1007, toBytes("k3"), std::nullopt, {}, nullptr, 1007));

    const Bytes bytes = batch.closeAndBuild();
    const auto batches = MemoryRecords::readableRecords(bytes).batches();
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_NO_THROW(batches[0].ensureValid());  // the CRC32C checks out
    const auto records = batches[0].records();
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].key(), toBytes("k1"));
    EXPECT_EQ(records[1].key(), std::nullopt);
    EXPECT_EQ(records[1].timestamp(), 1005);
    EXPECT_EQ(records[1].headers().size(), 2u);
    EXPECT_EQ(records[1].headers()[1].value, std::nullopt);
    EXPECT_EQ(records[2].value(), std::nullopt);
    EXPECT_EQ(records[2].offset(), 2);  // relative offsets 0, 1, 2 until the broker assigns
}

TEST(ProducerBatchFormat, ABatchFillsUpToBatchSizeAndNoFurther) {
    constexpr int kBatchSize = 1024;
    ProducerBatch batch({"orders", 0}, kBatchSize, 0);
    int appended = 0;
    while (batch.tryAppend(0, std::nullopt, Bytes(50, 'x'), {}, nullptr, 0)) ++appended;
    EXPECT_GT(appended, 10);
    EXPECT_EQ(batch.recordCount(), appended);
    EXPECT_TRUE(batch.isFull());
    EXPECT_LE(static_cast<int>(batch.closeAndBuild().size()), kBatchSize);
}

TEST(ProducerBatchFormat, ARecordLargerThanBatchSizeTravelsAlone) {
    ProducerBatch batch({"orders", 0}, 100, 0);
    ASSERT_TRUE(batch.tryAppend(0, std::nullopt, Bytes(500, 'x'), {}, nullptr, 0));
    EXPECT_FALSE(batch.tryAppend(0, std::nullopt, Bytes(1, 'x'), {}, nullptr, 0));
    EXPECT_EQ(batch.recordCount(), 1);
    EXPECT_GT(batch.closeAndBuild().size(), 500u);
}

}  // namespace
}  // namespace kafka::clients::producer::internals
