//@ ch37
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "kafka/log/BatchMetadata.h"

namespace kafka::log {

/// One producer as a partition's leader knows it (Kafka's ProducerStateEntry): its epoch and
/// the last five batches it appended, newest last. Five because the idempotent producer has at
/// most five requests in flight per connection (chapter 36): any batch it may retry is here.
class ProducerStateEntry {
public:
    static constexpr std::size_t kNumBatchesToRetain = 5;
    static constexpr std::int16_t kNoProducerEpoch = -1;
    static constexpr std::int32_t kNoSequence = -1;

    /// A producer the partition has not seen (or has forgotten): no epoch, no batch.
    static ProducerStateEntry empty(std::int64_t producerId) {
        return ProducerStateEntry(producerId);
    }

    explicit ProducerStateEntry(std::int64_t producerId,
                                std::int16_t producerEpoch = kNoProducerEpoch,
                                std::int32_t coordinatorEpoch = -1, std::int64_t lastTimestamp = -1,
                                std::optional<BatchMetadata> firstBatch = std::nullopt);

    std::int64_t producerId() const { return producerId_; }
    std::int16_t producerEpoch() const { return producerEpoch_; }
    std::int32_t coordinatorEpoch() const { return coordinatorEpoch_; }
    std::int64_t lastTimestamp() const { return lastTimestamp_; }
    const std::deque<BatchMetadata>& batchMetadata() const { return batches_; }
    bool isEmpty() const { return batches_.empty(); }
    std::int32_t firstSeq() const { return isEmpty() ? kNoSequence : batches_.front().firstSeq(); }
    std::int32_t lastSeq() const { return isEmpty() ? kNoSequence : batches_.back().lastSeq; }
    std::int64_t lastDataOffset() const { return isEmpty() ? -1 : batches_.back().lastOffset; }
    std::int32_t lastOffsetDelta() const { return isEmpty() ? 0 : batches_.back().offsetDelta; }

    /// Remembers a batch, forgetting the oldest beyond five. A new epoch forgets them all.
    void addBatch(std::int16_t producerEpoch, std::int32_t lastSeq, std::int64_t lastOffset,
                  std::int32_t offsetDelta, std::int64_t timestamp);
    /// Moves to `producerEpoch`; the batches of an older epoch are of no use any more.
    void maybeUpdateProducerEpoch(std::int16_t producerEpoch);
    /// Takes over what `next` (an entry built while validating an append) learned.
    void update(const ProducerStateEntry& next);

    /// The remembered batch with exactly this epoch and sequence range, if any: a retry of a
    /// batch already appended.
    std::optional<BatchMetadata> findDuplicateBatch(std::int16_t producerEpoch,
                                                    std::int32_t firstSeq,
                                                    std::int32_t lastSeq) const;

private:
    void addBatchMetadata(const BatchMetadata& batch);

    std::int64_t producerId_;
    std::int16_t producerEpoch_;
    std::int32_t coordinatorEpoch_;
    std::int64_t lastTimestamp_;
    std::deque<BatchMetadata> batches_;
};

}  // namespace kafka::log
