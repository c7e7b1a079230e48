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
    const auto batches = MemoryRecords::readableRecords(records).batches();
    if (batches.size() != 1)
        throw common::errors::InvalidRecordException(
            "Produce requests with version 3 and up must carry exactly one record batch per "
            "partition; " +
            topicPartition_.toString() + " got " + std::to_string(batches.size()));
    const DefaultRecordBatch& batch = batches.front();
    batch.ensureValid();  // the CRC
    // The batch's offset deltas must be 0, 1, ... count-1: they become the log's offsets.
    if (batch.recordsCount() < 1 || batch.lastOffsetDelta() != batch.recordsCount() - 1)
        throw common::errors::InvalidRecordException(
            "A batch for " + topicPartition_.toString() + " has " +
            std::to_string(batch.recordsCount()) + " records and last offset delta " +
            std::to_string(batch.lastOffsetDelta()));
    if (batch.compressionType() == 0) {
        std::int64_t expected = batch.baseOffset();
        for (const auto& record : batch.records())  // every record parses, the count agrees
            if (record.offset() != expected++)
                throw common::errors::InvalidRecordException("The record offsets of a batch for " +
                                                             topicPartition_.toString() +
                                                             " are not consecutive");
    }

    // The producer sent base offset 0; the broker gives the batch its place in the log. The
    // CRC starts at the attributes, after the base offset, so it stays valid.
    common::utils::Bytes stored(batch.bytes().begin(), batch.bytes().end());
    std::scoped_lock lock(mutex_);
    const std::int64_t firstOffset = logEndOffset_;
    writeInt64(stored.data() + DefaultRecordBatch::kBaseOffsetOffset, firstOffset);
    const std::int64_t lastOffset = firstOffset + batch.lastOffsetDelta();
    batches_.push_back({firstOffset, lastOffset, batch.maxTimestamp(), std::move(stored)});
    logEndOffset_ = lastOffset + 1;
    return {firstOffset, lastOffset};
}
//< ch30 log-append

//> ch30 log-read
Log::FetchInfo Log::read(std::int64_t offset, std::int32_t maxBytes) const {
    std::scoped_lock lock(mutex_);
    if (offset < logStartOffset() || offset > logEndOffset_)
        throw common::errors::OffsetOutOfRangeException(
            "Offset " + std::to_string(offset) + " is out of range for " +
            topicPartition_.toString() + ", which holds [" + std::to_string(logStartOffset()) +
            ", " + std::to_string(logEndOffset_) + ")");
    FetchInfo info;
    info.highWatermark = logEndOffset_;
    info.logStartOffset = logStartOffset();
    auto it =
        std::partition_point(batches_.begin(), batches_.end(),
                             [offset](const StoredBatch& b) { return b.lastOffset < offset; });
    for (; it != batches_.end(); ++it) {
        const bool first = info.records.empty();
        if (!first && info.records.size() + it->bytes.size() > static_cast<std::size_t>(maxBytes))
            break;
        info.records.insert(info.records.end(), it->bytes.begin(), it->bytes.end());
    }
    return info;
}
//< ch30 log-read

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
