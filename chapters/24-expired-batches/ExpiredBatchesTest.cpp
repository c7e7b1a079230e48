// Chapter 24: delivery.timeout.ms. A batch that has not got its outcome within the timeout,
// counted from its creation, fails with a message naming the partition and the time, whether
// it waits in the accumulator or is in flight; and the setting must leave room for linger.ms
// and one request.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/KafkaProducer.h"
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
using common::utils::MockTime;
using common::utils::toBytes;
using internals::BufferPool;
using internals::RecordAccumulator;
using internals::Sender;

constexpr std::int64_t kDeliveryTimeoutMs = 1000;
constexpr std::int64_t kTotal = 64 * 1024;

class ExpiredBatches : public ::testing::Test {
protected:
    ExpiredBatches() { metadata->update(test::singletonCluster("t", 2), time->milliseconds()); }

    RecordMetadataFuture append(const TopicPartition& tp) {
        const auto now = time->milliseconds();
        return *accumulator->append(tp, now, std::nullopt, toBytes("v"), {}, nullptr, 0, false, now)
                    .future;
    }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    std::shared_ptr<BufferPool> pool = std::make_shared<BufferPool>(kTotal, 1024, time);
    std::shared_ptr<RecordAccumulator> accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{.batchSize = 1024,
                                    .lingerMs = 0,
                                    .retryBackoffMs = 100,
                                    .deliveryTimeoutMs = kDeliveryTimeoutMs},
        pool, time);
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<test::MockClient> client = std::make_shared<test::MockClient>();
    Sender sender{client, metadata, accumulator, {.acks = 1}, time};
};

TEST_F(ExpiredBatches, ABatchForAnUnreachableLeaderFailsAfterTheDeliveryTimeout) {
    client->makeUnreachable(1, 50);
    auto future = append({"t", 0});
    time->sleep(999);
    sender.runOnce();
    EXPECT_EQ(test::outcomeOf(future), "<not done>");
    EXPECT_EQ(client->lastPollTimeoutMs(), 1) << "the sleep ends when the batch would expire";

    time->sleep(1);
    sender.runOnce();
    EXPECT_EQ(test::outcomeOf(future),
              "Expiring 1 record(s) for t-0: 1000 ms has passed since batch creation");
    EXPECT_TRUE(accumulator->batches({"t", 0}).empty());
    EXPECT_EQ(pool->availableMemory(), kTotal);
}

TEST_F(ExpiredBatches, ABatchInFlightExpiresAndItsLateAnswerChangesNothing) {
    auto future = append({"t", 0});
    sender.runOnce();
    ASSERT_EQ(client->inFlightRequestCount(), 1);
    time->sleep(kDeliveryTimeoutMs);
    sender.runOnce();
    EXPECT_NE(test::outcomeOf(future).find("Expiring 1 record(s) for t-0"), std::string::npos);

    client->respond({{{"t", 0}, {.baseOffset = 42}}});
    EXPECT_NO_THROW(sender.runOnce()) << "the answer must not complete or free the batch twice";
    EXPECT_NE(test::outcomeOf(future).find("Expiring"), std::string::npos);
    EXPECT_EQ(pool->availableMemory(), kTotal);
}

// The request's send reads the batch's buffer where it is (chapter 17), and a slow socket may
// not have taken all of it when the batch expires. Its callers hear of the timeout at once;
// its buffer stays out of the pool, where a new batch could have it and write into it, until
// the request ends.
TEST_F(ExpiredBatches, ABatchExpiredInFlightKeepsItsMemoryUntilItsRequestIsAnswered) {
    auto future = append({"t", 0});
    sender.runOnce();
    ASSERT_EQ(client->inFlightRequestCount(), 1);
    time->sleep(kDeliveryTimeoutMs);
    sender.runOnce();
    EXPECT_NE(test::outcomeOf(future).find("Expiring 1 record(s) for t-0"), std::string::npos)
        << "the caller learns at once";
    EXPECT_EQ(pool->availableMemory(), kTotal - 1024) << "its bytes may still be on the wire";

    client->respond({{{"t", 0}, {.baseOffset = 42}}});
    sender.runOnce();
    EXPECT_EQ(pool->availableMemory(), kTotal) << "the request has ended";
}

TEST_F(ExpiredBatches, ABatchExpiredInFlightKeepsItsMemoryUntilItsConnectionFails) {
    auto future = append({"t", 0});
    sender.runOnce();
    time->sleep(kDeliveryTimeoutMs);
    sender.runOnce();
    ASSERT_NE(test::outcomeOf(future).find("Expiring"), std::string::npos);
    EXPECT_EQ(pool->availableMemory(), kTotal - 1024);

    client->disconnect(1);
    EXPECT_NO_THROW(sender.runOnce());
    EXPECT_EQ(pool->availableMemory(), kTotal);
    EXPECT_NE(test::outcomeOf(future).find("Expiring"), std::string::npos) << "not retried";
    EXPECT_TRUE(accumulator->batches({"t", 0}).empty());
}

