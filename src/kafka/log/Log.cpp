//@ ch30
#include "kafka/log/Log.h"

#include <algorithm>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecords.h"

namespace kafka::log {

using common::record::DefaultRecordBatch;
using common::record::MemoryRecords;

namespace {

void writeInt64(std::uint8_t* at, std::int64_t value) {
    const auto bits = static_cast<std::uint64_t>(value);
    for (int i = 0; i < 8; ++i) at[i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
}

}  // namespace

//> ch30 log-append
Log::AppendInfo Log::append(std::span<const std::uint8_t> records) {
    // Kafka checks the magic before anything else (ProduceRequest.validateRecords): a v0 or
    // v1 message set is a client too old for this request, not a corrupt batch.
    if (records.size() > DefaultRecordBatch::kMagicOffset &&
        static_cast<std::int8_t>(records[DefaultRecordBatch::kMagicOffset]) !=
            DefaultRecordBatch::kMagic)
        throw common::errors::InvalidRecordException(
            "Produce requests with version 3 and up may only carry record batches with magic 2; " +
            topicPartition_.toString() + " got magic " +
            std::to_string(records[DefaultRecordBatch::kMagicOffset]));
    const auto batches = MemoryRecords::readableRecords(records).batches();
    if (batches.size() != 1)
        throw common::errors::InvalidRecordException(
            "Produce requests with version 3 and up must carry exactly one record batch per "
            "partition; " +
            topicPartition_.toString() + " got " + std::to_string(batches.size()));
    const DefaultRecordBatch& batch = batches.front();
    validate(batch);

    // The producer sent base offset 0; the broker gives the batch its place in the log. The
    // CRC starts at the attributes, after the base offset, so it stays valid.
    common::utils::Bytes stored(batch.bytes().begin(), batch.bytes().end());
    std::scoped_lock lock(mutex_);
    const std::int64_t firstOffset = logEndOffset_;
    writeInt64(stored.data() + DefaultRecordBatch::kBaseOffsetOffset, firstOffset);
    const std::int64_t lastOffset = firstOffset + batch.lastOffsetDelta();
    const auto size = static_cast<std::int64_t>(stored.size());
    batches_.push_back(
        {firstOffset, lastOffset, batch.maxTimestamp(), logEndPosition_, std::move(stored)});
    logEndOffset_ = lastOffset + 1;
    logEndPosition_ += size;
    return {firstOffset, lastOffset};
}

// What Kafka's LogValidator and UnifiedLog.analyzeAndValidateRecords check of a client's batch.
void Log::validate(const DefaultRecordBatch& batch) const {
    const auto where = " for " + topicPartition_.toString();
    batch.ensureValid();  // the CRC
    if (batch.bytes().size() > static_cast<std::size_t>(config_.maxMessageBytes))
        throw common::errors::RecordTooLargeException(
            "The record batch size in the append to " + topicPartition_.toString() + " is " +
            std::to_string(batch.bytes().size()) +
            " bytes, which exceeds the maximum configured value of " +
            std::to_string(config_.maxMessageBytes) + " (message.max.bytes)");
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

//> ch30 log-read
Log::FetchInfo Log::read(std::int64_t offset, std::int32_t maxBytes, bool minOneMessage) const {
    if (maxBytes < 0)
        throw common::errors::IllegalArgumentException(
            "Invalid max size " + std::to_string(maxBytes) + " for a read from " +
            topicPartition_.toString());
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
            topicPartition_.toString() + ", which holds [" + std::to_string(logStartOffset()) +
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
