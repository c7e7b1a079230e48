//@ ch32
#include "kafka/log/LogSegment.h"

#include <cstdio>
#include <limits>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/DefaultRecordBatch.h"

namespace kafka::log {

using common::record::DefaultRecordBatch;
using common::record::FileRecords;

std::string LogSegment::filenamePrefixFromOffset(std::int64_t offset) {
    char name[21];
    std::snprintf(name, sizeof name, "%020lld", static_cast<long long>(offset));
    return name;
}

std::filesystem::path LogSegment::logFile(const std::filesystem::path& dir,
                                          std::int64_t baseOffset) {
    return dir / (filenamePrefixFromOffset(baseOffset) + ".log");
}

LogSegment::LogSegment(const std::filesystem::path& dir, std::int64_t baseOffset,
                       std::int64_t createdMs)
    : log_(FileRecords::open(logFile(dir, baseOffset))),
      baseOffset_(baseOffset),
      createdMs_(createdMs) {
    // A segment opened again: what it holds says when it started and its largest timestamp.
    for (auto batch = log_.batchAt(0); batch; batch = log_.batchAt(batch->position + batch->size)) {
        if (!rollingBasedTimestamp_) rollingBasedTimestamp_ = batch->maxTimestamp;
        maxTimestampSoFar_ = std::max(maxTimestampSoFar_, batch->maxTimestamp);
    }
}

//> ch32 segment-append
void LogSegment::append(std::int64_t largestOffset, std::int64_t largestTimestamp,
                        std::span<const std::uint8_t> records) {
    if (records.empty()) return;
    // An index entry (chapter 33) keeps an offset as 4 bytes relative to the base offset.
    if (largestOffset - baseOffset_ > std::numeric_limits<std::int32_t>::max() ||
        largestOffset < baseOffset_)
        throw common::errors::IllegalArgumentException("Offset " + std::to_string(largestOffset) +
                                                       " does not fit in the segment starting at " +
                                                       std::to_string(baseOffset_));
    if (log_.sizeInBytes() == 0) rollingBasedTimestamp_ = largestTimestamp;
    log_.append(records);
    maxTimestampSoFar_ = std::max(maxTimestampSoFar_, largestTimestamp);
}
//< ch32 segment-append

//> ch32 segment-roll
bool LogSegment::shouldRoll(const RollParams& params, std::int64_t maxOffsetInMessages) const {
    const bool reachedRollMs =
        timeWaitedForRoll(params.now, params.maxTimestampInMessages) > params.maxSegmentMs;
    const std::int32_t size = this->size();
    return size > params.maxSegmentBytes - params.messagesSize || (size > 0 && reachedRollMs) ||
           maxOffsetInMessages - baseOffset_ > std::numeric_limits<std::int32_t>::max();
}

std::int64_t LogSegment::timeWaitedForRoll(std::int64_t now, std::int64_t messageTimestamp) const {
    if (rollingBasedTimestamp_ && *rollingBasedTimestamp_ >= 0)
        return messageTimestamp - *rollingBasedTimestamp_;
    return now - createdMs_;
}
//< ch32 segment-roll

std::optional<FileRecords::FileBatch> LogSegment::translateOffset(std::int64_t offset) const {
    return log_.searchForOffsetFromPosition(offset, 0);
}

//> ch32 segment-read
std::optional<common::utils::Bytes> LogSegment::read(std::int64_t startOffset, std::int32_t maxSize,
                                                     std::int64_t maxPosition,
                                                     bool minOneMessage) const {
    const auto start = translateOffset(startOffset);
    if (!start || start->position >= maxPosition) return std::nullopt;
    // Whole batches only, from the one holding startOffset: add batch sizes until the next
    // would pass maxSize (the first counts whole with minOneMessage, KIP-74).
    const std::int64_t limit = std::min<std::int64_t>(maxPosition, log_.sizeInBytes());
    std::int64_t end = start->position;
    while (end < limit) {
        const auto next = log_.batchAt(static_cast<std::int32_t>(end));
        if (!next) break;
        const bool whole = minOneMessage && end == start->position;
        if (!whole && end + next->size - start->position > maxSize) break;
        end += next->size;
    }
    return log_.read(start->position, static_cast<std::int32_t>(end - start->position));
}
//< ch32 segment-read

std::int64_t LogSegment::readNextOffset() const {
    std::int64_t next = baseOffset_;
    for (auto batch = log_.batchAt(0); batch; batch = log_.batchAt(batch->position + batch->size))
        next = batch->lastOffset + 1;
    return next;
}

std::optional<std::pair<std::int64_t, std::int64_t>> LogSegment::findOffsetByTimestamp(
    std::int64_t timestamp, std::int64_t startingOffset) const {
    for (auto found = log_.batchAt(0); found; found = log_.batchAt(found->position + found->size)) {
        if (found->maxTimestamp < timestamp || found->lastOffset < startingOffset) continue;
        const auto bytes = log_.read(found->position, found->size);
        const DefaultRecordBatch batch(bytes);
        if (batch.compressionType() != 0) return {{batch.baseOffset(), batch.maxTimestamp()}};
        for (const auto& record : batch.records())
            if (record.timestamp() >= timestamp && record.offset() >= startingOffset)
                return {{record.offset(), record.timestamp()}};
    }
    return std::nullopt;
}

}  // namespace kafka::log
