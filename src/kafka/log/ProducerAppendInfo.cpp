//@ ch37
#include "kafka/log/ProducerAppendInfo.h"

#include <string>

#include "kafka/common/errors/ApiExceptions.h"

namespace kafka::log {

ProducerAppendInfo::ProducerAppendInfo(common::TopicPartition topicPartition,
                                       std::int64_t producerId, ProducerStateEntry currentEntry,
                                       AppendOrigin origin)
    : topicPartition_(std::move(topicPartition)),
      producerId_(producerId),
      currentEntry_(std::move(currentEntry)),
      origin_(origin),
      // The same producer, epoch and timestamps, and no batch yet: the ones appended now.
      updatedEntry_(producerId, currentEntry_.producerEpoch(), currentEntry_.coordinatorEpoch(),
                    currentEntry_.lastTimestamp()) {}

//> ch37 check-epoch-and-sequence
void ProducerAppendInfo::checkProducerEpoch(std::int16_t producerEpoch, std::int64_t offset) const {
    // An older epoch is a producer that has been replaced (or a copy from before a bump).
    if (producerEpoch >= updatedEntry_.producerEpoch()) return;
    const std::string message = "Epoch of producer " + std::to_string(producerId_) + " at offset " +
                                std::to_string(offset) + " in " + topicPartition_.toString() +
                                " is " + std::to_string(producerEpoch) +
                                ", which is smaller than the last seen epoch " +
                                std::to_string(updatedEntry_.producerEpoch());
    if (origin_ == AppendOrigin::kClient)
        throw common::errors::InvalidProducerEpochException(message);
}

void ProducerAppendInfo::checkSequence(std::int16_t producerEpoch, std::int32_t appendFirstSeq,
                                       std::int64_t offset) const {
    // Only a refusal needs words: built when thrown, not for every batch.
    const auto where = [&] {
        return "producer " + std::to_string(producerId_) + " at offset " + std::to_string(offset) +
               " in " + topicPartition_.toString();
    };
    if (producerEpoch != updatedEntry_.producerEpoch()) {
        // A new epoch starts its sequences at 0; a producer the partition does not know may
        // start anywhere (its earlier batches may have been deleted by retention).
        if (appendFirstSeq != 0 &&
            updatedEntry_.producerEpoch() != ProducerStateEntry::kNoProducerEpoch)
            throw common::errors::OutOfOrderSequenceException(
                "Invalid sequence number for new epoch of " + where() + ": " +
                std::to_string(producerEpoch) + " (request epoch), " +
                std::to_string(appendFirstSeq) + " (seq. number), " +
                std::to_string(updatedEntry_.producerEpoch()) + " (current producer epoch)");
        return;
    }
    std::int32_t currentLastSeq = ProducerStateEntry::kNoSequence;
    if (!updatedEntry_.isEmpty())
        currentLastSeq = updatedEntry_.lastSeq();
    else if (producerEpoch == currentEntry_.producerEpoch())
        currentLastSeq = currentEntry_.lastSeq();
    // The same epoch: the batch must start right after the last one appended.
    if (currentEntry_.producerEpoch() != ProducerStateEntry::kNoProducerEpoch &&
        !inSequence(currentLastSeq, appendFirstSeq))
        throw common::errors::OutOfOrderSequenceException(
            "Out of order sequence number for " + where() + ": " + std::to_string(appendFirstSeq) +
            " (incoming seq. number), " + std::to_string(currentLastSeq) +
            " (current end sequence number)");
}

bool ProducerAppendInfo::inSequence(std::int32_t lastSeq, std::int32_t nextSeq) {
    return std::int64_t{nextSeq} == std::int64_t{lastSeq} + 1 ||
           (nextSeq == 0 && lastSeq == INT32_MAX);
}
//< ch37 check-epoch-and-sequence

void ProducerAppendInfo::appendDataBatch(std::int16_t epoch, std::int32_t firstSeq,
                                         std::int32_t lastSeq, std::int64_t lastTimestamp,
                                         std::int64_t firstOffset, std::int64_t lastOffset) {
    checkProducerEpoch(epoch, firstOffset);
    if (origin_ == AppendOrigin::kClient) checkSequence(epoch, firstSeq, firstOffset);
    updatedEntry_.addBatch(epoch, lastSeq, lastOffset,
                           static_cast<std::int32_t>(lastOffset - firstOffset), lastTimestamp);
}

}  // namespace kafka::log
