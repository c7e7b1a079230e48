//@ ch30
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::log {

/// One partition's log, kept in memory (the part of Kafka's Log, today UnifiedLog, that the
/// front end needs): record batches exactly as producers sent them, each given its offsets
/// when it is appended. Kafka writes the same bytes to segment files and finds them again
/// through an offset index; here a sorted vector plays both parts. Thread-safe: handler
/// threads append and read concurrently.
class Log {
public:
    /// What an append did: the offsets of the batch's first and last record.
    struct AppendInfo {
        std::int64_t firstOffset = -1;
        std::int64_t lastOffset = -1;
    };

    /// What a read found: whole batches from the one holding the offset asked for, and the
    /// high watermark (here the log end offset: with one replica, every record is committed).
    struct FetchInfo {
        common::utils::Bytes records;
        std::int64_t highWatermark = 0;
        std::int64_t logStartOffset = 0;
    };

    explicit Log(common::TopicPartition topicPartition)
        : topicPartition_(std::move(topicPartition)) {}

    const common::TopicPartition& topicPartition() const { return topicPartition_; }

    /// Validates one Produce v3+ partition's records, as Kafka's LogValidator does (exactly
    /// one batch, magic 2, its CRC, its records when uncompressed), then stamps the batch's
    /// base offset and appends it. Throws InvalidRecordException or CorruptRecordException,
    /// and then appends nothing.
    AppendInfo append(std::span<const std::uint8_t> records);

    /// Batches from the one that holds `offset`, at most `maxBytes` of them, except that the
    /// first goes whole whatever its size (KIP-74), so a consumer always makes progress.
    /// Reading at the log end offset finds nothing; beyond it throws OffsetOutOfRangeException.
    FetchInfo read(std::int64_t offset, std::int32_t maxBytes) const;

    /// The offset of the first record whose timestamp is at least `timestamp`, with that
    /// timestamp, or {-1, -1} if there is none (ListOffsets with a timestamp).
    std::pair<std::int64_t, std::int64_t> offsetForTimestamp(std::int64_t timestamp) const;

    std::int64_t logStartOffset() const { return 0; }  // nothing is ever deleted
    std::int64_t logEndOffset() const;

private:
    struct StoredBatch {
        std::int64_t baseOffset;
        std::int64_t lastOffset;
        std::int64_t maxTimestamp;
        common::utils::Bytes bytes;
    };

    const common::TopicPartition topicPartition_;
    mutable std::mutex mutex_;
    std::vector<StoredBatch> batches_;  // by offset
    std::int64_t logEndOffset_ = 0;
};

}  // namespace kafka::log
