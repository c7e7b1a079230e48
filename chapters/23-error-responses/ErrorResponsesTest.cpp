// Chapter 23: error responses. A retriable error sends the batch back to the head of its
// deque for another attempt after retry.backoff.ms, and a leadership error asks for fresh
// metadata; a fatal error, or the last retry, fails the batch with its error.
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
using common::requests::ProduceResponse;
using common::utils::MockTime;
using common::utils::toBytes;
using internals::BufferPool;
using internals::RecordAccumulator;
using internals::Sender;

constexpr std::int64_t kTotal = 64 * 1024;
constexpr auto kNotLeaderOrFollower = common::protocol::Errors::kNotLeaderOrFollower;
constexpr auto kMessageTooLarge = common::protocol::Errors::kMessageTooLarge;

class ErrorResponses : public ::testing::Test {
protected:
    void build(std::int32_t retries, bool guaranteeMessageOrder = false) {
        metadata->update(test::singletonCluster("t", 1), time->milliseconds());
        sender = std::make_unique<Sender>(
            client, metadata, accumulator,
            Sender::Settings{
                .guaranteeMessageOrder = guaranteeMessageOrder, .acks = 1, .retries = retries},
            time);
    }

    RecordMetadataFuture append() {
        const auto now = time->milliseconds();
        return *accumulator->append(tp, now, std::nullopt, toBytes("v"), {}, nullptr, 0, false, now)
                    .future;
    }

    // The broker answers the request in flight for t-0 with `error`, or with `offset`.
    void answerWithError(common::protocol::Errors error) {
        client->respond({{tp, ProduceResponse::PartitionResponse{.error = error}}});
    }
    void answerWithOffset(std::int64_t offset) {
        client->respond({{tp, ProduceResponse::PartitionResponse{.baseOffset = offset}}});
    }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    std::shared_ptr<BufferPool> pool = std::make_shared<BufferPool>(kTotal, 1024, time);
    std::shared_ptr<RecordAccumulator> accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{.batchSize = 1024, .lingerMs = 0, .retryBackoffMs = 100}, pool,
        time);
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<test::MockClient> client = std::make_shared<test::MockClient>();
    std::unique_ptr<Sender> sender;
    const TopicPartition tp{"t", 0};
};

TEST_F(ErrorResponses, NotLeaderIsRetriedAfterAMetadataRefreshAndTheRecordLandsOnce) {
    build(/*retries=*/3);
    auto future = append();
    sender->runOnce();
    answerWithError(kNotLeaderOrFollower);
    EXPECT_FALSE(metadata->updateRequested());
    sender->runOnce();

    EXPECT_EQ(test::outcomeOf(future), "<not done>") << "a retriable error is not the end";
    EXPECT_TRUE(metadata->updateRequested()) << "the leader moved: fresh metadata is needed";
    ASSERT_EQ(accumulator->batches(tp).size(), 1u) << "back in its deque";
    EXPECT_EQ(accumulator->batches(tp)[0]->attempts(), 1);

    time->sleep(50);
    sender->runOnce();
    EXPECT_EQ(client->sent().size(), 1u) << "not within retry.backoff.ms";
    time->sleep(50);
    sender->runOnce();
    ASSERT_EQ(client->sent().size(), 2u) << "sent again once the backoff is over";
    answerWithOffset(7);
    sender->runOnce();
    EXPECT_EQ(future.get().offset(), 7);
    EXPECT_EQ(pool->availableMemory(), kTotal) << "deallocated once, at the end";
}

TEST_F(ErrorResponses, AFatalErrorFailsAtOnceWhateverTheRetries) {
    build(/*retries=*/100);
    auto future = append();
    sender->runOnce();
    answerWithError(kMessageTooLarge);
    sender->runOnce();
    EXPECT_NE(test::outcomeOf(future).find("error code 10"), std::string::npos)
        << test::outcomeOf(future);
    EXPECT_FALSE(metadata->updateRequested()) << "nothing wrong with the metadata";
    EXPECT_EQ(client->sent().size(), 1u);
    EXPECT_EQ(pool->availableMemory(), kTotal);
}

TEST_F(ErrorResponses, WhenTheRetriesRunOutTheBatchFailsWithTheLastError) {
    build(/*retries=*/1);
    auto future = append();
    sender->runOnce();
    answerWithError(kNotLeaderOrFollower);
    sender->runOnce();
    time->sleep(100);
    sender->runOnce();
    ASSERT_EQ(client->sent().size(), 2u);
    answerWithError(kNotLeaderOrFollower);
    sender->runOnce();
    EXPECT_NE(test::outcomeOf(future).find("error code 6"), std::string::npos)
        << test::outcomeOf(future);
    EXPECT_EQ(pool->availableMemory(), kTotal);
}

