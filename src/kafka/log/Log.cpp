//@ ch30
#include "kafka/log/Log.h"

#include <algorithm>
//> ch32
#include <array>
#include <chrono>
//< ch32

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecords.h"
//> ch31
#include "kafka/log/RecordValidationException.h"
//> ch34
#include <numeric>

#include "kafka/log/CorruptIndexException.h"
//< ch34
//< ch31
//> ch38
#include "kafka/common/record/CorruptRecordException.h"
#include "kafka/log/LogValidator.h"
//< ch38

namespace kafka::log {

using common::record::DefaultRecordBatch;
using common::record::MemoryRecords;

Log::Log(Settings settings) : settings_(std::move(settings)) {
    //> ch32
    loadSegments();
    //< ch32
}

//> ch30 log-append
//> ch30 append-batch
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
    // The records are read (and a compressed batch decompressed) once, here: every check
    // after this one walks what validate() returns.
    const auto batchRecords = validate(batch);
    std::int64_t maxTimestamp = batch.maxTimestamp();
    //> ch31 append-timestamps
    const std::int64_t now = settings_.time->milliseconds();
    maxTimestamp = validateTimestamps(batch, batchRecords, now);
    const bool logAppendTime =
        config().messageTimestampType == common::record::TimestampType::kLogAppendTime;
    if (logAppendTime) maxTimestamp = now;
    //< ch31 append-timestamps

    /*> ch30-32 copy-batch
    common::utils::Bytes stored(batch.bytes().begin(), batch.bytes().end());
    */
    //> ch32 stored-in-place
    // What the segment gets is read where it lies, in the request's buffer. Only the header,
    // which the log stamps, is copied; the file takes the copy and the records in one write.
    std::span<const std::uint8_t> stored = batch.bytes();
    //< ch32 stored-in-place
    //> ch38 recompress
    // The topic's compression.type names another codec than the batch's: its records go into a
    // new batch with that codec (Kafka's buildRecordsAndAssignOffsets), whose size is checked
    // again. Otherwise the producer's bytes are stored as they came, compressed or not.
    common::utils::Bytes rebuilt;
    if (const LogValidator validator(batch, config()); !validator.inPlaceAssignment()) {
        rebuilt = validator.buildRecords(batchRecords);
        stored = rebuilt;
        if (stored.size() > static_cast<std::size_t>(config().maxMessageBytes))
            throw common::errors::RecordTooLargeException(
                "The record batch in the append to " + topicPartition().toString() + " is " +
                std::to_string(stored.size()) + " bytes once compressed with " +
                std::string(name(validator.targetCompression())) +
                ", which exceeds the maximum configured value of " +
                std::to_string(config().maxMessageBytes) + " (message.max.bytes)");
    }
    //< ch38 recompress
    /*> ch31-32 stamp-batch
    // The leader's epoch goes into every batch (followers and consumers check it against their
    // own): 0 here, where one broker has led the partition since it was created. The batch
    // says whose clock its timestamps are, and its max timestamp becomes the broker's with
    // LogAppendTime; those fields are inside the CRC, which is computed again.
    DefaultRecordBatch::setPartitionLeaderEpoch(stored, 0);
    DefaultRecordBatch::setMaxTimestamp(stored, config().messageTimestampType, maxTimestamp);
    */
    //> ch32 stamp-header
    // Chapter 31's stamps, in a copy of the header: a new CRC starts in the header and runs on
    // over the records where they lie.
    std::array<std::uint8_t, DefaultRecordBatch::kRecordBatchOverhead> header{};
    std::copy_n(stored.begin(), header.size(), header.begin());
    const auto body = stored.subspan(header.size());
    DefaultRecordBatch::setPartitionLeaderEpoch(header, 0);
    DefaultRecordBatch::setMaxTimestamp(header, body, config().messageTimestampType, maxTimestamp);
    //< ch32 stamp-header
    std::scoped_lock lock(mutex_);
    LogAppendInfo info;
    info.firstOffset = logEndOffset_;
    info.lastOffset = info.firstOffset + batch.lastOffsetDelta();
    // The producer sent base offset 0; the broker gives the batch its place in the log. The
    // CRC starts at the attributes, after the base offset, so it stays valid.
    /*> ch30-32 set-base-offset
    DefaultRecordBatch::setBaseOffset(stored, info.firstOffset);
    */
    //> ch32
    DefaultRecordBatch::setBaseOffset(header, info.firstOffset);
    //< ch32
    //> ch31 append-info
    info.maxTimestamp = maxTimestamp;
    info.logAppendTime = logAppendTime ? now : -1;
    info.logStartOffset = logStartOffset();
    info.recordCount = batch.recordsCount();
    info.validBytes = batch.sizeInBytes();
    //< ch31 append-info
    /*> ch30-32 append-to-memory
    const auto size = static_cast<std::int64_t>(stored.size());
    batches_.push_back(
        {info.firstOffset, info.lastOffset, maxTimestamp, logEndPosition_, std::move(stored)});
    logEndPosition_ += size;
    */
    //> ch34
    if (closed_)
        throw common::errors::KafkaStorageException("The log of " + topicPartition().toString() +
                                                    " is closed");
    //< ch34
    //> ch37 append-producer-state
    // An idempotent producer's batch: a copy of one of its last five is answered with the
    // offsets the original got and not stored again; one out of sequence is refused, before
    // anything is written.
    std::optional<ProducerAppendInfo> producerAppend;
    if (batch.producerId() >= 0) {
        if (auto duplicate = duplicateOf(batch, logAppendTime)) return *duplicate;
        producerAppend =
            producerStateManager_.prepareUpdate(batch.producerId(), AppendOrigin::kClient);
        producerAppend->appendDataBatch(batch.producerEpoch(), batch.baseSequence(),
                                        batch.lastSequence(), maxTimestamp, info.firstOffset,
                                        info.lastOffset);
    }
    //< ch37 append-producer-state
    //> ch32 append-to-segment
    LogSegment& segment = maybeRoll(static_cast<std::int32_t>(stored.size()), info);
    segment.append(info.lastOffset, maxTimestamp, header, body);
    //< ch32 append-to-segment
    logEndOffset_ = info.lastOffset + 1;
    //> ch37
    if (producerAppend) producerStateManager_.update(*producerAppend);
    producerStateManager_.updateMapEndOffset(logEndOffset_);
    //< ch37
    //> ch32 flush-policy
    // Kafka's flush policy: by default none at all. Durability comes from replicas, and the
    // page cache writes the bytes out when the kernel chooses; log.flush.interval.messages
    // asks for an fsync every so many records.
    unflushedMessages_ += info.lastOffset - info.firstOffset + 1;
    if (unflushedMessages_ >= config().flushIntervalMessages) flushToLogEnd();
    //< ch32 flush-policy
    return info;
}
//< ch30 append-batch

