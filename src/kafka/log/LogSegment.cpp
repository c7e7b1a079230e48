//@ ch32
#include "kafka/log/LogSegment.h"

#include <chrono>
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

/*> ch32-33 segment-open
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
*/
//> ch33
std::filesystem::path LogSegment::offsetIndexFile(const std::filesystem::path& dir,
                                                  std::int64_t baseOffset) {
    return dir / (filenamePrefixFromOffset(baseOffset) + ".index");
}

std::filesystem::path LogSegment::timeIndexFile(const std::filesystem::path& dir,
                                                std::int64_t baseOffset) {
    return dir / (filenamePrefixFromOffset(baseOffset) + ".timeindex");
}

LogSegment::LogSegment(const std::filesystem::path& dir, std::int64_t baseOffset,
                       const LogConfig& config, std::int64_t createdMs)
    : log_(FileRecords::open(logFile(dir, baseOffset))),
      baseOffset_(baseOffset),
      createdMs_(createdMs),
      offsetIndex_(offsetIndexFile(dir, baseOffset), baseOffset, config.maxIndexSize),
      timeIndex_(timeIndexFile(dir, baseOffset), baseOffset, config.maxIndexSize),
      indexIntervalBytes_(config.indexIntervalBytes) {
    /*> ch33-34 build-on-open
    recover();
    */
    //> ch34 segment-open
    // A segment opened trusts what its files say, until the log checks them (sanityCheck,
    // recover): its largest timestamp is its time index's last entry, since a segment adds
    // that entry when it stops being written; its age counts from its first batch.
    if (timeIndex_.entries() > 0) {
        maxTimestampSoFar_ = timeIndex_.lastEntry().timestamp;
        offsetOfMaxTimestampSoFar_ = timeIndex_.lastEntry().offset;
    }
    if (const auto first = log_.batchAt(0)) rollingBasedTimestamp_ = first->maxTimestamp;
    //< ch34 segment-open
}

LogSegment::~LogSegment() {
    try {
        if (maxTimestampSoFar_ >= 0)
            timeIndex_.maybeAppend(maxTimestampSoFar_, offsetOfMaxTimestampSoFar_, true);
    } catch (const std::exception&) {
        // An entry that could not be added is rebuilt the next time the segment opens.
    }
    // The indexes' destructors cut their files to their entries.
}

//> ch33 segment-recover
// What the segment's batches say, read header by header: when it started, its largest
// timestamp, and an index entry every index.interval.bytes, exactly where appends would have
// put them. (Until chapter 34 the log trusts no index file it finds: it builds each again.)
std::int32_t LogSegment::recover() {
    offsetIndex_.reset();
    timeIndex_.reset();
    maxTimestampSoFar_ = -1;
    offsetOfMaxTimestampSoFar_ = -1;
    rollingBasedTimestamp_.reset();
    std::int32_t validBytes = 0;
    std::int32_t lastIndexEntry = 0;
    for (auto batch = log_.batchAt(0); batch; batch = log_.batchAt(validBytes)) {
        //> ch34 recover-validate
        if (!isValid(*batch)) break;  // a corrupt batch: it and everything after it go
        //< ch34 recover-validate
        if (!rollingBasedTimestamp_) rollingBasedTimestamp_ = batch->maxTimestamp;
        if (batch->maxTimestamp > maxTimestampSoFar_) {
            maxTimestampSoFar_ = batch->maxTimestamp;
            offsetOfMaxTimestampSoFar_ = batch->lastOffset;
        }
        if (validBytes - lastIndexEntry > indexIntervalBytes_ && !offsetIndex_.isFull() &&
            !timeIndex_.isFull()) {
            offsetIndex_.append(batch->lastOffset, validBytes);
            timeIndex_.maybeAppend(maxTimestampSoFar_, offsetOfMaxTimestampSoFar_);
            lastIndexEntry = validBytes;
        }
        validBytes += batch->size;
    }
    bytesSinceLastIndexEntry_ = validBytes - lastIndexEntry;
    std::int32_t truncated = 0;  // bytes cut from the file: none before chapter 34's checks
    //> ch34 recover-truncate
    // Whatever follows the last valid batch is cut: a batch torn by a crash, garbage, a batch
    // whose CRC fails. The indexes are cut to their entries, as a closed segment's are.
    truncated = log_.sizeInBytes() - validBytes;
    if (truncated > 0) log_.truncateTo(validBytes);
    offsetIndex_.trimToValidSize();
    if (maxTimestampSoFar_ >= 0)
        timeIndex_.maybeAppend(maxTimestampSoFar_, offsetOfMaxTimestampSoFar_, true);
    timeIndex_.trimToValidSize();
    //< ch34 recover-truncate
    return truncated;
}
//< ch33 segment-recover
//< ch33

//> ch32 segment-append
void LogSegment::append(std::int64_t largestOffset, std::int64_t largestTimestamp,
                        std::span<const std::uint8_t> records,
                        std::span<const std::uint8_t> moreRecords) {
    if (records.empty() && moreRecords.empty()) return;
    // An index entry (chapter 33) keeps an offset as 4 bytes relative to the base offset.
    if (largestOffset - baseOffset_ > std::numeric_limits<std::int32_t>::max() ||
        largestOffset < baseOffset_)
        throw common::errors::IllegalArgumentException("Offset " + std::to_string(largestOffset) +
                                                       " does not fit in the segment starting at " +
                                                       std::to_string(baseOffset_));
    if (log_.sizeInBytes() == 0) rollingBasedTimestamp_ = largestTimestamp;
    //> ch33
    const std::int32_t physicalPosition = log_.sizeInBytes();
    //< ch33
    log_.append(records, moreRecords);
    if (largestTimestamp > maxTimestampSoFar_) {
        maxTimestampSoFar_ = largestTimestamp;
        //> ch33
        offsetOfMaxTimestampSoFar_ = largestOffset;
        //< ch33
    }
    //> ch33 index-append
    // An entry once more than index.interval.bytes of batches went in since the last one:
    // this batch's last offset and where the batch starts. The time index takes the largest
    // timestamp so far, with the offset of its batch.
    if (bytesSinceLastIndexEntry_ > indexIntervalBytes_) {
        offsetIndex_.append(largestOffset, physicalPosition);
        timeIndex_.maybeAppend(maxTimestampSoFar_, offsetOfMaxTimestampSoFar_);
        bytesSinceLastIndexEntry_ = 0;
    }
    bytesSinceLastIndexEntry_ += static_cast<std::int32_t>(records.size() + moreRecords.size());
    //< ch33 index-append
}
//< ch32 segment-append

