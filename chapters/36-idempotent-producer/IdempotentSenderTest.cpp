// Chapter 36: the idempotent producer's side, step by step on a fake clock. The Sender asks for
// a producer id before anything else; each batch gets the producer id, epoch and the next
// sequence numbers of its partition when it is first drained, and keeps them through retries;
// with several batches in flight a failed one goes again first and alone, so the broker sees
// the sequences in order; an answer that says the sequences broke makes the producer bump its
// epoch and number the partition again from 0.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/clients/producer/internals/TransactionManager.h"
#include "kafka/common/record/MemoryRecords.h"
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
using internals::TransactionManager;

// What a batch on the wire says about its producer: (producer id, epoch, base sequence).
using ProducerFields = std::tuple<std::int64_t, std::int16_t, std::int32_t>;

class IdempotentSender : public ::testing::Test {
protected:
    IdempotentSender() {
        metadata->update(test::singletonCluster("t", 2), time->milliseconds());
        sender = std::make_unique<Sender>(client, metadata, accumulator,
                                          Sender::Settings{.acks = -1,
                                                           .retries = 10,
                                                           .transactionManager = transactions,
                                                           .retryBackoffMs = 100},
                                          time);
    }

    // A batch of its own: each record fills a 128-byte batch.
    RecordMetadataFuture appendBatch(const std::string& value,
                                     const TopicPartition& to = {"t", 0}) {
        const auto now = time->milliseconds();
        return *accumulator
                    ->append(to, now, std::nullopt, toBytes(value + std::string(120, '.')), {},
                             nullptr, 0, false, now)
                    .future;
    }
    // One batch of `count` small records.
    RecordMetadataFuture appendRecords(int count) {
        const auto now = time->milliseconds();
        std::optional<RecordMetadataFuture> last;
        for (int i = 0; i < count; ++i)
            last =
                accumulator->append(tp, now, std::nullopt, toBytes("r"), {}, nullptr, 0, false, now)
                    .future;
        return *last;
    }
    void answer(Errors error, std::int64_t offset = -1) {
        client->respond(
            {{tp, ProduceResponse::PartitionResponse{.error = error, .baseOffset = offset}}});
    }
    // The producer fields of the batch for `of` in the i-th produce request sent. Read them
    // at once: a request's bytes are its batch's own buffer.
    ProducerFields sentFields(std::size_t i, const TopicPartition& of = {"t", 0}) const {
        const auto request = client->produceRequest(i);
        const auto batches =
            common::record::MemoryRecords::readableRecords(request->partitionRecords().at(of))
                .batches();
        EXPECT_EQ(batches.size(), 1u);
        EXPECT_TRUE(batches.front().isValid()) << "the CRC covers the producer fields";
        return {batches.front().producerId(), batches.front().producerEpoch(),
                batches.front().baseSequence()};
    }
    std::size_t requestsSent() const { return client->sent().size(); }
    // Past retry.backoff.ms (and its jitter), so that a retried batch may go.
    void backOff() { time->sleep(200); }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    std::shared_ptr<TransactionManager> transactions = std::make_shared<TransactionManager>();
    std::shared_ptr<BufferPool> pool = std::make_shared<BufferPool>(64 * 1024, 128, time);
    std::shared_ptr<RecordAccumulator> accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{.batchSize = 128,
                                    .lingerMs = 0,
                                    .retryBackoffMs = 100,
                                    .transactionManager = transactions},
        pool, time);
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<test::MockClient> client = std::make_shared<test::MockClient>();
    std::unique_ptr<Sender> sender;
    const TopicPartition tp{"t", 0};
};

TEST_F(IdempotentSender, AsksForAProducerIdBeforeItSendsAnyBatch) {
    appendBatch("a");
    client->prepareInitProducerId(Errors::kCoordinatorLoadInProgress);  // retriable
    sender->runOnce();
    EXPECT_EQ(client->initProducerIdRequests(), 1);
    EXPECT_FALSE(transactions->hasProducerId());
    EXPECT_EQ(requestsSent(), 0u) << "no batch can be numbered without a producer id";
    sender->runOnce();  // inside retry.backoff.ms: no second request yet
    EXPECT_EQ(client->initProducerIdRequests(), 1);
    backOff();
    sender->runOnce();  // asks again, and gets producer id 1000 at epoch 0
    EXPECT_EQ(client->initProducerIdRequests(), 2);
    EXPECT_EQ(transactions->producerIdAndEpoch(), (common::utils::ProducerIdAndEpoch{1000, 0}));
    sender->runOnce();
    ASSERT_EQ(requestsSent(), 1u);
    EXPECT_EQ(sentFields(0), ProducerFields(1000, 0, 0));
}