// A batch drained in the loop in which it expires is not sent: nothing reads its buffer, which
// goes back at once.
TEST_F(ExpiredBatches, ABatchThatExpiresBeforeItIsSentGivesItsMemoryBackAtOnce) {
    client->makeUnreachable(1, 50);
    auto future = append({"t", 0});
    time->sleep(kDeliveryTimeoutMs);
    client->makeReachable(1);
    sender.runOnce();
    EXPECT_NE(test::outcomeOf(future).find("Expiring"), std::string::npos);
    EXPECT_TRUE(client->sent().empty());
    EXPECT_EQ(pool->availableMemory(), kTotal);
}

// acks=0: the request ends when its last byte is written, and the buffer goes back then.
TEST_F(ExpiredBatches, WithAcksZeroTheMemoryComesBackWhenTheRequestIsWritten) {
    Sender fireAndForget(client, metadata, accumulator, {.acks = 0}, time);
    auto future = append({"t", 0});
    fireAndForget.runOnce();
    EXPECT_EQ(pool->availableMemory(), kTotal);
    EXPECT_EQ(test::outcomeOf(future), "<no error>");
}

// A forced close fails what is left, the expired batch still on the wire included, and gives
// every buffer back exactly once (a second deallocate throws).
TEST_F(ExpiredBatches, AForcedCloseGivesBackTheMemoryOfABatchExpiredInFlightOnce) {
    auto expired = append({"t", 0});
    sender.runOnce();
    time->sleep(kDeliveryTimeoutMs);
    auto queued = append({"t", 1});
    client->makeUnreachable(1, 50);
    sender.runOnce();
    ASSERT_NE(test::outcomeOf(expired).find("Expiring"), std::string::npos);
    EXPECT_EQ(pool->availableMemory(), kTotal - 2 * 1024);

    sender.forceClose();
    sender.run();
    EXPECT_EQ(pool->availableMemory(), kTotal);
    EXPECT_NE(test::outcomeOf(queued).find("closed forcefully"), std::string::npos);
    EXPECT_FALSE(accumulator->hasIncomplete());
}

// With one request in flight per partition, a batch that expires in flight keeps its partition
// muted until its request is answered (or its connection closes), as in Kafka, where only
// completeBatch unmutes: its bytes may still be on the wire, and the next batch sent beside them
// could land first.
TEST_F(ExpiredBatches, APartitionStaysMutedWhileAnExpiredBatchIsStillOnTheWire) {
    Sender ordered(client, metadata, accumulator, {.guaranteeMessageOrder = true, .acks = 1}, time);
    auto expired = append({"t", 0});
    ordered.runOnce();
    ASSERT_EQ(client->sent().size(), 1u);
    time->sleep(kDeliveryTimeoutMs);
    auto next = append({"t", 0});
    ordered.runOnce();
    ASSERT_NE(test::outcomeOf(expired).find("Expiring"), std::string::npos);
    ordered.runOnce();
    EXPECT_EQ(client->sent().size(), 1u) << "the next batch waits for the expired one's request";

    client->respond({{{"t", 0}, {.baseOffset = 0}}});  // the late answer
    ordered.runOnce();
    ordered.runOnce();
    ASSERT_EQ(client->sent().size(), 2u) << "then it goes";
    client->respond({{{"t", 0}, {.baseOffset = 1}}});
    ordered.runOnce();
    EXPECT_EQ(next.get().offset(), 1);
}

// A bug this test guards against: a callback throwing on expiry, run after the loop had drained
// other batches and before it sent them, lost those batches: in no deque, never sent, never
// completed, their memory gone. t-0 has no leader, so its batch waits and expires; t-1's is
// drained in the same loop.
TEST_F(ExpiredBatches, ACallbackThatThrowsOnExpiryLosesNoOtherBatch) {
    metadata->update(test::singletonCluster("t", 2, /*leaderless=*/{0}), time->milliseconds());
    const auto now = time->milliseconds();
    accumulator->append(
        {"t", 0}, now, std::nullopt, toBytes("old"), {},
        [](const RecordMetadata&, std::exception_ptr error) { std::rethrow_exception(error); }, 0,
        false, now);
    time->sleep(kDeliveryTimeoutMs);
    auto fresh = append({"t", 1});
    EXPECT_NO_THROW(sender.runOnce());
    ASSERT_EQ(client->sent().size(), 1u) << "t-1's batch left in the same loop";
    client->respond({{{"t", 1}, {.baseOffset = 0}}});
    sender.runOnce();
    ASSERT_TRUE(fresh.isDone());
    EXPECT_EQ(fresh.get().offset(), 0);
    EXPECT_EQ(pool->availableMemory(), kTotal);
}

