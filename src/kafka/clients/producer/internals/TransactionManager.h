//@ ch36
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "kafka/clients/producer/internals/ProducerBatch.h"
#include "kafka/clients/producer/internals/TxnPartitionEntry.h"
#include "kafka/common/TopicPartition.h"
#include "kafka/common/protocol/Errors.h"
#include "kafka/common/requests/InitProducerIdResponse.h"
#include "kafka/common/requests/ProduceResponse.h"
#include "kafka/common/utils/LogContext.h"
#include "kafka/common/utils/ProducerIdAndEpoch.h"

namespace kafka::clients::producer::internals {

/// The idempotent producer's memory (the idempotent half of Kafka's TransactionManager;
/// transactions are not part of this course). It holds the producer id and epoch a broker
/// handed out, and per partition the sequence numbers: which the next batch gets, which the
/// broker acknowledged last, which batches are in flight. From these it decides, when a batch
/// fails, whether it may go again and whether the epoch must be bumped so that the partition's
/// sequences can start again from 0.
///
/// The Sender's thread alone calls it, except hasFatalError() and lastError(), which send()
/// reads: Kafka synchronizes every method because its transactional half is driven by the
/// application's thread too.
class TransactionManager {
public:
    enum class State { kUninitialized, kInitializing, kReady, kFatalError };

    explicit TransactionManager(common::utils::LogContext logContext = {});

    // --- The producer id ------------------------------------------------------------------

    const common::utils::ProducerIdAndEpoch& producerIdAndEpoch() const {
        return producerIdAndEpoch_;
    }
    bool hasProducerId() const { return producerIdAndEpoch_.isValid(); }
    State state() const { return state_; }

    /// Bumps the epoch if a partition asked for it, and asks for a producer id if there is
    /// none (Kafka's bumpIdempotentEpochAndResetIdIfNeeded): called at the top of each loop.
    void bumpIdempotentEpochAndResetIdIfNeeded();
    /// Whether an InitProducerId request should go out now: one is wanted and none is in flight.
    bool hasPendingInitProducerId() const;
    void setInitProducerIdInFlight(bool inFlight) { initProducerIdInFlight_ = inFlight; }
    bool hasInFlightRequest() const { return initProducerIdInFlight_; }
    /// What the Sender does after an InitProducerId answer.
    enum class InitProducerIdOutcome {
        kDone,         // an id (READY), or a fatal error (hasFatalError())
        kRetry,        // a retriable error: ask again after retry.backoff.ms
        kFailBatches,  // not authorized: fail what waits, ask again after retry.backoff.ms
    };
    InitProducerIdOutcome handleInitProducerIdResponse(
        common::protocol::Errors error,
        const common::utils::ProducerIdAndEpoch& producerIdAndEpoch);

    // --- Sequence numbers, per partition ----------------------------------------------------

    std::int32_t sequenceNumber(const common::TopicPartition& tp);
    void incrementSequenceNumber(const common::TopicPartition& tp, int increment);
    /// A partition whose batches carry an old id or epoch starts again from 0 once none of
    /// them is in flight any more.
    void maybeUpdateProducerIdAndEpoch(const common::TopicPartition& tp);
    void addInFlightBatch(const std::shared_ptr<ProducerBatch>& batch);
    void removeInFlightBatch(const std::shared_ptr<ProducerBatch>& batch);
    /// The base sequence of the partition's batch in flight with the lowest one, or -1.
    std::int32_t firstInFlightSequence(const common::TopicPartition& tp);
    bool hasInflightBatches(const common::TopicPartition& tp);
    bool hasStaleProducerIdAndEpoch(const common::TopicPartition& tp);
    std::optional<std::int32_t> lastAckedSequence(const common::TopicPartition& tp);

    // --- Outcomes of batches ----------------------------------------------------------------

    void handleCompletedBatch(const std::shared_ptr<ProducerBatch>& batch,
                              const common::requests::ProduceResponse::PartitionResponse& response);
    /// A batch failed for good with `error`. `adjustSequenceNumbers` is false when the batch
    /// ran out of retries or time: the broker may have stored it, so its sequence is not free.
    void handleFailedBatch(const std::shared_ptr<ProducerBatch>& batch,
                           common::protocol::Errors error, bool adjustSequenceNumbers);
    /// Whether a batch that failed with this answer may be sent again; may ask for an epoch
    /// bump on the way (UNKNOWN_PRODUCER_ID, a real gap in OUT_OF_ORDER_SEQUENCE_NUMBER).
    bool canRetry(const common::requests::ProduceResponse::PartitionResponse& response,
                  const ProducerBatch& batch);

    /// A batch expired after it had been sent: whether the broker has it is unknown, so the
    /// partition's next sequence is "unresolved" until the batches after it tell.
    void markSequenceUnresolved(const ProducerBatch& batch);
    bool hasUnresolvedSequence(const common::TopicPartition& tp) const;
    /// For each unresolved partition with nothing in flight any more: resolved if the last
    /// acknowledged sequence is the one before the next, else the epoch is bumped.
    void maybeResolveSequences();

    // --- Fatal errors -----------------------------------------------------------------------

    bool hasFatalError() const { return fatal_.load(std::memory_order_acquire); }
    /// Why the producer cannot go on (null unless hasFatalError()).
    std::exception_ptr lastError() const;
    void transitionToFatalError(std::exception_ptr error);

private:
    TxnPartitionEntry& entry(const common::TopicPartition& tp);
    void requestIdempotentEpochBumpForPartition(const common::TopicPartition& tp);
    void bumpIdempotentProducerEpoch();
    void rewriteSequencesOfPartitionsThatAskedForIt();
    void setProducerIdAndEpoch(const common::utils::ProducerIdAndEpoch& producerIdAndEpoch);
    bool isNextSequence(const common::TopicPartition& tp, std::int32_t sequence);
    bool isNextSequenceForUnresolvedPartition(const common::TopicPartition& tp,
                                              std::int32_t sequence) const;

    const common::utils::Logger log_;
    common::utils::ProducerIdAndEpoch producerIdAndEpoch_;
    State state_ = State::kUninitialized;
    bool initProducerIdPending_ = false;
    bool initProducerIdInFlight_ = false;
    // Kafka's TxnPartitionMap is this map and little more.
    std::map<common::TopicPartition, TxnPartitionEntry> partitions_;
    // Partitions whose sequence is unknown after an expired batch: the next sequence to expect.
    std::map<common::TopicPartition, std::int32_t> partitionsWithUnresolvedSequences_;
    // Partitions whose in-flight batches are renumbered at the next epoch bump.
    std::set<common::TopicPartition> partitionsToRewriteSequences_;
    bool clientSideEpochBumpRequired_ = false;
    std::exception_ptr lastError_;  // written before fatal_ is set
    std::atomic<bool> fatal_{false};
};

}  // namespace kafka::clients::producer::internals