//> ch30 validate-batch
// What Kafka's LogValidator and UnifiedLog.analyzeAndValidateRecords check of a client's batch.
std::vector<common::record::DefaultRecord> Log::validate(const DefaultRecordBatch& batch) const {
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
    /*> ch30-38 compressed-refused
    // A compressed batch's records cannot be checked before the compression chapters: and a
    // batch that claims a million records would move the log end a million offsets.
    if (batch.compressionType() != 0)
        throw common::errors::UnsupportedCompressionTypeException(
            "This broker does not read compressed batches yet, and stores only what it "
            "validated" +
            where);
    */
    // The batch's offset deltas must be 0, 1, ... count-1: they become the log's offsets.
    if (batch.recordsCount() < 1 || batch.lastOffsetDelta() != batch.recordsCount() - 1)
        throw common::errors::InvalidRecordException(
            "A batch" + where + " has " + std::to_string(batch.recordsCount()) +
            " records and last offset delta " + std::to_string(batch.lastOffsetDelta()));
    //> ch37 validate-sequence
    // A producer's batch carries the sequence of its first record: a negative one would make
    // the producer's state describe some other batch (Kafka's LogValidator refuses it too).
    if (batch.producerId() >= 0 && batch.baseSequence() < 0)
        throw common::errors::InvalidRecordException(
            "Invalid sequence number " + std::to_string(batch.baseSequence()) + " in a batch" +
            where + " of producer " + std::to_string(batch.producerId()));
    //< ch37 validate-sequence
    /*> ch30-38 read-the-records
    auto records = batch.records();  // every record parses, the count agrees
    */
    //> ch38
    // From chapter 38 records() decompresses a compressed batch: these checks, and those of
    // the timestamps, read its records as they read an uncompressed batch's.
    auto records = readCompressedRecords(batch, where);
    //< ch38
    std::int64_t expected = batch.baseOffset();
    for (const auto& record : records)
        if (record.offset() != expected++)
            throw common::errors::InvalidRecordException("The record offsets of a batch" + where +
                                                         " are not consecutive");
    return records;
}
//< ch30 validate-batch
//< ch30 log-append