//> ch32 segment-roll
bool LogSegment::shouldRoll(const RollParams& params, std::int64_t maxOffsetInMessages) const {
    const bool reachedRollMs =
        timeWaitedForRoll(params.now, params.maxTimestampInMessages) > params.maxSegmentMs;
    const std::int32_t size = this->size();
    return size > params.maxSegmentBytes - params.messagesSize || (size > 0 && reachedRollMs) ||
           //> ch33
           offsetIndex_.isFull() || timeIndex_.isFull() ||
           //< ch33
           maxOffsetInMessages - baseOffset_ > std::numeric_limits<std::int32_t>::max();
}

std::int64_t LogSegment::timeWaitedForRoll(std::int64_t now, std::int64_t messageTimestamp) const {
    if (rollingBasedTimestamp_ && *rollingBasedTimestamp_ >= 0)
        return messageTimestamp - *rollingBasedTimestamp_;
    return now - createdMs_;
}
//< ch32 segment-roll

//> ch32 translate-offset
std::optional<FileRecords::FileBatch> LogSegment::translateOffset(std::int64_t offset) const {
    std::int32_t startingPosition = 0;  // with no index, the file's first batch
    //> ch33
    // The index names a batch at or before the one holding the offset; the headers from there
    // on, a few KiB of them at most, find it.
    startingPosition = offsetIndex_.lookup(offset).position;
    //< ch33
    return log_.searchForOffsetFromPosition(offset, startingPosition);
}
//< ch32 translate-offset

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
    std::int32_t position = 0;
    //> ch33
    position = offsetIndex_.lookup(std::numeric_limits<std::int64_t>::max()).position;
    //< ch33
    std::int64_t next = baseOffset_;
    for (auto batch = log_.batchAt(position); batch;
         batch = log_.batchAt(batch->position + batch->size))
        next = batch->lastOffset + 1;
    return next;
}

//> ch32 find-by-timestamp
std::optional<FileRecords::TimestampAndOffset> LogSegment::findOffsetByTimestamp(
    std::int64_t timestamp, std::int64_t startingOffset) const {
    std::int32_t startingPosition = 0;
    //> ch33
    // The time index gives an offset before which no record is as late as `timestamp`; the
    // offset index, where a batch at or before that offset starts. The file does the rest.
    const TimestampOffset before = timeIndex_.lookup(timestamp);
    startingPosition = offsetIndex_.lookup(std::max(before.offset, startingOffset)).position;
    //< ch33
    return log_.searchForTimestamp(timestamp, startingPosition, startingOffset);
}
//< ch32 find-by-timestamp

void LogSegment::flush() {
    log_.flush();
    //> ch33
    offsetIndex_.flush();
    timeIndex_.flush();
    //< ch33
}

//> ch34 segment-checks
// Kafka's checks of a batch in recovery: offsets this segment can index, then the CRC of the
// whole batch, which reads every byte of it.
bool LogSegment::isValid(const FileRecords::FileBatch& batch) const {
    if (batch.baseOffset < baseOffset_ || batch.lastOffset < batch.baseOffset ||
        batch.lastOffset - baseOffset_ > std::numeric_limits<std::int32_t>::max())
        return false;
    const auto bytes = log_.read(batch.position, batch.size);
    try {
        DefaultRecordBatch(bytes).ensureValid();
        return true;
    } catch (const common::errors::KafkaException&) {
        return false;
    }
}

void LogSegment::sanityCheck() const {
    offsetIndex_.sanityCheck();
    timeIndex_.sanityCheck();
}
//< ch34 segment-checks

//> ch34
void LogSegment::resizeIndexes(std::int32_t size) {
    offsetIndex_.resize(size);
    timeIndex_.resize(size);
}

std::int64_t LogSegment::largestTimestamp() const {
    return maxTimestampSoFar_ >= 0 ? maxTimestampSoFar_ : lastModified();
}

std::int64_t LogSegment::lastModified() const {
    const auto modified = std::filesystem::last_write_time(log_.file());
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::file_clock::to_sys(modified).time_since_epoch())
        .count();
}

void LogSegment::deleteIfExists() {
    for (const auto& file : {log_.file(), offsetIndex_.file(), timeIndex_.file()}) {
        std::error_code error;
        std::filesystem::remove(file, error);
        if (error)
            throw common::errors::KafkaStorageException("Cannot delete " + file.string() + ": " +
                                                        error.message());
    }
}
//< ch34

//> ch33
void LogSegment::onBecomeInactiveSegment() {
    if (maxTimestampSoFar_ >= 0)
        timeIndex_.maybeAppend(maxTimestampSoFar_, offsetOfMaxTimestampSoFar_, true);
    offsetIndex_.trimToValidSize();
    timeIndex_.trimToValidSize();
}
//< ch33

}  // namespace kafka::log
