//@ ch36
#include "kafka/clients/producer/internals/TransactionManager.h"

#include <algorithm>
#include <limits>
#include <string>

#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients::producer::internals {

using common::TopicPartition;
using common::protocol::Errors;
using common::utils::ProducerIdAndEpoch;

TransactionManager::TransactionManager(common::utils::LogContext logContext)
    : log_(logContext.logger("TransactionManager")) {}

//> ch36 producer-id
void TransactionManager::bumpIdempotentEpochAndResetIdIfNeeded() {
    if (clientSideEpochBumpRequired_) bumpIdempotentProducerEpoch();
    if (state_ != State::kInitializing && !hasProducerId()) {
        state_ = State::kInitializing;
        initProducerIdPending_ = true;
    }
}

bool TransactionManager::hasPendingInitProducerId() const {
    return initProducerIdPending_ && !initProducerIdInFlight_ && !hasFatalError();
}

TransactionManager::InitProducerIdOutcome TransactionManager::handleInitProducerIdResponse(
    Errors error, const ProducerIdAndEpoch& producerIdAndEpoch) {
    initProducerIdInFlight_ = false;
    if (error == Errors::kNone) {
        initProducerIdPending_ = false;
        setProducerIdAndEpoch(producerIdAndEpoch);
        state_ = State::kReady;
        // After the epoch ran out: the partitions that asked for a new one are numbered from 0
        // under the new producer id, now that it is known.
        rewriteSequencesOfPartitionsThatAskedForIt();
        return InitProducerIdOutcome::kDone;
    }
    if (common::protocol::isRetriable(error)) return InitProducerIdOutcome::kRetry;
    initProducerIdPending_ = false;
    if (error == Errors::kClusterAuthorizationFailed) {
        // Not allowed, for now: the waiting batches fail, and the producer asks again later,
        // when an administrator may have granted it (Kafka 3.7+, KAFKA-13668).
        state_ = State::kUninitialized;
        return InitProducerIdOutcome::kFailBatches;
    }
    transitionToFatalError(common::protocol::exception(
        error, "InitProducerId failed with " + common::protocol::errorName(error)));
    return InitProducerIdOutcome::kDone;
}

void TransactionManager::setProducerIdAndEpoch(const ProducerIdAndEpoch& producerIdAndEpoch) {
    log_.info("ProducerId set to {} with epoch {}", producerIdAndEpoch.producerId,
              producerIdAndEpoch.epoch);
    producerIdAndEpoch_ = producerIdAndEpoch;
}
//< ch36 producer-id

//> ch36 epoch-bump
void TransactionManager::requestIdempotentEpochBumpForPartition(const TopicPartition& tp) {
    clientSideEpochBumpRequired_ = true;
    partitionsToRewriteSequences_.insert(tp);
}

void TransactionManager::bumpIdempotentProducerEpoch() {
    clientSideEpochBumpRequired_ = false;
    if (producerIdAndEpoch_.epoch == std::numeric_limits<std::int16_t>::max()) {
        // The epoch is used up: a new producer id, which starts at epoch 0. The partitions
        // wait for it to be renumbered (Kafka renumbers them with no id at all, -1).
        setProducerIdAndEpoch({});
        state_ = State::kUninitialized;
        return;
    }
    setProducerIdAndEpoch(
        {producerIdAndEpoch_.producerId, static_cast<std::int16_t>(producerIdAndEpoch_.epoch + 1)});
    rewriteSequencesOfPartitionsThatAskedForIt();
}

void TransactionManager::rewriteSequencesOfPartitionsThatAskedForIt() {
    // They renumber their batches in flight from 0 now; the others do so when their last
    // batch of the old epoch completes.
    for (const auto& tp : partitionsToRewriteSequences_) {
        entry(tp).startSequencesAtBeginning(producerIdAndEpoch_);
        partitionsWithUnresolvedSequences_.erase(tp);
    }
    partitionsToRewriteSequences_.clear();
}
//< ch36 epoch-bump

//> ch36 sequences
TxnPartitionEntry& TransactionManager::entry(const TopicPartition& tp) {
    return partitions_.try_emplace(tp, tp).first->second;
}

