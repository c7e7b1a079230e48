//@ ch37
#pragma once

#include <cstdint>

#include "kafka/common/TopicPartition.h"
#include "kafka/log/ProducerStateEntry.h"

namespace kafka::log {

/// Where an append comes from, which decides how much is checked (Kafka's AppendOrigin): a
/// client's batches have their sequences checked; batches read back from the log at start-up
/// were checked when they were first appended, and only rebuild the state.
enum class AppendOrigin { kClient, kReplication };

/// One producer's batches being appended to a partition, checked against what the partition
/// knows of the producer (Kafka's ProducerAppendInfo). Checking throws before anything is
/// written; the producer's entry changes only when the append is done (ProducerStateManager's
/// update).
class ProducerAppendInfo {
public:
    ProducerAppendInfo(common::TopicPartition topicPartition, std::int64_t producerId,
                       ProducerStateEntry currentEntry, AppendOrigin origin);

    std::int64_t producerId() const { return producerId_; }

    /// Checks the batch's epoch and first sequence (throws InvalidProducerEpochException or
    /// OutOfOrderSequenceException) and records it.
    void appendDataBatch(std::int16_t epoch, std::int32_t firstSeq, std::int32_t lastSeq,
                         std::int64_t lastTimestamp, std::int64_t firstOffset,
                         std::int64_t lastOffset);

    /// What the producer's entry becomes once the append is done.
    const ProducerStateEntry& toEntry() const { return updatedEntry_; }

private:
    void checkProducerEpoch(std::int16_t producerEpoch, std::int64_t offset) const;
    void checkSequence(std::int16_t producerEpoch, std::int32_t appendFirstSeq,
                       std::int64_t offset) const;
    static bool inSequence(std::int32_t lastSeq, std::int32_t nextSeq);

    common::TopicPartition topicPartition_;
    std::int64_t producerId_;
    ProducerStateEntry currentEntry_;
    AppendOrigin origin_;
    ProducerStateEntry updatedEntry_;
};

}  // namespace kafka::log
