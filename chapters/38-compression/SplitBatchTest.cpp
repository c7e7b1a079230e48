// Chapter 38: a batch the broker refuses as too large (MESSAGE_TOO_LARGE) is split and sent
// again, on a fake clock against a MockClient. The estimate of the compression ratio let a
// batch take more records than turned out to fit: the records go again in batches of
// batch.size, in order, each record's callback runs once and its future follows it to the
// batch that carries it; an idempotent producer's split batches keep the big batch's
// sequence numbers, so the partition's numbering has no gap. A batch of one record cannot
// be split: it fails with RecordTooLargeException.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/clients/producer/internals/TransactionManager.h"
#include "kafka/common/compress/Compression.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/record/CompressionRatioEstimator.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/utils/MockTime.h"
#include "support/MockClient.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::TopicPartition;
using common::protocol::Errors;
using common::record::CompressionRatioEstimator;
using common::record::CompressionType;
using common::requests::ProduceResponse;
using common::utils::Bytes;
using common::utils::MockTime;
using internals::BufferPool;
using internals::RecordAccumulator;
using internals::Sender;
using internals::TransactionManager;

constexpr int kBatchSize = 1024;
constexpr std::int64_t kBufferMemory = 64 * 1024;

// What one produce request carried for the partition: its records and producer fields.
struct SentBatch {
    int records;
    int sizeInBytes;
    std::int64_t producerId;
    std::int32_t baseSequence;
};

// Random bytes: the codec cannot shrink them, so the estimate of 0.1 is far too hopeful.
Bytes incompressible(int i) {
    std::mt19937 random(static_cast<unsigned>(i));
    Bytes bytes(100);
    for (auto& byte : bytes) byte = static_cast<std::uint8_t>(random());
    return bytes;
}

class SplitBatch : public ::testing::TestWithParam<bool> {
protected:
    SplitBatch() {
        metadata->update(test::singletonCluster(tp.topic, 1), time->milliseconds());
        sender = std::make_unique<Sender>(
            client, metadata, accumulator,
            Sender::Settings{.acks = -1, .retries = 10, .transactionManager = transactions}, time);
        // The topic's batches have compressed to a tenth so far: a batch of 1 KiB is allowed
        // about 9 KiB of records.
        CompressionRatioEstimator::setEstimation(tp.topic, CompressionType::kLz4, 0.1F);
        if (idempotent()) sender->runOnce();  // the producer id first
    }
    ~SplitBatch() override { CompressionRatioEstimator::removeEstimation(tp.topic); }

    bool idempotent() const { return GetParam(); }

    RecordMetadataFuture append(int i) {
        const auto now = time->milliseconds();
        auto result = accumulator->append(
            tp, now, std::nullopt, incompressible(i), {},
            [this, i](const RecordMetadata& metadata, std::exception_ptr error) {
                completions.push_back({i, error ? -1 : metadata.offset()});
            },
            0, false, now);
        return *result.future;
    }
    // The batch in the i-th produce request, read at once: its bytes go back to the pool.
    SentBatch sent(std::size_t i) const {
        const auto request = client->produceRequest(i);
        const auto batches =
            common::record::MemoryRecords::readableRecords(request->partitionRecords().at(tp))
                .batches();
        EXPECT_EQ(batches.size(), 1u);
        const auto& batch = batches.front();
        EXPECT_TRUE(batch.isValid());
        EXPECT_EQ(batch.compressionType(), static_cast<int>(CompressionType::kLz4));
        return {batch.recordsCount(), batch.sizeInBytes(), batch.producerId(),
                batch.baseSequence()};
    }

    const TopicPartition tp{"split-" + std::string(GetParam() ? "idempotent" : "plain"), 0};
    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    std::shared_ptr<TransactionManager> transactions =
        GetParam() ? std::make_shared<TransactionManager>() : nullptr;
    std::shared_ptr<BufferPool> pool =
        std::make_shared<BufferPool>(kBufferMemory, kBatchSize, time);
    std::shared_ptr<RecordAccumulator> accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{
            .batchSize = kBatchSize,
            .lingerMs = 0,
            .transactionManager = transactions,
            .compression = common::compress::Compression::of(CompressionType::kLz4)},
        pool, time);
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<test::MockClient> client = std::make_shared<test::MockClient>();
    std::unique_ptr<Sender> sender;
    std::vector<std::pair<int, std::int64_t>> completions;  // (record, offset), in call order
};

