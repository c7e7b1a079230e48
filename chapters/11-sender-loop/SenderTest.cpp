// Chapter 11: the Sender's loop, driven by hand on a fake clock against MockClient: batches
// become produce requests to their leaders, answers complete the records' futures, and
// close() finishes what was accepted unless it is forced.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/MockTime.h"
#include "support/MockClient.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::TopicPartition;
using common::protocol::Errors;
using common::requests::ProduceResponse;
using common::utils::Bytes;
using common::utils::MockTime;
using common::utils::toBytes;
using internals::BufferPool;
using internals::RecordAccumulator;
using internals::Sender;

constexpr std::int32_t kBatchSize = 1024;
constexpr std::int64_t kBufferMemory = 64 * 1024;

class SenderLoop : public ::testing::Test {
protected:
    void build(std::int16_t acks = 1) {
        pool = std::make_shared<BufferPool>(kBufferMemory, kBatchSize, time);
        accumulator = std::make_shared<RecordAccumulator>(
            RecordAccumulator::Settings{.batchSize = kBatchSize}, pool, time);
        metadata->update(test::singletonCluster("t", 2), time->milliseconds());
        sender = std::make_unique<Sender>(client, metadata, accumulator,
                                          Sender::Settings{.acks = acks}, time);
    }

    RecordMetadataFuture append(const TopicPartition& tp, const std::string& value) {
        const auto now = time->milliseconds();
        return *accumulator
                    ->append(tp, now, std::nullopt, toBytes(value), {}, nullptr, 0, false, now)
                    .future;
    }

    // What the broker says for one partition: its records start at `baseOffset`, or `error`.
    static ProduceResponse::PartitionResponse appendedAt(std::int64_t baseOffset) {
        return {.baseOffset = baseOffset};
    }
    static ProduceResponse::PartitionResponse failedWith(Errors error) { return {.error = error}; }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<test::MockClient> client = std::make_shared<test::MockClient>();
    std::shared_ptr<BufferPool> pool;
    std::shared_ptr<RecordAccumulator> accumulator;
    std::unique_ptr<Sender> sender;
    const TopicPartition tp0{"t", 0};
    const TopicPartition tp1{"t", 1};
};

TEST_F(SenderLoop, ARecordBecomesAProduceRequestToItsLeaderAndTheAnswerCompletesIt) {
    build();
    auto future = append(tp0, "hello");
    sender->runOnce();

    const auto sent = client->sent();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].destination, "1");
    EXPECT_TRUE(sent[0].expectResponse);
    const auto request = client->produceRequest(0);
    ASSERT_NE(request, nullptr);
    EXPECT_EQ(request->acks(), 1);
    EXPECT_EQ(request->timeoutMs(), 30'000);
    ASSERT_EQ(request->partitionRecords().size(), 1u);
    EXPECT_TRUE(request->partitionRecords().contains(tp0));
    EXPECT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
    EXPECT_EQ(client->inFlightRequestCount(), 1);

    client->respond({{tp0, appendedAt(100)}});
    sender->runOnce();
    ASSERT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    EXPECT_EQ(future.get().offset(), 100);
    EXPECT_EQ(pool->availableMemory(), kBufferMemory) << "the batch's buffer went back";
}

TEST_F(SenderLoop, PartitionsOfOneLeaderShareOneRequestAndEachRecordGetsItsOffset) {
    build();
    auto a0 = append(tp0, "a0");
    auto a1 = append(tp0, "a1");
    auto b0 = append(tp1, "b0");
    sender->runOnce();
    ASSERT_EQ(client->sent().size(), 1u);
    EXPECT_EQ(client->produceRequest(0)->partitionRecords().size(), 2u);

    client->respond({{tp0, appendedAt(40)}, {tp1, appendedAt(7)}});
    sender->runOnce();
    EXPECT_EQ(a0.get().offset(), 40);
    EXPECT_EQ(a1.get().offset(), 41);
    EXPECT_EQ(b0.get().offset(), 7);
}

TEST_F(SenderLoop, WithAcksZeroARecordCompletesWhenSentWithoutAnOffset) {
    build(/*acks=*/0);
    auto future = append(tp0, "fire and forget");
    sender->runOnce();
    ASSERT_EQ(client->sent().size(), 1u);
    EXPECT_FALSE(client->sent()[0].expectResponse);
    EXPECT_EQ(client->inFlightRequestCount(), 0);
    ASSERT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    EXPECT_EQ(future.get().offset(), -1);
}

TEST_F(SenderLoop, AnErrorInTheAnswerFailsTheBatchNamingThePartition) {
    build();
    auto future = append(tp0, "x");
    sender->runOnce();
    client->respond({{tp0, failedWith(Errors::kInvalidRecord)}});
    sender->runOnce();
    EXPECT_NE(test::outcomeOf(future).find("t-0"), std::string::npos) << test::outcomeOf(future);
    EXPECT_EQ(pool->availableMemory(), kBufferMemory);
}

TEST_F(SenderLoop, ADisconnectFailsTheRequestsBatches) {
    build();
    auto future = append(tp0, "x");
    sender->runOnce();
    client->disconnect(1);
    sender->runOnce();
    EXPECT_NE(test::outcomeOf(future).find("error code 13"), std::string::npos)
        << test::outcomeOf(future);
    EXPECT_EQ(client->inFlightRequestCount(), 0);
}

TEST_F(SenderLoop, AGracefulCloseSendsWhatIsLeftAndWaitsForTheAnswers) {
    build();
    auto future = append(tp0, "last words");
    client->prepareResponse({{tp0, appendedAt(5)}});
    sender->initiateClose();
    sender->run();  // returns once nothing is queued or in flight

    ASSERT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    EXPECT_EQ(future.get().offset(), 5);
    EXPECT_TRUE(client->closed());
    EXPECT_FALSE(sender->isRunning());
    EXPECT_THROW(append(tp0, "too late"), common::errors::IllegalStateException);
}

TEST_F(SenderLoop, AForcedCloseFailsWhatIsQueuedAndWhatIsInFlight) {
    build();
    auto inFlight = append(tp0, "sent, never answered");
    sender->runOnce();
    ASSERT_EQ(client->inFlightRequestCount(), 1);
    auto queued = append(tp1, "never sent");

    sender->forceClose();
    sender->run();  // no more loops: fail everything, close the client
    EXPECT_EQ(test::outcomeOf(inFlight), "Producer is closed forcefully.");
    EXPECT_EQ(test::outcomeOf(queued), "Producer is closed forcefully.");
    EXPECT_EQ(pool->availableMemory(), kBufferMemory) << "both buffers went back";
    EXPECT_FALSE(accumulator->hasIncomplete());
    EXPECT_TRUE(client->closed());
}

}  // namespace
}  // namespace kafka::clients::producer