std::int32_t TransactionManager::sequenceNumber(const TopicPartition& tp) {
    return entry(tp).nextSequence();
}

void TransactionManager::incrementSequenceNumber(const TopicPartition& tp, int increment) {
    entry(tp).incrementSequence(increment);
}

void TransactionManager::maybeUpdateProducerIdAndEpoch(const TopicPartition& tp) {
    if (hasFatalError()) return;
    if (hasStaleProducerIdAndEpoch(tp) && !hasInflightBatches(tp))
        entry(tp).startSequencesAtBeginning(producerIdAndEpoch_);
}

void TransactionManager::addInFlightBatch(const std::shared_ptr<ProducerBatch>& batch) {
    if (!batch->hasSequence())
        throw common::errors::IllegalStateException("Can't track a batch for " +
                                                    batch->topicPartition().toString() +
                                                    " whose sequence is not set");
    entry(batch->topicPartition()).addInflightBatch(batch);
}

void TransactionManager::removeInFlightBatch(const std::shared_ptr<ProducerBatch>& batch) {
    entry(batch->topicPartition()).removeInFlightBatch(batch);
}

std::int32_t TransactionManager::firstInFlightSequence(const TopicPartition& tp) {
    const auto first = entry(tp).nextBatchBySequence();
    return first ? first->baseSequence() : ProducerBatch::kNoSequence;
}

bool TransactionManager::hasInflightBatches(const TopicPartition& tp) {
    return entry(tp).hasInflightBatches();
}

bool TransactionManager::hasStaleProducerIdAndEpoch(const TopicPartition& tp) {
    return producerIdAndEpoch_ != entry(tp).producerIdAndEpoch();
}

std::optional<std::int32_t> TransactionManager::lastAckedSequence(const TopicPartition& tp) {
    return entry(tp).lastAckedSequence();
}
//< ch36 sequences

//> ch36 batch-outcomes
void TransactionManager::handleCompletedBatch(
    const std::shared_ptr<ProducerBatch>& batch,
    const common::requests::ProduceResponse::PartitionResponse& response) {
    auto& partition = entry(batch->topicPartition());
    partition.removeInFlightBatch(batch);
    // A late answer to a batch of an epoch since left behind says nothing about the new
    // epoch's sequences.
    if (partition.producerIdAndEpoch() !=
        ProducerIdAndEpoch{batch->producerId(), batch->producerEpoch()})
        return;
    partition.maybeUpdateLastAckedSequence(batch->lastSequence());
    if (response.baseOffset >= 0)
        partition.setLastAckedOffset(response.baseOffset + batch->recordCount() - 1);
}

void TransactionManager::handleFailedBatch(const std::shared_ptr<ProducerBatch>& batch,
                                           Errors error, bool adjustSequenceNumbers) {
    // Errors no retry can mend: this producer cannot go on (Kafka's maybeTransitionToErrorState).
    if (error == Errors::kClusterAuthorizationFailed || error == Errors::kProducerFenced ||
        error == Errors::kUnsupportedVersion || error == Errors::kInvalidProducerIdMapping)
        transitionToFatalError(common::protocol::exception(error));
    removeInFlightBatch(batch);
    if (hasFatalError()) return;
    const TopicPartition& tp = batch->topicPartition();
    if (error == Errors::kOutOfOrderSequenceNumber || error == Errors::kUnknownProducerId) {
        // A gap in the log, or a broker that forgot this producer: a new epoch lets the
        // partition start again from sequence 0. (For UNKNOWN_PRODUCER_ID Kafka forgets the
        // partition's sequences instead, batches in flight included; the bump keeps them.)
        log_.error("The broker returned {} for {} with producerId {}, epoch {}, and sequence {}",
                   common::protocol::errorName(error), tp.toString(), batch->producerId(),
                   batch->producerEpoch(), batch->baseSequence());
        requestIdempotentEpochBumpForPartition(tp);
    } else if (adjustSequenceNumbers) {
        // The batch is known not to be stored (the broker refused it for good), so its
        // sequence numbers are a gap: the batches after it must be renumbered, which the
        // idempotent producer does with an epoch bump.
        requestIdempotentEpochBumpForPartition(tp);
    }
}
//< ch36 batch-outcomes

