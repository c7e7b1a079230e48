// Chapter 1: records, their metadata and callbacks, as the public API promises them.
#include <gtest/gtest.h>

#include "kafka/clients/producer/Callback.h"
#include "kafka/clients/producer/ProducerRecord.h"
#include "kafka/clients/producer/RecordMetadata.h"

namespace kafka::clients::producer {
namespace {

using common::errors::IllegalArgumentException;
using Record = ProducerRecord<std::string, std::string>;

TEST(ProducerRecord, ARecordWithoutATopicIsRejectedWithAClearError) {
    try {
        Record("", std::string("value"));
        FAIL() << "a record without a topic was accepted";
    } catch (const IllegalArgumentException& e) {
        EXPECT_NE(std::string(e.what()).find("Topic cannot be null or empty"), std::string::npos)
            << e.what();
    }
}

TEST(ProducerRecord, NegativePartitionAndTimestampAreRejected) {
    EXPECT_THROW(Record("t", -1, std::string("k"), std::string("v")), IllegalArgumentException);
    EXPECT_THROW(Record("t", std::nullopt, -5, std::string("k"), std::string("v")),
                 IllegalArgumentException);
}

TEST(ProducerRecord, KeepsWhatItWasGiven) {
    const Record record("orders", 2, 1700000000000, std::string("k"), std::string("v"),
                        {{"trace", common::utils::toBytes("abc")}});
    EXPECT_EQ(record.topic(), "orders");
    EXPECT_EQ(record.partition(), 2);
    EXPECT_EQ(record.timestamp(), 1700000000000);
    EXPECT_EQ(record.key(), "k");
    EXPECT_EQ(record.value(), "v");
    ASSERT_EQ(record.headers().size(), 1u);
    EXPECT_EQ(record.headers()[0].key, "trace");
}

TEST(ProducerRecord, KeyPartitionAndTimestampAreOptional) {
    const Record record("orders", std::string("v"));
    EXPECT_FALSE(record.key().has_value());
    EXPECT_FALSE(record.partition().has_value());
    EXPECT_FALSE(record.timestamp().has_value());
}

TEST(RecordMetadata, OffsetIsTheBatchBaseOffsetPlusTheRecordsIndex) {
    const RecordMetadata metadata({"orders", 3}, 100, 7, 1700000000000, 1, 5);
    EXPECT_EQ(metadata.topic(), "orders");
    EXPECT_EQ(metadata.partition(), 3);
    EXPECT_EQ(metadata.offset(), 107);
    EXPECT_TRUE(metadata.hasOffset());
    EXPECT_EQ(metadata.serializedKeySize(), 1);
}

TEST(RecordMetadata, AnUnknownBaseOffsetStaysUnknown) {
    // acks=0: nobody tells the producer the offset, whatever the record's index.
    const RecordMetadata metadata({"orders", 0}, RecordMetadata::kUnknownOffset, 7, 0, -1, 5);
    EXPECT_EQ(metadata.offset(), -1);
    EXPECT_FALSE(metadata.hasOffset());
}

TEST(Callback, ReceivesEitherMetadataOrAnError) {
    int successes = 0;
    int failures = 0;
    Callback callback = [&](const RecordMetadata&, std::exception_ptr error) {
        (error ? failures : successes)++;
    };
    callback(RecordMetadata({"t", 0}, 5, 0, 0, -1, 1), nullptr);
    callback(RecordMetadata({"t", 0}, -1, 0, -1, -1, 1),
             std::make_exception_ptr(common::errors::TimeoutException("too slow")));
    EXPECT_EQ(successes, 1);
    EXPECT_EQ(failures, 1);
}

}  // namespace
}  // namespace kafka::clients::producer
