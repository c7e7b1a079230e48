//@ ch36
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>

#include "kafka/clients/producer/internals/ProducerBatch.h"
#include "kafka/common/TopicPartition.h"
#include "kafka/common/utils/ProducerIdAndEpoch.h"

namespace kafka::clients::producer::internals {

/// What the idempotent producer knows about one partition (Kafka's TxnPartitionEntry): the
/// producer id and epoch its sequences belong to, the sequence the next batch gets, the last
/// sequence the broker acknowledged, and the batches in flight, ordered by sequence, so that
/// order holds even when answers come back out of order. I/O thread only.
class TxnPartitionEntry {
public:
    static constexpr std::int32_t kNoLastAckedSequenceNumber = -1;

    explicit TxnPartitionEntry(common::TopicPartition topicPartition)
        : topicPartition_(std::move(topicPartition)) {}

    const common::utils::ProducerIdAndEpoch& producerIdAndEpoch() const {
        return producerIdAndEpoch_;
    }
    std::int32_t nextSequence() const { return nextSequence_; }
    std::optional<std::int32_t> lastAckedSequence() const;
    std::optional<std::int64_t> lastAckedOffset() const;

    bool hasInflightBatches() const { return !inflightBatchesBySequence_.empty(); }
    /// The batch in flight with the lowest sequence, or null.
    std::shared_ptr<ProducerBatch> nextBatchBySequence() const;

    void incrementSequence(int increment);
    void addInflightBatch(const std::shared_ptr<ProducerBatch>& batch);
    void removeInFlightBatch(const std::shared_ptr<ProducerBatch>& batch);
    void setLastAckedOffset(std::int64_t offset) { lastAckedOffset_ = offset; }
    /// Keeps the highest acknowledged sequence; returns it.
    std::int32_t maybeUpdateLastAckedSequence(std::int32_t sequence);

    /// After an epoch bump: the batches in flight are numbered again from 0 under the new
    /// producer id and epoch, in their order, and the next batch follows them.
    void startSequencesAtBeginning(const common::utils::ProducerIdAndEpoch& producerIdAndEpoch);

private:
    // Ordered as Kafka orders them: producer id, then epoch, then base sequence. A batch of an
    // old epoch and one of the new may share a base sequence for a moment.
    struct BySequence {
        bool operator()(const std::shared_ptr<ProducerBatch>& a,
                        const std::shared_ptr<ProducerBatch>& b) const;
    };

    common::TopicPartition topicPartition_;
    common::utils::ProducerIdAndEpoch producerIdAndEpoch_;
    std::int32_t nextSequence_ = 0;
    std::int32_t lastAckedSequence_ = kNoLastAckedSequenceNumber;
    std::int64_t lastAckedOffset_ = -1;  // ProduceResponse.INVALID_OFFSET
    std::set<std::shared_ptr<ProducerBatch>, BySequence> inflightBatchesBySequence_;
};

}  // namespace kafka::clients::producer::internals