//> ch38 unreadable-compressed-records
// Every record, as records() reads them. A compressed batch whose CRC is right but whose
// records do not decompress, parse or add up (garbage, a lying count, a bomb past the limit)
// left the producer that way: sending it again cannot help, so it is INVALID_RECORD, which no
// producer retries, and not the retriable CORRUPT_MESSAGE of a bit flipped on the way. (Kafka
// 3.8 answers UNKNOWN_SERVER_ERROR for codec garbage, its codecs throwing a plain
// KafkaException, and INVALID_RECORD for a count that disagrees.)
std::vector<common::record::DefaultRecord> Log::readCompressedRecords(
    const DefaultRecordBatch& batch, const std::string& where) {
    try {
        return batch.records();
    } catch (const common::record::CorruptRecordException& e) {
        if (batch.compressionType() == 0) throw;  // chapter 30's answer for plain batches
        throw common::errors::InvalidRecordException(std::string(e.what()) + where);
    }
}
//< ch38 unreadable-compressed-records

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
std::int64_t Log::validateTimestamps(const DefaultRecordBatch& batch,
                                     const std::vector<common::record::DefaultRecord>& records,
                                     std::int64_t now) const {
    using common::record::TimestampType;
    const LogConfig& config = this->config();
    std::vector<RecordValidationException::RecordError> errors;
    std::int64_t maxTimestamp = -1;
    std::int32_t index = 0;
    for (const auto& record : records) {
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
    /*> ch30-32 read-from-memory
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
    */
    //> ch32 read-from-segments
    // One segment answers: the one holding the offset, or, if the offset lies past its last
    // batch, the next. A read never goes past the log end as it is now (under the lock), so
    // it never sees half a batch.
    for (auto it = segmentFor(offset); it != segments_.end(); ++it) {
        const LogSegment& segment = *it->second;
        if (auto records = segment.read(offset, maxBytes, segment.size(), minOneMessage)) {
            info.records = std::move(*records);
            break;
        }
    }
    //< ch32 read-from-segments
    return info;
}
//< ch30 log-read

std::int64_t Log::bytesAfter(std::int64_t offset) const {
    std::scoped_lock lock(mutex_);
    ensureInRange(offset);
    /*> ch30-32 bytes-after-in-memory
    const auto batch = firstBatchHolding(offset);
    return batch == batches_.end() ? 0 : logEndPosition_ - batch->position;
    */
    //> ch32 bytes-after
    // From the batch holding the offset to the end of its segment, then every later segment.
    std::int64_t bytes = 0;
    bool found = false;
    for (auto it = segmentFor(offset); it != segments_.end(); ++it) {
        if (!found) {
            const auto batch = it->second->translateOffset(offset);
            if (!batch) continue;
            bytes += it->second->size() - batch->position;
            found = true;
        } else {
            bytes += it->second->size();
        }
    }
    return bytes;
    //< ch32 bytes-after
}

void Log::ensureInRange(std::int64_t offset) const {
    if (offset < logStartOffset() || offset > logEndOffset_)
        throw common::errors::OffsetOutOfRangeException(
            "Offset " + std::to_string(offset) + " is out of range for " +
            topicPartition().toString() + ", which holds [" + std::to_string(logStartOffset()) +
            ", " + std::to_string(logEndOffset_) + ")");
}

/*> ch30-32 first-batch-holding
// The batch whose offsets reach `offset`, found by binary search (Kafka's offset index).
std::vector<Log::StoredBatch>::const_iterator Log::firstBatchHolding(std::int64_t offset) const {
    return std::partition_point(batches_.begin(), batches_.end(),
                                [offset](const StoredBatch& b) { return b.lastOffset < offset; });
}
*/

std::pair<std::int64_t, std::int64_t> Log::offsetForTimestamp(std::int64_t timestamp) const {
    std::scoped_lock lock(mutex_);
    /*> ch30-32 offset-for-timestamp-in-memory
    for (const auto& stored : batches_) {
        if (stored.maxTimestamp < timestamp) continue;
        const DefaultRecordBatch batch(stored.bytes);
        if (batch.compressionType() != 0) return {stored.baseOffset, stored.maxTimestamp};
        for (const auto& record : batch.records())  // offsets as stored: the broker's
            if (record.timestamp() >= timestamp) return {record.offset(), record.timestamp()};
    }
    */
    //> ch32
    // Segments whose largest timestamp is below the one asked for are skipped whole.
    for (const auto& [baseOffset, segment] : segments_) {
        if (segment->maxTimestampSoFar() < timestamp) continue;
        if (const auto found = segment->findOffsetByTimestamp(timestamp, logStartOffset()))
            return {found->offset, found->timestamp};
    }
    //< ch32
    return {-1, -1};
}

std::int64_t Log::logEndOffset() const {
    std::scoped_lock lock(mutex_);
    return logEndOffset_;
}

//> ch32 load-segments
// What the log finds in its directory when it opens: every segment file, known by the base
// offset in its name, and the log end offset after the newest segment's last whole batch. A
// new log gets its directory and a first, empty segment. (Chapter 34 checks what it finds
// before it trusts it.)
void Log::loadSegments() {
    if (settings_.dir.empty())
        throw common::errors::IllegalArgumentException("The log of " + topicPartition().toString() +
                                                       " has no directory");
    std::error_code error;
    std::filesystem::create_directories(settings_.dir, error);
    if (error)
        throw common::errors::KafkaStorageException(
            "Cannot create the log directory " + settings_.dir.string() + ": " + error.message());
    for (const auto& entry : std::filesystem::directory_iterator(settings_.dir)) {
        const auto& file = entry.path();
        const std::string stem = file.stem().string();
        const bool named = stem.size() == 20 && std::all_of(stem.begin(), stem.end(), [](char c) {
                               return c >= '0' && c <= '9';
                           });
        //> ch34 orphan-index
        // An index whose segment is gone (a crash in the middle of a deletion) goes too.
        const bool indexFile = file.extension() == ".index" || file.extension() == ".timeindex";
        if (named && indexFile &&
            !std::filesystem::exists(LogSegment::logFile(settings_.dir, std::stoll(stem)))) {
            log_.warn("Found an orphaned index file {}, with no corresponding log file.",
                      file.string());
            std::filesystem::remove(file, error);
        }
        //< ch34 orphan-index
        if (!named || file.extension() != ".log") continue;
        const std::int64_t baseOffset = std::stoll(stem);
        //> ch34
        const bool indexesFound =
            std::filesystem::exists(LogSegment::offsetIndexFile(settings_.dir, baseOffset)) &&
            std::filesystem::exists(LogSegment::timeIndexFile(settings_.dir, baseOffset));
        //< ch34
        segments_.emplace(baseOffset, openSegment(baseOffset));
        //> ch34
        checkIndexes(*segments_.at(baseOffset), indexesFound);
        //< ch34
    }
    //> ch34
    recoverLog();
    //< ch34
    std::int64_t firstOffset = 0;
    //> ch34
    firstOffset = settings_.logStartOffset;  // every segment was deleted: start where they ended
    //< ch34
    if (segments_.empty()) segments_.emplace(firstOffset, openSegment(firstOffset));
    /*> ch33-34 trim-on-load
    // Only the active segment is written: the others' indexes are cut to their entries.
    for (auto it = segments_.begin(); it != std::prev(segments_.end()); ++it)
        it->second->onBecomeInactiveSegment();
    */
    //> ch34
    // The active segment's indexes were cut when it was closed: room to grow again.
    activeSegment().resizeIndexes(config().maxIndexSize);
    //< ch34
    logEndOffset_ = activeSegment().readNextOffset();
    //> ch34
    logStartOffset_ = std::max(settings_.logStartOffset, segments_.begin()->first);
    // After a crash the recovery point stays where it was written down: the recovered bytes
    // are not known to be on the disk until the next flush.
    recoveryPoint_ = settings_.hadCleanShutdown ? logEndOffset_
                                                : std::min(settings_.recoveryPoint, logEndOffset_);
    //< ch34
    //> ch37
    loadProducerState();
    //< ch37
    if (segments_.size() > 1 || logEndOffset_ > 0)
        log_.info("Loaded {} segments, log end offset {}", segments_.size(), logEndOffset_);
}
//< ch32 load-segments

//> ch34 check-indexes
// A segment's indexes are trusted if both files are there and pass the sanity check; if not,
// the segment is recovered, which builds them again from its batches.
void Log::checkIndexes(LogSegment& segment, bool indexesFound) {
    const auto file = LogSegment::logFile(settings_.dir, segment.baseOffset()).string();
    if (!indexesFound) {
        // Below the recovery point, or after a clean shutdown, nothing else would notice.
        if (settings_.hadCleanShutdown || segment.baseOffset() < settings_.recoveryPoint)
            log_.error(
                "Could not find index files corresponding to log file {}, recovering "
                "segment and rebuilding index files...",
                file);
        recoverSegment(segment);
        return;
    }
    try {
        segment.sanityCheck();
    } catch (const CorruptIndexException& e) {
        log_.warn(
            "Found a corrupted index file corresponding to log file {} due to {}, "
            "recovering segment and rebuilding index files...",
            file, e.what());
        recoverSegment(segment);
    }
}

std::int32_t Log::recoverSegment(LogSegment& segment) {
    const std::int32_t truncated = segment.recover();
    if (truncated > 0)
        log_.warn("Truncated {} invalid bytes at the end of segment {} during recovery", truncated,
                  LogSegment::logFile(settings_.dir, segment.baseOffset()).string());
    return truncated;
}
//< ch34 check-indexes

//> ch34 recover-log
// After a crash, what was written past the recovery point may be torn or lost: every segment
// from the one holding the recovery point on is read batch by batch. At the first corrupt
// batch its segment is cut, and the segments after it are deleted, since their offsets would
// no longer follow. A clean shutdown skips all of this.
void Log::recoverLog() {
    if (settings_.hadCleanShutdown || segments_.empty()) return;
    for (auto it = segmentFor(settings_.recoveryPoint); it != segments_.end(); ++it) {
        LogSegment& segment = *it->second;
        log_.info("Recovering unflushed segment {}", segment.baseOffset());
        if (recoverSegment(segment) == 0) continue;
        log_.warn("Corruption found in segment {}, truncating to offset {}", segment.baseOffset(),
                  segment.readNextOffset());
        for (auto later = std::next(it); later != segments_.end();) {
            log_.warn("Deleting segment {}, which followed the corruption", later->first);
            later->second->deleteIfExists();
            later = segments_.erase(later);
        }
        break;
    }
}
//< ch34 recover-log

//> ch32
std::unique_ptr<LogSegment> Log::openSegment(std::int64_t baseOffset) const {
    /*> ch32-33 open-segment
    return std::make_unique<LogSegment>(settings_.dir, baseOffset, settings_.time->milliseconds());
    */
    //> ch33
    return std::make_unique<LogSegment>(settings_.dir, baseOffset, config(),
                                        settings_.time->milliseconds());
    //< ch33
}
//< ch32

//> ch32 roll
LogSegment& Log::maybeRoll(std::int32_t messagesSize, const LogAppendInfo& info) {
    LogSegment& segment = activeSegment();
    const LogSegment::RollParams params{config().segmentBytes, config().segmentMs, messagesSize,
                                        info.maxTimestamp, settings_.time->milliseconds()};
    return segment.shouldRoll(params, info.lastOffset) ? roll(info.firstOffset) : segment;
}

// The new segment starts at the offset of the batch about to be appended: the log end. The
// one before it is written no more, and goes to the disk now (Kafka has its scheduler thread
// do that, chapter 34).
LogSegment& Log::roll(std::int64_t newOffset) {
    const auto start = std::chrono::steady_clock::now();
    flushToLogEnd();
    //> ch37
    // The producers' state as of the new segment's first offset: a start reads it and the
    // batches after it, never the segments before.
    producerStateManager_.takeSnapshot();
    //< ch37
    //> ch33
    activeSegment().onBecomeInactiveSegment();
    //< ch33
    auto& segment = *segments_.emplace(newOffset, openSegment(newOffset)).first->second;
    log_.info("Rolled new log segment at offset {} in {} ms.", newOffset,
              std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count());
    return segment;
}
//< ch32 roll

//> ch32
void Log::flush() {
    std::scoped_lock lock(mutex_);
    flushToLogEnd();
}

void Log::flushToLogEnd() {
    /*> ch32-34 flush-active
    activeSegment().flush();
    */
    //> ch34 flush-to-log-end
    // Every segment from the recovery point on: the active one, and after a recovery the ones
    // it rewrote. Then every offset below the log end is on the disk.
    for (auto it = segmentFor(recoveryPoint_); it != segments_.end(); ++it) it->second->flush();
    recoveryPoint_ = logEndOffset_;
    //< ch34 flush-to-log-end
    unflushedMessages_ = 0;
}

std::map<std::int64_t, std::unique_ptr<LogSegment>>::const_iterator Log::segmentFor(
    std::int64_t offset) const {
    auto after = segments_.upper_bound(offset);
    return after == segments_.begin() ? after : std::prev(after);
}

//> ch34
namespace {

std::int64_t bytesOf(const std::map<std::int64_t, std::unique_ptr<LogSegment>>& segments) {
    return std::accumulate(segments.begin(), segments.end(), std::int64_t{0},
                           [](std::int64_t sum, const auto& s) { return sum + s.second->size(); });
}

}  // namespace
//< ch34

//> ch34 retention
int Log::deleteOldSegments() {
    std::scoped_lock lock(mutex_);
    if (closed_) return 0;
    const std::int64_t now = settings_.time->milliseconds();
    int deleted = 0;
    // By time: a segment goes once its newest record is older than retention.ms.
    if (config().retentionMs >= 0)
        deleted += deleteSegments(
            [&](const LogSegment& segment) {
                return now - segment.largestTimestamp() > config().retentionMs;
            },
            "log retention time " + std::to_string(config().retentionMs) +
                "ms breach based on the largest record timestamp in the segment");
    // By size: the oldest segments go while the log would still be at least retention.bytes
    // without them.
    if (config().retentionBytes >= 0) {
        std::int64_t excess = bytesOf(segments_) - config().retentionBytes;
        deleted += deleteSegments(
            [&](const LogSegment& segment) {
                if (excess < segment.size()) return false;
                excess -= segment.size();
                return true;
            },
            "log retention size " + std::to_string(config().retentionBytes) + " breach");
    }
    return deleted;
}

int Log::deleteSegments(const std::function<bool(const LogSegment&)>& shouldDelete,
                        const std::string& reason) {
    std::vector<std::int64_t> deletable;
    for (const auto& [baseOffset, segment] : segments_) {
        const bool lastAndEmpty = baseOffset == segments_.rbegin()->first && segment->size() == 0;
        if (lastAndEmpty || !shouldDelete(*segment)) break;
        deletable.push_back(baseOffset);
    }
    if (deletable.empty()) return 0;
    // A log always has an active segment: to delete them all, roll a new one first.
    if (deletable.size() == segments_.size()) roll(logEndOffset_);
    for (const auto baseOffset : deletable) {
        log_.info("Deleting segment {} due to {}", baseOffset, reason);
        segments_.at(baseOffset)->deleteIfExists();
        segments_.erase(baseOffset);
    }
    logStartOffset_ = std::max(logStartOffset_.load(), segments_.begin()->first);
    log_.info("Incremented log start offset to {} due to segment deletion", logStartOffset_.load());
    //> ch37
    producerStateManager_.deleteSnapshotsBefore(segments_.begin()->first);
    //< ch37
    return static_cast<int>(deletable.size());
}
//< ch34 retention

//> ch34
std::int64_t Log::recoveryPoint() const {
    std::scoped_lock lock(mutex_);
    return recoveryPoint_;
}

std::int64_t Log::size() const {
    std::scoped_lock lock(mutex_);
    return bytesOf(segments_);
}

void Log::close() {
    std::scoped_lock lock(mutex_);
    if (closed_) return;
    flushToLogEnd();
    activeSegment().onBecomeInactiveSegment();
    //> ch37
    producerStateManager_.takeSnapshot();  // the next start reads it instead of the log
    //< ch37
    closed_ = true;
}
//< ch34

std::vector<std::int64_t> Log::segmentBaseOffsets() const {
    std::scoped_lock lock(mutex_);
    std::vector<std::int64_t> offsets;
    for (const auto& [baseOffset, segment] : segments_) offsets.push_back(baseOffset);
    return offsets;
}
//< ch32

//> ch37 producer-state
std::optional<LogAppendInfo> Log::duplicateOf(const DefaultRecordBatch& batch,
                                              bool logAppendTime) const {
    const auto producer = producerStateManager_.lastEntry(batch.producerId());
    if (!producer) return std::nullopt;
    const auto original = producer->findDuplicateBatch(batch.producerEpoch(), batch.baseSequence(),
                                                       batch.lastSequence());
    if (!original) return std::nullopt;
    log_.debug("Batch of producer {} with sequences {} to {} is a duplicate of offsets {} to {}",
               batch.producerId(), batch.baseSequence(), batch.lastSequence(),
               original->firstOffset(), original->lastOffset);
    LogAppendInfo info;
    info.firstOffset = original->firstOffset();
    info.lastOffset = original->lastOffset;
    info.maxTimestamp = original->timestamp;
    info.logAppendTime = logAppendTime ? original->timestamp : -1;
    info.logStartOffset = logStartOffset();
    info.recordCount = batch.recordsCount();
    return info;
}

// At start: the latest snapshot at or below the log end, then the batches after it, read back
// from the segments as Kafka's LogSegment.updateProducerState does (their sequences were
// checked when they came; only the state is rebuilt).
void Log::loadProducerState() {
    // Snapshots left by clean shutdowns sit at offsets where no segment starts: only the
    // latest of them may still be needed.
    std::vector<std::int64_t> segmentBases;
    for (const auto& [baseOffset, segment] : segments_) segmentBases.push_back(baseOffset);
    producerStateManager_.removeStraySnapshots(segmentBases);
    producerStateManager_.truncateAndReload(logStartOffset_, logEndOffset_);
    const std::int64_t from = producerStateManager_.mapEndOffset();
    for (auto it = segmentFor(from); it != segments_.end() && from < logEndOffset_; ++it) {
        const auto& records = it->second->log();
        for (auto found = records.batchAt(0); found;
             found = records.batchAt(found->position + found->size)) {
            if (found->lastOffset < from) continue;
            const auto bytes = records.read(found->position, found->size);
            const DefaultRecordBatch batch(bytes);
            if (batch.producerId() < 0) continue;
            auto append =
                producerStateManager_.prepareUpdate(batch.producerId(), AppendOrigin::kReplication);
            append.appendDataBatch(batch.producerEpoch(), batch.baseSequence(),
                                   batch.lastSequence(), batch.maxTimestamp(), batch.baseOffset(),
                                   batch.lastOffset());
            producerStateManager_.update(append);
        }
    }
    producerStateManager_.updateMapEndOffset(logEndOffset_);
    // Written down at once, so that another crash does not replay the same batches again.
    if (from < logEndOffset_) producerStateManager_.takeSnapshot();
    if (!producerStateManager_.activeProducers().empty())
        log_.info("Loaded the state of {} producers up to offset {}",
                  producerStateManager_.activeProducers().size(), logEndOffset_);
}

std::optional<ProducerStateEntry> Log::producerState(std::int64_t producerId) const {
    std::scoped_lock lock(mutex_);
    return producerStateManager_.lastEntry(producerId);
}

std::optional<std::int64_t> Log::latestProducerSnapshotOffset() const {
    std::scoped_lock lock(mutex_);
    return producerStateManager_.latestSnapshotOffset();
}
//< ch37 producer-state

}  // namespace kafka::log