// A bug this test guards against: a batch in flight did not bound how long the Sender slept: an
// idle producer woke only at request.timeout.ms, and its batch then failed late and with the
// wrong error. Kafka feeds in-flight batches into the next expiry time too.
TEST_F(ExpiredBatches, ABatchInFlightBoundsTheSleepToItsDeliveryTimeout) {
    auto future = append({"t", 0});
    sender.runOnce();
    ASSERT_EQ(client->inFlightRequestCount(), 1);
    time->sleep(300);
    sender.runOnce();
    EXPECT_EQ(client->lastPollTimeoutMs(), kDeliveryTimeoutMs - 300)
        << "the sleep ends when the batch in flight expires";
    time->sleep(kDeliveryTimeoutMs - 300);
    sender.runOnce();
    EXPECT_EQ(test::outcomeOf(future),
              "Expiring 1 record(s) for t-0: 1000 ms has passed since batch creation");
}

// Kafka's canRetry also asks that the batch is not done. Without it, only the delivery timeout
// kept an expired batch, whose buffer was back in the pool, from being sent again when a late,
// retriable answer came; and a clock that steps back defeats that test.
TEST_F(ExpiredBatches, ADoneBatchIsNeverRetriedEvenIfTheClockStepsBack) {
    Sender retrying(client, metadata, accumulator, {.acks = 1, .retries = 100}, time);
    auto future = append({"t", 0});
    retrying.runOnce();
    time->sleep(kDeliveryTimeoutMs);
    retrying.runOnce();  // expired in flight: done, its buffer back in the pool
    ASSERT_NE(test::outcomeOf(future).find("Expiring"), std::string::npos);
    time->setCurrentTimeMs(time->milliseconds() - 10'000);  // the wall clock steps back
    client->respond({{{"t", 0}, {.error = common::protocol::Errors::kNotLeaderOrFollower}}});
    retrying.runOnce();
    EXPECT_TRUE(accumulator->batches({"t", 0}).empty()) << "a done batch went back to its deque";
    EXPECT_EQ(pool->availableMemory(), kTotal);
}

TEST_F(ExpiredBatches, OnlyBatchesOldEnoughExpire) {
    client->makeUnreachable(1, 10'000);
    auto older = append({"t", 0});
    time->sleep(600);
    auto younger = append({"t", 1});
    time->sleep(400);
    sender.runOnce();
    EXPECT_NE(test::outcomeOf(older).find("1000 ms has passed"), std::string::npos);
    EXPECT_EQ(test::outcomeOf(younger), "<not done>");
    EXPECT_EQ(client->lastPollTimeoutMs(), 600) << "until the younger one's time is up";
}

TEST_F(ExpiredBatches, NoRetryPastTheDeliveryTimeout) {
    Sender retrying(client, metadata, accumulator, {.acks = 1, .retries = 100}, time);
    auto future = append({"t", 0});
    retrying.runOnce();
    time->sleep(kDeliveryTimeoutMs);
    // A retriable error, answered just as the delivery timeout ends: no more attempts.
    client->respond({{{"t", 0}, {.error = common::protocol::Errors::kNotLeaderOrFollower}}});
    retrying.runOnce();
    EXPECT_NE(test::outcomeOf(future), "<not done>");
    EXPECT_TRUE(accumulator->batches({"t", 0}).empty()) << "not re-enqueued";
    EXPECT_EQ(pool->availableMemory(), kTotal);
}

TEST(DeliveryTimeout, MustLeaveRoomForLingerAndOneRequest) {
    using C = ProducerConfig;
    try {
        internals::deliveryTimeoutMs(ProducerConfig({{"bootstrap.servers", "localhost:9092"},
                                                     {C::kDeliveryTimeoutMs, "1000"},
                                                     {C::kLingerMs, "0"},
                                                     {C::kRequestTimeoutMs, "30000"}}));
        FAIL() << "delivery.timeout.ms=1000 cannot cover request.timeout.ms=30000";
    } catch (const common::errors::ConfigException& e) {
        EXPECT_STREQ(e.what(),
                     "delivery.timeout.ms should be equal to or larger than linger.ms + "
                     "request.timeout.ms (30000), but it is 1000");
    }
    // Left at its default, it is raised to fit instead.
    EXPECT_EQ(internals::deliveryTimeoutMs(ProducerConfig({{"bootstrap.servers", "localhost:9092"},
                                                           {C::kLingerMs, "5"},
                                                           {C::kRequestTimeoutMs, "200000"}})),
              200'005);
    EXPECT_EQ(internals::deliveryTimeoutMs(ProducerConfig(
                  common::config::Properties{{"bootstrap.servers", "localhost:9092"}})),
              120'000);
}

}  // namespace
}  // namespace kafka::clients::producer
