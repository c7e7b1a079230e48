//@ ch04
#pragma once

#include <cstdint>
#include <exception>
#include <future>
#include <optional>
#include <vector>

#include "kafka/clients/producer/Callback.h"
#include "kafka/clients/producer/RecordMetadata.h"
#include "kafka/common/TopicPartition.h"
#include "kafka/common/header/Header.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::clients::producer::internals {

/// Records for one partition that travel to the broker together, and the promises made to
/// their senders. Each record's future and callback complete exactly once, when the whole
/// batch is acknowledged or fails (done()).
///
/// In this stage a batch keeps its records as they came and only counts their encoded size
/// against batch.size; chapter 7 writes them into a real record batch v2 buffer.
class ProducerBatch {
public:
    /// One record as the batch keeps it until chapter 7 encodes it.
    struct Record {
        std::int64_t timestamp;
        std::optional<common::utils::Bytes> key;
        std::optional<common::utils::Bytes> value;
        common::header::Headers headers;
    };

    ProducerBatch(common::TopicPartition topicPartition, std::int32_t batchSizeLimit,
                  std::int64_t createdMs);

    /// Adds the record if it fits, and returns its future; returns nothing when the batch is
    /// full. A batch's first record always fits, however large: it then travels alone.
    std::optional<RecordMetadataFuture> tryAppend(std::int64_t timestamp,
                                                  std::optional<common::utils::Bytes> key,
                                                  std::optional<common::utils::Bytes> value,
                                                  common::header::Headers headers,
                                                  Callback callback, std::int64_t nowMs);

    /// Completes every record's future and callback, in order: with base offset + index on
    /// success, with `error` otherwise. A second call does nothing: nothing completes twice.
    /// Returns false when the batch was already done.
    bool done(std::int64_t baseOffset, std::int64_t logAppendTime, std::exception_ptr error);

    const common::TopicPartition& topicPartition() const { return topicPartition_; }
    int recordCount() const { return static_cast<int>(records_.size()); }
    int estimatedSizeInBytes() const { return estimatedSizeInBytes_; }
    bool isFull() const { return full_; }
    std::int64_t createdMs() const { return createdMs_; }
    std::int64_t lastAppendTime() const { return lastAppendTime_; }
    const std::vector<Record>& records() const { return records_; }

private:
    // What a sender was promised: its future, and its callback if it gave one.
    struct Thunk {
        std::promise<RecordMetadata> promise;
        Callback callback;
        std::int32_t serializedKeySize;
        std::int32_t serializedValueSize;
    };

    common::TopicPartition topicPartition_;
    std::int32_t batchSizeLimit_;
    std::int64_t createdMs_;
    std::int64_t lastAppendTime_;
    int estimatedSizeInBytes_;
    bool full_ = false;
    bool done_ = false;
    std::vector<Record> records_;
    std::vector<Thunk> thunks_;
};

}  // namespace kafka::clients::producer::internals