TEST_F(IdempotentSender, EachBatchTakesTheNextSequencesOfItsPartition) {
    sender->runOnce();  // the producer id
    appendBatch("a");
    sender->runOnce();
    // Read at once: a request's bytes are its batch's buffer, which goes back to the pool.
    EXPECT_EQ(sentFields(0), ProducerFields(1000, 0, 0));
    answer(Errors::kNone, 0);
    sender->runOnce();
    // Two records in one batch: the next batch starts two sequences further.
    const auto now = time->milliseconds();
    accumulator->append(tp, now, std::nullopt, toBytes("b"), {}, nullptr, 0, false, now);
    accumulator->append(tp, now, std::nullopt, toBytes("c"), {}, nullptr, 0, false, now);
    sender->runOnce();
    EXPECT_EQ(sentFields(1), ProducerFields(1000, 0, 1));
    appendBatch("d");
    sender->runOnce();
    ASSERT_EQ(requestsSent(), 3u);
    EXPECT_EQ(sentFields(2), ProducerFields(1000, 0, 3));
    EXPECT_EQ(transactions->sequenceNumber(tp), 4);
}

TEST_F(IdempotentSender, ARetryCarriesTheSameSequenceSoTheBrokerCanRecogniseIt) {
    sender->runOnce();
    auto future = appendBatch("a");
    sender->runOnce();
    const ProducerFields first = sentFields(0);
    EXPECT_EQ(first, ProducerFields(1000, 0, 0));
    // The leader stored it but timed out waiting for its followers: whether it will keep
    // the records is not known yet, and the batch goes again.
    answer(Errors::kRequestTimedOut);
    sender->runOnce();
    backOff();
    sender->runOnce();
    ASSERT_EQ(requestsSent(), 2u);
    EXPECT_EQ(sentFields(1), first) << "the same batch, the same numbers";
    answer(Errors::kNone, 7);
    sender->runOnce();
    EXPECT_EQ(future.get().offset(), 7);
    EXPECT_EQ(transactions->lastAckedSequence(tp), 0);
}

TEST_F(IdempotentSender, WithBatchesInFlightAFailedOneGoesAgainFirstAndAlone) {
    sender->runOnce();
    auto a = appendBatch("a");
    auto b = appendBatch("b");
    auto c = appendBatch("c");
    sender->runOnce();
    sender->runOnce();
    sender->runOnce();
    ASSERT_EQ(requestsSent(), 3u) << "max.in.flight is 5: all three are out";
    // The leader refuses the first before appending it (too few replicas in sync for a
    // moment), so the next two arrive after a gap.
    answer(Errors::kNotEnoughReplicas);
    answer(Errors::kOutOfOrderSequenceNumber);
    answer(Errors::kOutOfOrderSequenceNumber);
    sender->runOnce();
    EXPECT_EQ(accumulator->batches(tp).size(), 3u) << "all three are back in their deque";
    EXPECT_EQ(transactions->producerIdAndEpoch().epoch, 0) << "a gap behind a retry: no bump";
    backOff();
    sender->runOnce();
    sender->runOnce();
    ASSERT_EQ(requestsSent(), 4u) << "the lowest sequence goes alone";
    EXPECT_EQ(sentFields(3), ProducerFields(1000, 0, 0));
    answer(Errors::kNone, 0);
    sender->runOnce();
    sender->runOnce();
    ASSERT_EQ(requestsSent(), 5u);
    EXPECT_EQ(sentFields(4), ProducerFields(1000, 0, 1));
    answer(Errors::kNone, 1);
    sender->runOnce();
    sender->runOnce();
    ASSERT_EQ(requestsSent(), 6u);
    EXPECT_EQ(sentFields(5), ProducerFields(1000, 0, 2));
    answer(Errors::kNone, 2);
    sender->runOnce();
    EXPECT_EQ(a.get().offset(), 0);
    EXPECT_EQ(b.get().offset(), 1);
    EXPECT_EQ(c.get().offset(), 2);
}

