//@ ch37
#include "kafka/log/ProducerStateEntry.h"

#include <algorithm>

namespace kafka::log {

ProducerStateEntry::ProducerStateEntry(std::int64_t producerId, std::int16_t producerEpoch,
                                       std::int32_t coordinatorEpoch, std::int64_t lastTimestamp,
                                       std::optional<BatchMetadata> firstBatch)
    : producerId_(producerId),
      producerEpoch_(producerEpoch),
      coordinatorEpoch_(coordinatorEpoch),
      lastTimestamp_(lastTimestamp) {
    if (firstBatch) batches_.push_back(*firstBatch);
}

//> ch37 entry-batches
void ProducerStateEntry::addBatch(std::int16_t producerEpoch, std::int32_t lastSeq,
                                  std::int64_t lastOffset, std::int32_t offsetDelta,
                                  std::int64_t timestamp) {
    maybeUpdateProducerEpoch(producerEpoch);
    addBatchMetadata({lastSeq, lastOffset, offsetDelta, timestamp});
    lastTimestamp_ = timestamp;
}

void ProducerStateEntry::addBatchMetadata(const BatchMetadata& batch) {
    if (batches_.size() == kNumBatchesToRetain) batches_.pop_front();  // the oldest goes
    batches_.push_back(batch);
}

void ProducerStateEntry::maybeUpdateProducerEpoch(std::int16_t producerEpoch) {
    if (producerEpoch_ == producerEpoch) return;
    batches_.clear();
    producerEpoch_ = producerEpoch;
}

//< ch37 entry-batches

void ProducerStateEntry::update(const ProducerStateEntry& next) {
    maybeUpdateProducerEpoch(next.producerEpoch_);
    for (const auto& batch : next.batches_) addBatchMetadata(batch);
    coordinatorEpoch_ = next.coordinatorEpoch_;
    lastTimestamp_ = next.lastTimestamp_;
}

//> ch37 find-duplicate
std::optional<BatchMetadata> ProducerStateEntry::findDuplicateBatch(std::int16_t producerEpoch,
                                                                    std::int32_t firstSeq,
                                                                    std::int32_t lastSeq) const {
    if (producerEpoch != producerEpoch_) return std::nullopt;
    const auto found = std::ranges::find_if(batches_, [&](const BatchMetadata& batch) {
        return batch.firstSeq() == firstSeq && batch.lastSeq == lastSeq;
    });
    return found == batches_.end() ? std::nullopt : std::optional(*found);
}
//< ch37 find-duplicate

}  // namespace kafka::log
