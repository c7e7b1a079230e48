//@ ch36
#include "kafka/clients/producer/internals/TxnPartitionEntry.h"

#include <tuple>
#include <vector>

#include "kafka/common/record/DefaultRecordBatch.h"

namespace kafka::clients::producer::internals {

bool TxnPartitionEntry::BySequence::operator()(const std::shared_ptr<ProducerBatch>& a,
                                               const std::shared_ptr<ProducerBatch>& b) const {
    return std::tuple(a->producerId(), a->producerEpoch(), a->baseSequence()) <
           std::tuple(b->producerId(), b->producerEpoch(), b->baseSequence());
}

std::optional<std::int32_t> TxnPartitionEntry::lastAckedSequence() const {
    if (lastAckedSequence_ == kNoLastAckedSequenceNumber) return std::nullopt;
    return lastAckedSequence_;
}

std::optional<std::int64_t> TxnPartitionEntry::lastAckedOffset() const {
    if (lastAckedOffset_ < 0) return std::nullopt;
    return lastAckedOffset_;
}

std::shared_ptr<ProducerBatch> TxnPartitionEntry::nextBatchBySequence() const {
    return inflightBatchesBySequence_.empty() ? nullptr : *inflightBatchesBySequence_.begin();
}

void TxnPartitionEntry::incrementSequence(int increment) {
    nextSequence_ = common::record::DefaultRecordBatch::incrementSequence(nextSequence_, increment);
}

void TxnPartitionEntry::addInflightBatch(const std::shared_ptr<ProducerBatch>& batch) {
    inflightBatchesBySequence_.insert(batch);
}

void TxnPartitionEntry::removeInFlightBatch(const std::shared_ptr<ProducerBatch>& batch) {
    // By identity, not by key, so that only this batch can leave: a walk over at most
    // max.in.flight.requests.per.connection batches.
    for (auto it = inflightBatchesBySequence_.begin(); it != inflightBatchesBySequence_.end(); ++it)
        if (*it == batch) {
            inflightBatchesBySequence_.erase(it);
            return;
        }
}

std::int32_t TxnPartitionEntry::maybeUpdateLastAckedSequence(std::int32_t sequence) {
    if (sequence > lastAckedSequence_) lastAckedSequence_ = sequence;
    return lastAckedSequence_;
}

void TxnPartitionEntry::startSequencesAtBeginning(
    const common::utils::ProducerIdAndEpoch& producerIdAndEpoch) {
    // Renumbering changes the set's keys, so the batches are taken out and put back.
    const std::vector<std::shared_ptr<ProducerBatch>> inFlight(inflightBatchesBySequence_.begin(),
                                                               inflightBatchesBySequence_.end());
    inflightBatchesBySequence_.clear();
    std::int32_t sequence = 0;
    for (const auto& batch : inFlight) {
        batch->resetProducerState(producerIdAndEpoch, sequence);
        sequence += batch->recordCount();
        inflightBatchesBySequence_.insert(batch);
    }
    producerIdAndEpoch_ = producerIdAndEpoch;
    nextSequence_ = sequence;
    lastAckedSequence_ = kNoLastAckedSequenceNumber;
}

}  // namespace kafka::clients::producer::internals