TEST_P(SplitBatch, SendsTheRecordsAgainInSmallerBatchesInOrder) {
    std::vector<RecordMetadataFuture> futures;
    for (int i = 0; i < 60; ++i) futures.push_back(append(i));
    ASSERT_EQ(accumulator->batches(tp).size(), 1u) << "the hopeful estimate let 60 records in";
    sender->runOnce();
    ASSERT_EQ(client->sent().size(), 1u);
    const SentBatch big = sent(0);
    EXPECT_EQ(big.records, 60);
    EXPECT_GT(big.sizeInBytes, 5 * kBatchSize) << "lz4 could not shrink random bytes";
    client->respond({{tp, ProduceResponse::PartitionResponse{.error = Errors::kMessageTooLarge}}});
    sender->runOnce();
    EXPECT_TRUE(completions.empty()) << "a split is not a failure: no callback yet";
    EXPECT_FALSE(futures[0].isDone());
    // lz4 stores random bytes nearly as they are: a ratio of about 1, so the estimate starts
    // again from 1, and the split batches hold about batch.size of records each.
    EXPECT_FLOAT_EQ(CompressionRatioEstimator::estimation(tp.topic, CompressionType::kLz4), 1.0F)
        << "the estimate starts again from the refused batch's ratio, at least 1";

    // Each split batch goes, and is stored at the next offsets.
    std::size_t answered = 1;  // the big batch's request
    std::int64_t nextOffset = 0;
    std::int32_t expectedSequence = 0;
    for (int loop = 0; loop < 100 && nextOffset < 60; ++loop) {
        sender->runOnce();
        for (; answered < client->sent().size(); ++answered) {
            const SentBatch batch = sent(answered);
            EXPECT_LE(batch.sizeInBytes, kBatchSize + 200) << "about batch.size now";
            if (idempotent()) {
                EXPECT_EQ(batch.producerId, 1000);
                EXPECT_EQ(batch.baseSequence, expectedSequence)
                    << "the big batch's numbers, in order";
                expectedSequence += batch.records;
            } else {
                EXPECT_EQ(batch.baseSequence, -1);
            }
            client->respond({{tp, ProduceResponse::PartitionResponse{.baseOffset = nextOffset}}});
            nextOffset += batch.records;
        }
    }
    sender->runOnce();  // the last answers
    EXPECT_GE(client->sent().size(), 6u) << "about 100 bytes a record, 9 records a batch";
    EXPECT_EQ(nextOffset, 60);

    ASSERT_EQ(completions.size(), 60u) << "each callback once";
    for (int i = 0; i < 60; ++i) {
        EXPECT_EQ(completions[i], std::make_pair(i, std::int64_t{i})) << "in order, at offset i";
        EXPECT_EQ(futures[i].get().offset(), i) << "the future followed its record";
    }
    // The split batches' buffers came from the heap: the pool has all its memory back.
    EXPECT_FALSE(accumulator->hasIncomplete());
    EXPECT_EQ(pool->availableMemory(), kBufferMemory);
    if (idempotent()) {
        EXPECT_EQ(transactions->sequenceNumber(tp), 60) << "no gap, no number used twice";
        EXPECT_EQ(transactions->lastAckedSequence(tp), 59);
    }
}

TEST_P(SplitBatch, FlushWaitsForTheBatchesASplitMade) {
    // flush() takes the incomplete batches as they are when it starts, and waits on each: here
    // the big batch, not yet split. That wait must not end when the split completes the big
    // batch's own result (Kafka's KAFKA-9312), only when its records are stored.
    for (int i = 0; i < 60; ++i) append(i);
    const auto big = accumulator->batches(tp).front();
    sender->runOnce();
    auto flushed = std::async(std::launch::async, [big] { big->await(); });
    client->respond({{tp, ProduceResponse::PartitionResponse{.error = Errors::kMessageTooLarge}}});
    sender->runOnce();  // the split
    EXPECT_EQ(flushed.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout)
        << "flush() returned with the records not stored";
    std::size_t answered = 1;
    std::int64_t nextOffset = 0;
    for (int loop = 0; loop < 100 && nextOffset < 60; ++loop) {
        sender->runOnce();
        for (; answered < client->sent().size(); ++answered) {
            const int records = sent(answered).records;
            client->respond({{tp, ProduceResponse::PartitionResponse{.baseOffset = nextOffset}}});
            nextOffset += records;
        }
    }
    sender->runOnce();
    flushed.get();
    EXPECT_EQ(completions.size(), 60u) << "flush() returned once every record was stored";
}

TEST_P(SplitBatch, ABatchOfOneRecordCannotBeSplitAndFails) {
    CompressionRatioEstimator::setEstimation(tp.topic, CompressionType::kLz4, 1.0F);
    auto future = append(0);
    sender->runOnce();
    client->respond({{tp, ProduceResponse::PartitionResponse{.error = Errors::kMessageTooLarge}}});
    sender->runOnce();
    ASSERT_EQ(completions.size(), 1u);
    EXPECT_EQ(completions[0].second, -1);
    EXPECT_THROW(future.get(), common::errors::RecordTooLargeException);
    EXPECT_EQ(client->sent().size(), 1u) << "not sent again";
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutIdempotence, SplitBatch, ::testing::Bool(),
                         [](const auto& info) {
                             return std::string(info.param ? "Idempotent" : "NotIdempotent");
                         });

}  // namespace
}  // namespace kafka::clients::producer
