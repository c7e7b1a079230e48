// Chapter 20: order per partition. With max.in.flight.requests.per.connection=1 the sender
// mutes a partition while one of its batches is in flight; the next batch waits, even when it
// is ready. (Chapter 23 shows what this buys once batches are retried.)
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/common/utils/MockTime.h"
#include "support/MockClient.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::TopicPartition;
using common::protocol::Errors;
using common::requests::ProduceResponse;
using common::utils::MockTime;
using common::utils::toBytes;
using internals::BufferPool;
using internals::RecordAccumulator;
using internals::Sender;

class MutedPartitions : public ::testing::Test {
protected:
    void build(bool guaranteeMessageOrder) {
        metadata->update(test::singletonCluster("t", 1), time->milliseconds());
        sender = std::make_unique<Sender>(
            client, metadata, accumulator,
            Sender::Settings{.guaranteeMessageOrder = guaranteeMessageOrder, .acks = 1}, time);
    }

    // A batch of its own: each record fills a 64-byte batch.
    RecordMetadataFuture appendBatch(const std::string& value) {
        const auto now = time->milliseconds();
        return *accumulator
                    ->append(tp, now, std::nullopt, toBytes(value + std::string(60, '.')), {},
                             nullptr, 0, false, now)
                    .future;
    }
    void answer(Errors error, std::int64_t offset) {
        client->respond(
            {{tp, ProduceResponse::PartitionResponse{.error = error, .baseOffset = offset}}});
    }
    std::size_t requestsSent() const { return client->sent().size(); }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    std::shared_ptr<BufferPool> pool = std::make_shared<BufferPool>(64 * 1024, 64, time);
    std::shared_ptr<RecordAccumulator> accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{.batchSize = 64, .lingerMs = 0, .retryBackoffMs = 100}, pool,
        time);
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<test::MockClient> client = std::make_shared<test::MockClient>();
    std::unique_ptr<Sender> sender;
    const TopicPartition tp{"t", 0};
};

TEST_F(MutedPartitions, TheNextBatchWaitsUntilTheOneInFlightIsAnswered) {
    build(/*guaranteeMessageOrder=*/true);
    auto first = appendBatch("a");
    auto second = appendBatch("b");
    ASSERT_EQ(accumulator->batches(tp).size(), 2u);
    sender->runOnce();
    EXPECT_EQ(requestsSent(), 1u);
    EXPECT_TRUE(accumulator->isMuted(tp));
    sender->runOnce();
    sender->runOnce();
    EXPECT_EQ(requestsSent(), 1u) << "the second batch is ready but its partition is muted";

    answer(Errors::kNone, 0);
    sender->runOnce();  // the answer completes the first and unmutes
    EXPECT_FALSE(accumulator->isMuted(tp));
    EXPECT_EQ(requestsSent(), 1u);
    sender->runOnce();
    EXPECT_EQ(requestsSent(), 2u);
    answer(Errors::kNone, 1);
    sender->runOnce();
    EXPECT_EQ(first.get().offset(), 0);
    EXPECT_EQ(second.get().offset(), 1);
}

TEST_F(MutedPartitions, WithoutMutingBothBatchesAreInFlightAtOnce) {
    build(/*guaranteeMessageOrder=*/false);
    appendBatch("a");
    appendBatch("b");
    sender->runOnce();
    sender->runOnce();
    EXPECT_EQ(requestsSent(), 2u);
    EXPECT_FALSE(accumulator->isMuted(tp));
}

// A bug this test guards against: a request that could not be sent (the broker speaks no Produce
// version we know) failed its batches but left their partitions muted: every later batch of
// the partition then waited for delivery.timeout.ms instead of failing at once. In Kafka the
// failure goes through completeBatch, which unmutes.
TEST_F(MutedPartitions, ARequestThatCannotBeSentLeavesNoPartitionMuted) {
    build(/*guaranteeMessageOrder=*/true);
    client->failSends(std::make_exception_ptr(
        common::errors::UnsupportedVersionException("The broker speaks no Produce version we do")));
    auto first = appendBatch("a");
    sender->runOnce();
    EXPECT_NE(test::outcomeOf(first).find("Produce version"), std::string::npos);
    EXPECT_FALSE(accumulator->isMuted(tp));
    auto second = appendBatch("b");
    sender->runOnce();
    EXPECT_NE(test::outcomeOf(second).find("Produce version"), std::string::npos)
        << "the next batch fails at once too";
    EXPECT_EQ(pool->availableMemory(), pool->totalMemory());
}

}  // namespace
}  // namespace kafka::clients::producer