//> ch36 can-retry
bool TransactionManager::canRetry(
    const common::requests::ProduceResponse::PartitionResponse& response,
    const ProducerBatch& batch) {
    const TopicPartition& tp = batch.topicPartition();
    if (response.error == Errors::kUnknownProducerId) {
        // The broker has no state for this producer (its records were deleted by retention,
        // or it lost them). Without a log start offset, just try again; otherwise a new epoch
        // makes sequence 0 acceptable again.
        if (response.logStartOffset == -1) return true;
        if (batch.sequenceHasBeenReset()) return true;  // renumbered already by a bump
        requestIdempotentEpochBumpForPartition(tp);
        return true;
    }
    if (response.error == Errors::kOutOfOrderSequenceNumber) {
        // Not the next batch after the last acknowledged one: an earlier batch failed or is
        // being retried, and this one will fit once it is through. Retry without a bump.
        if (!hasUnresolvedSequence(tp) &&
            (batch.sequenceHasBeenReset() || !isNextSequence(tp, batch.baseSequence())))
            return true;
        // It is the next one and the broker still refuses it: a real gap. Bump the epoch,
        // unless an expired batch may yet fill the gap.
        if (!hasUnresolvedSequence(tp) ||
            isNextSequenceForUnresolvedPartition(tp, batch.baseSequence()))
            requestIdempotentEpochBumpForPartition(tp);
        return true;
    }
    return common::protocol::isRetriable(response.error);
}

bool TransactionManager::isNextSequence(const TopicPartition& tp, std::int32_t sequence) {
    return sequence -
               lastAckedSequence(tp).value_or(TxnPartitionEntry::kNoLastAckedSequenceNumber) ==
           1;
}

bool TransactionManager::isNextSequenceForUnresolvedPartition(const TopicPartition& tp,
                                                              std::int32_t sequence) const {
    const auto unresolved = partitionsWithUnresolvedSequences_.find(tp);
    return unresolved != partitionsWithUnresolvedSequences_.end() && unresolved->second == sequence;
}
//< ch36 can-retry

//> ch36 unresolved
void TransactionManager::markSequenceUnresolved(const ProducerBatch& batch) {
    const std::int32_t nextSequence = batch.lastSequence() + 1;
    auto [it, inserted] =
        partitionsWithUnresolvedSequences_.try_emplace(batch.topicPartition(), nextSequence);
    if (!inserted) it->second = std::max(it->second, nextSequence);
    log_.debug("Marking partition {} unresolved with next sequence number {}",
               batch.topicPartition().toString(), it->second);
}

bool TransactionManager::hasUnresolvedSequence(const TopicPartition& tp) const {
    return partitionsWithUnresolvedSequences_.contains(tp);
}

void TransactionManager::maybeResolveSequences() {
    for (auto it = partitionsWithUnresolvedSequences_.begin();
         it != partitionsWithUnresolvedSequences_.end();) {
        const TopicPartition& tp = it->first;
        if (hasInflightBatches(tp)) {
            ++it;
            continue;
        }
        // Nothing in flight: the acknowledgements say whether the expired batch was stored.
        if (!isNextSequence(tp, sequenceNumber(tp))) {
            log_.info(
                "No inflight batches remaining for {}, last ack'd sequence for partition is {}, "
                "next sequence is {}. Going to bump epoch and reset sequence numbers.",
                tp.toString(),
                lastAckedSequence(tp).value_or(TxnPartitionEntry::kNoLastAckedSequenceNumber),
                sequenceNumber(tp));
            requestIdempotentEpochBumpForPartition(tp);
        }
        it = partitionsWithUnresolvedSequences_.erase(it);
    }
}
//< ch36 unresolved

//> ch36 fatal
std::exception_ptr TransactionManager::lastError() const {
    return hasFatalError() ? lastError_ : nullptr;
}

void TransactionManager::transitionToFatalError(std::exception_ptr error) {
    if (hasFatalError()) return;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        log_.info("Transiting to fatal error state due to {}", e.what());
    }
    lastError_ = std::move(error);
    state_ = State::kFatalError;
    fatal_.store(true, std::memory_order_release);
}
//< ch36 fatal

}  // namespace kafka::clients::producer::internals
