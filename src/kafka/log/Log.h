//@ ch30
#pragma once

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/utils/Bytes.h"
//> ch31
#include "kafka/common/utils/Time.h"
//< ch31
#include "kafka/log/LogAppendInfo.h"
#include "kafka/log/LogConfig.h"

namespace kafka::common::record {
class DefaultRecordBatch;
}

namespace kafka::log {

/// One partition's log, kept in memory (the part of Kafka's Log, today UnifiedLog, that the
/// front end needs): record batches exactly as producers sent them, each given its offsets
/// when it is appended. Kafka writes the same bytes to segment files and finds them again
/// through an offset index; here a sorted vector plays both parts. Thread-safe: handler
/// threads append and read concurrently.
class Log {
public:
    /// What a log is made of; each chapter of the log adds what it needs.
    struct Settings {
        common::TopicPartition topicPartition;
        LogConfig config{};
        //> ch31
        /// The broker's clock: LogAppendTime and the bounds of CreateTime read it.
        std::shared_ptr<common::utils::Time> time = common::utils::Time::system();
        //< ch31
    };

    /// What a read found: whole batches from the one holding the offset asked for, and the
    /// high watermark (here the log end offset: with one replica, every record is committed).
    struct FetchInfo {
        common::utils::Bytes records;
        std::int64_t highWatermark = 0;
        std::int64_t logStartOffset = 0;
    };

    explicit Log(Settings settings) : settings_(std::move(settings)) {}

    const common::TopicPartition& topicPartition() const { return settings_.topicPartition; }
    const LogConfig& config() const { return settings_.config; }

    /// Validates one Produce v3+ partition's records, as Kafka's LogValidator does (one
    /// batch, magic 2, its CRC, no larger than max.message.bytes, not a control batch, not
    /// compressed until the broker can read compressed batches, and every record), then
    /// stamps the batch's base offset and appends it. Throws the ApiException whose error
    /// the producer gets (InvalidRecordException, CorruptRecordException,
    /// RecordTooLargeException, UnsupportedCompressionTypeException), and then appends
    /// nothing.
    LogAppendInfo append(std::span<const std::uint8_t> records);

    /// Batches from the one that holds `offset`, at most `maxBytes` of them. With
    /// `minOneMessage` (the first partition of a fetch to find data) the first batch goes
    /// whole whatever its size (KIP-74), so that a consumer always makes progress. Reading at
    /// the log end offset finds nothing; beyond it throws OffsetOutOfRangeException; a
    /// negative `maxBytes` throws IllegalArgumentException, as Kafka's LogSegment.read does.
    FetchInfo read(std::int64_t offset, std::int32_t maxBytes, bool minOneMessage) const;

    /// How many bytes a read from `offset` would find: from the batch holding it to the end
    /// of the log, by position, without touching a byte (what Kafka's DelayedFetch asks with
    /// LogOffsetMetadata.positionDiff). Throws OffsetOutOfRangeException beyond the end.
    std::int64_t bytesAfter(std::int64_t offset) const;

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
        std::int64_t position;  // bytes before it in the log: a segment file's position
        common::utils::Bytes bytes;
    };

    std::vector<StoredBatch>::const_iterator firstBatchHolding(std::int64_t offset) const;
    void ensureInRange(std::int64_t offset) const;

    void validate(const common::record::DefaultRecordBatch& batch) const;
    //> ch31
    std::int64_t validateTimestamps(const common::record::DefaultRecordBatch& batch,
                                    std::int64_t now) const;
    //< ch31

    const Settings settings_;
    mutable std::mutex mutex_;
    std::vector<StoredBatch> batches_;  // by offset
    std::int64_t logEndOffset_ = 0;
    std::int64_t logEndPosition_ = 0;  // the bytes of every batch
};

}  // namespace kafka::log