TEST_F(ErrorResponses, ADisconnectIsRetriedAndAsksForMetadata) {
    build(/*retries=*/1);
    auto future = append();
    sender->runOnce();
    client->disconnect(1);
    sender->runOnce();
    EXPECT_EQ(test::outcomeOf(future), "<not done>");
    EXPECT_TRUE(metadata->updateRequested());
    time->sleep(100);
    sender->runOnce();
    answerWithOffset(0);
    sender->runOnce();
    EXPECT_EQ(future.get().offset(), 0);
}

TEST_F(ErrorResponses, WithSeveralRequestsInFlightARetriedBatchCanBeOvertaken) {
    build(/*retries=*/3);
    auto first = append();
    sender->runOnce();       // in flight
    auto second = append();  // a newer batch, queued behind
    answerWithError(kNotLeaderOrFollower);
    sender->runOnce();  // the first is back, at the head; the second goes meanwhile
    time->sleep(100);
    sender->runOnce();
    // Answer in order: the second request (the newer batch), then the retried first.
    answerWithOffset(10);
    answerWithOffset(11);
    sender->runOnce();
    ASSERT_EQ(accumulator->batches(tp).size(), 0u);
    // The newer batch went while the older one waited out its backoff, so it got the
    // earlier offset: with several requests in flight, retries reorder a partition.
    // max.in.flight.requests.per.connection=1 (or idempotence) is what prevents it.
    EXPECT_EQ(second.get().offset(), 10);
    EXPECT_EQ(first.get().offset(), 11);
}

TEST_F(ErrorResponses, WithOneRequestInFlightARetriedBatchGoesAgainBeforeTheNextOne) {
    build(/*retries=*/3, /*guaranteeMessageOrder=*/true);  // max.in.flight=1 (chapter 20)
    auto first = append();
    sender->runOnce();  // the first batch in flight; its partition muted
    auto second = append();
    answerWithError(kNotLeaderOrFollower);
    sender->runOnce();  // back at the head, waiting out its backoff
    sender->runOnce();
    EXPECT_EQ(client->sent().size(), 1u) << "the second may not overtake the first";
    time->sleep(100);
    sender->runOnce();
    ASSERT_EQ(client->sent().size(), 2u);
    answerWithOffset(7);  // the first, at last
    sender->runOnce();
    sender->runOnce();
    ASSERT_EQ(client->sent().size(), 3u);
    answerWithOffset(8);
    sender->runOnce();
    EXPECT_EQ(first.get().offset(), 7);
    EXPECT_EQ(second.get().offset(), 8) << "the partition's order held through the retry";
}

// retry.backoff.max.ms (Kafka 3.7, KIP-580): each retry of a batch waits twice as long as the
// one before, from retry.backoff.ms up to retry.backoff.max.ms, spread by ±20 % so that many
// producers hit by the same failure do not all come back at once. A bug this test guards against:
// the setting accepted and ignored.
TEST(RetryBackoff, EachRetryWaitsLongerUpToTheMaximum) {
    auto time = std::make_shared<MockTime>();
    auto accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{
            .batchSize = 1024, .lingerMs = 0, .retryBackoffMs = 100, .retryBackoffMaxMs = 1000},
        std::make_shared<BufferPool>(kTotal, 1024, time), time);
    auto metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    metadata->update(test::singletonCluster("t", 1), time->milliseconds());
    auto client = std::make_shared<test::MockClient>();
    Sender sender(client, metadata, accumulator, {.acks = 1, .retries = 10}, time);
    const auto now = time->milliseconds();
    accumulator->append({"t", 0}, now, std::nullopt, toBytes("v"), {}, nullptr, 0, false, now);
    sender.runOnce();
    // The n-th retry waits 100 × 2^(n-1) ms, ±20 %, at most 1000 ms.
    for (const auto& [atLeast, atMost] :
         {std::pair{80, 120}, {160, 240}, {320, 480}, {640, 960}, {800, 1000}, {800, 1000}}) {
        const auto sent = client->sent().size();
        client->respond({{{"t", 0}, {.error = kNotLeaderOrFollower}}});
        sender.runOnce();  // the answer: back to the head of its deque
        time->sleep(atLeast - 1);
        sender.runOnce();
        EXPECT_EQ(client->sent().size(), sent) << "retried before " << atLeast << " ms";
        time->sleep(atMost - atLeast + 1);
        sender.runOnce();
        ASSERT_EQ(client->sent().size(), sent + 1) << "not retried by " << atMost << " ms";
    }
}

}  // namespace
}  // namespace kafka::clients::producer