TEST_F(IdempotentSender, ADuplicateSequenceIsASuccessWithoutAnOffset) {
    sender->runOnce();
    auto future = appendBatch("a");
    sender->runOnce();
    answer(Errors::kDuplicateSequenceNumber);
    sender->runOnce();
    const auto metadata = future.get();  // no exception: the records are stored
    EXPECT_EQ(metadata.offset(), -1);
    EXPECT_EQ(transactions->lastAckedSequence(tp), 0);
}

TEST_F(IdempotentSender, ARealGapBumpsTheEpochAndTheBatchGoesAgainFromSequenceZero) {
    sender->runOnce();
    appendBatch("a");
    sender->runOnce();
    answer(Errors::kNone, 0);
    sender->runOnce();
    auto b = appendBatch("b");
    sender->runOnce();
    // b is the very next sequence after the last acknowledged one, and the broker still
    // says out of order: it lost state. Only a new epoch can start the partition again.
    answer(Errors::kOutOfOrderSequenceNumber);
    sender->runOnce();
    backOff();
    sender->runOnce();  // the bump comes first in the loop, then the retry
    EXPECT_EQ(transactions->producerIdAndEpoch(), (common::utils::ProducerIdAndEpoch{1000, 1}));
    ASSERT_EQ(requestsSent(), 3u);
    EXPECT_EQ(sentFields(2), ProducerFields(1000, 1, 0));
    answer(Errors::kNone, 1);
    sender->runOnce();
    EXPECT_EQ(b.get().offset(), 1);
}

TEST_F(IdempotentSender, AnUnknownProducerIdAlsoBumpsTheEpoch) {
    sender->runOnce();
    auto a = appendBatch("a");
    sender->runOnce();
    client->respond({{tp, ProduceResponse::PartitionResponse{.error = Errors::kUnknownProducerId,
                                                             .logStartOffset = 0}}});
    sender->runOnce();
    backOff();
    sender->runOnce();
    ASSERT_EQ(requestsSent(), 2u);
    EXPECT_EQ(sentFields(1), ProducerFields(1000, 1, 0));
    answer(Errors::kNone, 0);
    sender->runOnce();
    EXPECT_EQ(a.get().offset(), 0);
}

TEST_F(IdempotentSender, AFatalInitProducerIdErrorFailsEveryBatchWithItsCause) {
    auto future = appendBatch("a");
    client->prepareInitProducerId(Errors::kInvalidRequest);  // what a broker says to a bad one
    sender->runOnce();
    EXPECT_TRUE(transactions->hasFatalError());
    sender->runOnce();
    EXPECT_NE(test::outcomeOf(future).find("INVALID_REQUEST"), std::string::npos)
        << test::outcomeOf(future);
    EXPECT_EQ(requestsSent(), 0u);
}

TEST_F(IdempotentSender, NotAuthorizedFailsTheWaitingBatchesAndAsksAgainLater) {
    auto refused = appendBatch("a");
    client->prepareInitProducerId(Errors::kClusterAuthorizationFailed);
    sender->runOnce();
    EXPECT_FALSE(transactions->hasFatalError()) << "an administrator may grant it (Kafka 3.7+)";
    EXPECT_NE(test::outcomeOf(refused).find("CLUSTER_AUTHORIZATION_FAILED"), std::string::npos)
        << test::outcomeOf(refused);
    auto later = appendBatch("b");
    backOff();
    sender->runOnce();  // asks again: granted now
    EXPECT_EQ(client->initProducerIdRequests(), 2);
    sender->runOnce();
    answer(Errors::kNone, 0);
    sender->runOnce();
    EXPECT_EQ(later.get().offset(), 0);
}

TEST_F(IdempotentSender, AfterABumpANewBatchWaitsForItsPartitionsOldEpochToBeAnswered) {
    const TopicPartition other{"t", 1};
    sender->runOnce();
    appendBatch("a");
    sender->runOnce();  // request 0: t-0, sequence 0
    appendBatch("x", other);
    sender->runOnce();  // request 1: t-1, sequence 0, still in flight below
    EXPECT_EQ(sentFields(1, other), ProducerFields(1000, 0, 0));
    client->respond({{tp, ProduceResponse::PartitionResponse{.error = Errors::kUnknownProducerId,
                                                             .logStartOffset = 0}}});
    sender->runOnce();  // t-0 asks for a new epoch
    appendBatch("y", other);
    sender->runOnce();  // the bump: epoch 1
    EXPECT_EQ(transactions->producerIdAndEpoch().epoch, 1);
    EXPECT_EQ(requestsSent(), 2u) << "y may not start epoch 1 at sequence 0 while x is out";
    client->respond({{other, ProduceResponse::PartitionResponse{.baseOffset = 0}}});
    sender->runOnce();
    sender->runOnce();
    ASSERT_EQ(requestsSent(), 3u);
    EXPECT_EQ(sentFields(2, other), ProducerFields(1000, 1, 0));
}

