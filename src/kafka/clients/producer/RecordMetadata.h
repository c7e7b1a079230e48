//@ ch01
#pragma once

#include <cstdint>

#include "kafka/common/TopicPartition.h"

namespace kafka::clients::producer {

/// What the broker told us about a record it stored: where (topic, partition, offset) and
/// when (timestamp). A record travels inside a batch, and the broker answers with the offset
/// of the batch's first record; a record's own offset is that base plus its index in the
/// batch (chapter 21). With acks=0 nobody answers, so the offset stays unknown (-1).
class RecordMetadata {
public:
    static constexpr std::int64_t kUnknownOffset = -1;
    static constexpr std::int64_t kNoTimestamp = -1;
    static constexpr std::int32_t kUnknownSize = -1;

    //> ch01 offset
    RecordMetadata(common::TopicPartition topicPartition, std::int64_t baseOffset,
                   std::int32_t batchIndex, std::int64_t timestamp, std::int32_t serializedKeySize,
                   std::int32_t serializedValueSize)
        : topicPartition_(std::move(topicPartition)),
          offset_(baseOffset == kUnknownOffset ? kUnknownOffset : baseOffset + batchIndex),
          timestamp_(timestamp),
          serializedKeySize_(serializedKeySize),
          serializedValueSize_(serializedValueSize) {}
    //< ch01 offset

    const std::string& topic() const { return topicPartition_.topic; }
    std::int32_t partition() const { return topicPartition_.partition; }
    std::int64_t offset() const { return offset_; }
    bool hasOffset() const { return offset_ != kUnknownOffset; }
    std::int64_t timestamp() const { return timestamp_; }
    bool hasTimestamp() const { return timestamp_ != kNoTimestamp; }
    /// Bytes of the serialized key (-1 for a null key).
    std::int32_t serializedKeySize() const { return serializedKeySize_; }
    /// Bytes of the serialized value (-1 for a null value).
    std::int32_t serializedValueSize() const { return serializedValueSize_; }

private:
    common::TopicPartition topicPartition_;
    std::int64_t offset_;
    std::int64_t timestamp_;
    std::int32_t serializedKeySize_;
    std::int32_t serializedValueSize_;
};

}  // namespace kafka::clients::producer
