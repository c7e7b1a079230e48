//@ ch30
#include "kafka/log/Log.h"

#include <algorithm>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecords.h"
//> ch31
#include "kafka/log/RecordValidationException.h"
//< ch31

namespace kafka::log {

using common::record::DefaultRecordBatch;
using common::record::MemoryRecords;

//> ch30 log-append
LogAppendInfo Log::append(std::span<const std::uint8_t> records) {
    // Kafka checks the magic before anything else (ProduceRequest.validateRecords): a v0 or
    // v1 message set is a client too old for this request, not a corrupt batch.
    if (records.size() > DefaultRecordBatch::kMagicOffset &&
        static_cast<std::int8_t>(records[DefaultRecordBatch::kMagicOffset]) !=
            DefaultRecordBatch::kMagic)
        throw common::errors::InvalidRecordException(
            "Produce requests with version 3 and up may only carry record batches with magic 2; " +
            topicPartition().toString() + " got magic " +
            std::to_string(records[DefaultRecordBatch::kMagicOffset]));
    const auto batches = MemoryRecords::readableRecords(records).batches();
    if (batches.size() != 1)
        throw common::errors::InvalidRecordException(
            "Produce requests with version 3 and up must carry exactly one record batch per "
            "partition; " +
            topicPartition().toString() + " got " + std::to_string(batches.size()));
    const DefaultRecordBatch& batch = batches.front();
    validate(batch);
    std::int64_t maxTimestamp = batch.maxTimestamp();
    //> ch31 append-timestamps
    const std::int64_t now = settings_.time->milliseconds();
    maxTimestamp = validateTimestamps(batch, now);
    const bool logAppendTime =
        config().messageTimestampType == common::record::TimestampType::kLogAppendTime;
    if (logAppendTime) maxTimestamp = now;
    //< ch31 append-timestamps

    common::utils::Bytes stored(batch.bytes().begin(), batch.bytes().end());
    //> ch31 stamp-batch
    // The leader's epoch goes into every batch (followers and consumers check it against their
    // own): 0 here, where one broker has led the partition since it was created. The batch
    // says whose clock its timestamps are, and its max timestamp becomes the broker's with
    // LogAppendTime; those fields are inside the CRC, which is computed again.
    DefaultRecordBatch::setPartitionLeaderEpoch(stored, 0);
    DefaultRecordBatch::setMaxTimestamp(stored, config().messageTimestampType, maxTimestamp);
    //< ch31 stamp-batch
    std::scoped_lock lock(mutex_);
    LogAppendInfo info;
    info.firstOffset = logEndOffset_;
    info.lastOffset = info.firstOffset + batch.lastOffsetDelta();
    // The producer sent base offset 0; the broker gives the batch its place in the log. The
    // CRC starts at the attributes, after the base offset, so it stays valid.
    DefaultRecordBatch::setBaseOffset(stored, info.firstOffset);
    //> ch31 append-info
    info.maxTimestamp = maxTimestamp;
    info.logAppendTime = logAppendTime ? now : -1;
    info.logStartOffset = logStartOffset();
    info.recordCount = batch.recordsCount();
    info.validBytes = batch.sizeInBytes();
    //< ch31 append-info
    const auto size = static_cast<std::int64_t>(stored.size());
    batches_.push_back(
        {info.firstOffset, info.lastOffset, maxTimestamp, logEndPosition_, std::move(stored)});
    logEndOffset_ = info.lastOffset + 1;
    logEndPosition_ += size;
    return info;
}

// What Kafka's LogValidator and UnifiedLog.analyzeAndValidateRecords check of a client's batch.
void Log::validate(const DefaultRecordBatch& batch) const {
    const auto where = " for " + topicPartition().toString();
    batch.ensureValid();  // the CRC
    if (batch.bytes().size() > static_cast<std::size_t>(config().maxMessageBytes))
        throw common::errors::RecordTooLargeException(
            "The record batch size in the append to " + topicPartition().toString() + " is " +
            std::to_string(batch.bytes().size()) +
            " bytes, which exceeds the maximum configured value of " +
            std::to_string(config().maxMessageBytes) + " (message.max.bytes)");
    // Control records (transaction markers) are written by the broker's coordinators alone.
    if (batch.isControlBatch())
        throw common::errors::InvalidRecordException("Clients may not write control records" +
                                                     where);
    if (batch.compressionType() > 4)
        throw common::errors::UnsupportedCompressionTypeException(
            "Unknown compression codec " + std::to_string(batch.compressionType()) + where);
    // A compressed batch's records cannot be checked before the compression chapters: and a
    // batch that claims a million records would move the log end a million offsets.
    if (batch.compressionType() != 0)
        throw common::errors::UnsupportedCompressionTypeException(
            "This broker does not read compressed batches yet, and stores only what it "
            "validated" +
            where);
    // The batch's offset deltas must be 0, 1, ... count-1: they become the log's offsets.
    if (batch.recordsCount() < 1 || batch.lastOffsetDelta() != batch.recordsCount() - 1)
        throw common::errors::InvalidRecordException(
            "A batch" + where + " has " + std::to_string(batch.recordsCount()) +
            " records and last offset delta " + std::to_string(batch.lastOffsetDelta()));
    std::int64_t expected = batch.baseOffset();
    for (const auto& record : batch.records())  // every record parses, the count agrees
        if (record.offset() != expected++)
            throw common::errors::InvalidRecordException("The record offsets of a batch" + where +
                                                         " are not consecutive");
}
//< ch30 log-append

//> ch31 validate-timestamps
namespace {

// Whether `timestamp` lies further from `now` than the bounds allow. Both differences are taken
// in unsigned arithmetic, where they cannot overflow for any pair of 64-bit times.
bool outOfBounds(std::int64_t timestamp, std::int64_t now, const LogConfig& config) {
    const auto behind = static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(timestamp);
    const auto ahead = static_cast<std::uint64_t>(timestamp) - static_cast<std::uint64_t>(now);
    return timestamp < now ? behind > static_cast<std::uint64_t>(config.messageTimestampBeforeMaxMs)
                           : ahead > static_cast<std::uint64_t>(config.messageTimestampAfterMaxMs);
}

}  // namespace

// What Kafka's LogValidator checks of every record's timestamp. With CreateTime, a timestamp
// must lie within the topic's bounds around the broker's clock (-1, "no timestamp", is let
// through); a producer may not claim LogAppendTime, the broker's to give. One bad record
// refuses the whole batch, and the response names each record at fault by its index. Returns
// the largest timestamp, the batch's max timestamp as stored with CreateTime.
std::int64_t Log::validateTimestamps(const DefaultRecordBatch& batch, std::int64_t now) const {
    using common::record::TimestampType;
    const LogConfig& config = this->config();
    std::vector<RecordValidationException::RecordError> errors;
    std::int64_t maxTimestamp = -1;
    std::int32_t index = 0;
    for (const auto& record : batch.records()) {
        const std::int64_t timestamp = record.timestamp();
        if (config.messageTimestampType == TimestampType::kCreateTime && timestamp != -1) {
            if (outOfBounds(timestamp, now, config))
                errors.push_back(
                    {index, "Timestamp " + std::to_string(timestamp) + " of the record at offset " +
                                std::to_string(record.offset()) +
                                " is out of range: it must lie within [" +
                                std::to_string(now - config.messageTimestampBeforeMaxMs) + ", " +
                                std::to_string(common::utils::Time::deadlineMs(
                                    now, config.messageTimestampAfterMaxMs)) +
                                "]"});
        } else if (batch.isLogAppendTime()) {
            errors.push_back({index,
                              "The producer set the timestamp type to LogAppendTime, "
                              "which only the broker may set"});
        }
        maxTimestamp = std::max(maxTimestamp, timestamp);
        ++index;
    }
    if (!errors.empty())
        throw RecordValidationException(common::protocol::Errors::kInvalidTimestamp,
                                        "One or more records of the batch for " +
                                            topicPartition().toString() +
                                            " have been refused for their timestamp",
                                        std::move(errors));
    return maxTimestamp;
}
//< ch31 validate-timestamps

//> ch30 log-read
Log::FetchInfo Log::read(std::int64_t offset, std::int32_t maxBytes, bool minOneMessage) const {
    if (maxBytes < 0)
        throw common::errors::IllegalArgumentException(
            "Invalid max size " + std::to_string(maxBytes) + " for a read from " +
            topicPartition().toString());
    std::scoped_lock lock(mutex_);
    ensureInRange(offset);
    FetchInfo info;
    info.highWatermark = logEndOffset_;
    info.logStartOffset = logStartOffset();
    // Sizes in 64 bits: a log can hold more than 2 GiB.
    const auto limit = static_cast<std::uint64_t>(maxBytes);
    const auto from = firstBatchHolding(offset);
    auto to = from;
    std::uint64_t size = 0;
    for (; to != batches_.end(); ++to) {
        const bool whole = minOneMessage && to == from;
        if (!whole && size + to->bytes.size() > limit) break;
        size += to->bytes.size();
    }
    info.records.reserve(size);
    for (auto it = from; it != to; ++it)
        info.records.insert(info.records.end(), it->bytes.begin(), it->bytes.end());
    return info;
}
//< ch30 log-read

std::int64_t Log::bytesAfter(std::int64_t offset) const {
    std::scoped_lock lock(mutex_);
    ensureInRange(offset);
    const auto batch = firstBatchHolding(offset);
    return batch == batches_.end() ? 0 : logEndPosition_ - batch->position;
}

void Log::ensureInRange(std::int64_t offset) const {
    if (offset < logStartOffset() || offset > logEndOffset_)
        throw common::errors::OffsetOutOfRangeException(
            "Offset " + std::to_string(offset) + " is out of range for " +
            topicPartition().toString() + ", which holds [" + std::to_string(logStartOffset()) +
            ", " + std::to_string(logEndOffset_) + ")");
}

// The batch whose offsets reach `offset`, found by binary search (Kafka's offset index).
std::vector<Log::StoredBatch>::const_iterator Log::firstBatchHolding(std::int64_t offset) const {
    return std::partition_point(batches_.begin(), batches_.end(),
                                [offset](const StoredBatch& b) { return b.lastOffset < offset; });
}

std::pair<std::int64_t, std::int64_t> Log::offsetForTimestamp(std::int64_t timestamp) const {
    std::scoped_lock lock(mutex_);
    for (const auto& stored : batches_) {
        if (stored.maxTimestamp < timestamp) continue;
        const DefaultRecordBatch batch(stored.bytes);
        if (batch.compressionType() != 0) return {stored.baseOffset, stored.maxTimestamp};
        for (const auto& record : batch.records())  // offsets as stored: the broker's
            if (record.timestamp() >= timestamp) return {record.offset(), record.timestamp()};
    }
    return {-1, -1};
}

std::int64_t Log::logEndOffset() const {
    std::scoped_lock lock(mutex_);
    return logEndOffset_;
}

}  // namespace kafka::log