TEST_F(IdempotentSender, RetriesComingBackInAnyOrderGoBackInSequenceOrder) {
    transactions->handleInitProducerIdResponse(Errors::kNone, {1000, 0});
    for (const char* value : {"a", "b", "c"}) appendBatch(value);
    const auto cluster = metadata->fetch();
    std::vector<std::shared_ptr<internals::ProducerBatch>> drained;
    for (int i = 0; i < 3; ++i) {
        auto batches = accumulator->drain(*cluster, {cluster->nodes().front()}, 128, 0);
        for (auto& batch : batches.begin()->second) drained.push_back(batch);
    }
    ASSERT_EQ(drained.size(), 3u);
    for (const int i : {2, 0, 1}) accumulator->reenqueue(drained[i], time->milliseconds());
    const auto queued = accumulator->batches(tp);
    ASSERT_EQ(queued.size(), 3u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(queued[i]->baseSequence(), i);
}

TEST_F(IdempotentSender, AnExpiredBatchResolvedByTheNextAnswerNeedsNoBump) {
    sender->runOnce();
    appendBatch("a");
    sender->runOnce();  // sequence 0
    time->sleep(60'000);
    appendBatch("b");
    sender->runOnce();    // sequence 1
    time->sleep(61'000);  // a has waited 121 s: expired in flight; b has 59 s left
    sender->runOnce();
    EXPECT_TRUE(transactions->hasUnresolvedSequence(tp));
    answer(Errors::kNone, 0);  // a's late answer: stored after all
    answer(Errors::kNone, 1);
    sender->runOnce();
    appendBatch("c");
    sender->runOnce();
    EXPECT_FALSE(transactions->hasUnresolvedSequence(tp));
    EXPECT_EQ(transactions->producerIdAndEpoch().epoch, 0) << "resolved, no bump";
    ASSERT_EQ(requestsSent(), 3u);
    EXPECT_EQ(sentFields(2), ProducerFields(1000, 0, 2));
}

TEST_F(IdempotentSender, ALateAnswerFromAnOldEpochDoesNotSpeakForTheNewOne) {
    sender->runOnce();
    appendRecords(3);
    sender->runOnce();  // sequences 0-2, epoch 0
    time->sleep(121'000);
    sender->runOnce();  // expired in flight, unresolved
    sender->runOnce();  // nothing else in flight: a new epoch
    ASSERT_EQ(transactions->producerIdAndEpoch().epoch, 1);
    answer(Errors::kNone, 0);  // the late answer of epoch 0's batch
    sender->runOnce();
    EXPECT_FALSE(transactions->lastAckedSequence(tp)) << "epoch 1 has acknowledged nothing";
    appendBatch("c");
    sender->runOnce();
    answer(Errors::kNone, 3);
    sender->runOnce();
    EXPECT_EQ(transactions->lastAckedSequence(tp), 0);
}

TEST_F(IdempotentSender, AfterABatchExpiresInFlightThePartitionStartsAgainInANewEpoch) {
    sender->runOnce();
    appendBatch("a");
    sender->runOnce();  // in flight, sequence 0
    // delivery.timeout.ms (120 s by default) passes with no answer: the batch fails, but the
    // broker may have it. Its sequence is unresolved: nothing new may be numbered after it.
    time->sleep(121'000);
    sender->runOnce();
    EXPECT_TRUE(transactions->hasUnresolvedSequence(tp));
    // Nothing else is in flight, so no answer can resolve it: the producer bumps its epoch,
    // and the next batch starts the partition again from sequence 0, which a broker accepts
    // from a new epoch whatever it stored before.
    auto b = appendBatch("b");
    sender->runOnce();
    EXPECT_FALSE(transactions->hasUnresolvedSequence(tp));
    ASSERT_EQ(requestsSent(), 2u);
    EXPECT_EQ(sentFields(1), ProducerFields(1000, 1, 0));
}

}  // namespace
}  // namespace kafka::clients::producer
