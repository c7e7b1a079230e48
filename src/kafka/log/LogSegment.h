//@ ch32
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "kafka/common/record/FileRecords.h"
#include "kafka/common/utils/Bytes.h"
//> ch33
#include "kafka/log/LogConfig.h"
#include "kafka/log/OffsetIndex.h"
#include "kafka/log/TimeIndex.h"
//< ch33

namespace kafka::log {

/// One segment of a partition's log (Kafka's LogSegment): the batches from `baseOffset` on, in
/// a file named after it, `00000000000000000042.log` in the partition's directory. Only the
/// last segment of a log, the active one, is written; the others are read and, one day,
/// deleted whole (chapter 34). Chapter 33 gives it its indexes, `.index` and `.timeindex` beside
/// the `.log`; before them, finding an offset means reading the batch headers from the start
/// of the file.
class LogSegment {
public:
    /// When the log asks the active segment whether the next batch starts a new one (Kafka's
    /// RollParams).
    struct RollParams {
        std::int32_t maxSegmentBytes;
        std::int64_t maxSegmentMs;
        std::int32_t messagesSize;            // the batch about to be appended
        std::int64_t maxTimestampInMessages;  // its largest timestamp
        std::int64_t now;
    };

    /// The 20-digit, zero-padded base offset that names a segment's files (Kafka's
    /// LogFileUtils.filenamePrefixFromOffset): files sort by name as they do by offset.
    static std::string filenamePrefixFromOffset(std::int64_t offset);
    static std::filesystem::path logFile(const std::filesystem::path& dir, std::int64_t baseOffset);
    //> ch33
    static std::filesystem::path offsetIndexFile(const std::filesystem::path& dir,
                                                 std::int64_t baseOffset);
    static std::filesystem::path timeIndexFile(const std::filesystem::path& dir,
                                               std::int64_t baseOffset);
    //< ch33

    /*> ch32-33 segment-constructor
    /// Opens the segment of `dir` that starts at `baseOffset`, creating its file if it does
    /// not exist. `createdMs` is the broker's clock: a segment with no timestamps rolls by age.
    LogSegment(const std::filesystem::path& dir, std::int64_t baseOffset, std::int64_t createdMs);
    */
    //> ch33
    /// Opens the segment of `dir` that starts at `baseOffset`, creating its files if they do
    /// not exist, and builds its indexes from the batches of its `.log` file. `config` says how
    /// often to index (index.interval.bytes) and how large an index may grow
    /// (segment.index.bytes); `createdMs` is the broker's clock: a segment with no timestamps
    /// rolls by age.
    LogSegment(const std::filesystem::path& dir, std::int64_t baseOffset, const LogConfig& config,
               std::int64_t createdMs);
    /// Closes the segment as Kafka's close() does: its last time-index entry, its indexes cut
    /// to their entries.
    ~LogSegment();
    LogSegment(const LogSegment&) = delete;
    LogSegment& operator=(const LogSegment&) = delete;

    const OffsetIndex& offsetIndex() const { return offsetIndex_; }
    const TimeIndex& timeIndex() const { return timeIndex_; }
    //< ch33

    std::int64_t baseOffset() const { return baseOffset_; }
    std::int32_t size() const { return log_.sizeInBytes(); }
    const common::record::FileRecords& log() const { return log_; }

    /// Appends one batch whose records end at `largestOffset`, with `largestTimestamp` the
    /// largest of their timestamps. The batch may come in two pieces, `records` and then
    /// `moreRecords`, written together: the log passes the header it stamped in a copy and the
    /// rest of the batch where it lies, in the request's buffer.
    void append(std::int64_t largestOffset, std::int64_t largestTimestamp,
                std::span<const std::uint8_t> records,
                std::span<const std::uint8_t> moreRecords = {});

    /// Where the batch holding `offset` starts, if this segment has it (Kafka's
    /// translateOffset): the headers are read from where the offset index points.
    std::optional<common::record::FileRecords::FileBatch> translateOffset(
        std::int64_t offset) const;

    /// Whole batches from the one holding `startOffset`, at most `maxSize` bytes of them and
    /// none past `maxPosition` (the log end as it was when the read began). With
    /// `minOneMessage` the first batch comes whole whatever its size. Nothing if this segment
    /// has no batch at or after `startOffset`.
    std::optional<common::utils::Bytes> read(std::int64_t startOffset, std::int32_t maxSize,
                                             std::int64_t maxPosition, bool minOneMessage) const;

    /// Whether the next batch goes into a new segment: this one would pass
    /// log.segment.bytes, or holds records and has lived log.roll.ms (by the records' own
    /// timestamps, from its first batch's: KIP-33), or its offsets would no longer fit in
    /// the 32 bits an index entry gives them, or an index is full.
    bool shouldRoll(const RollParams& params, std::int64_t maxOffsetInMessages) const;

    /// How long this segment has been open for records, by their timestamps when it has any.
    std::int64_t timeWaitedForRoll(std::int64_t now, std::int64_t messageTimestamp) const;

    /// The offset after the last whole batch in the file (its base offset if there is none).
    std::int64_t readNextOffset() const;

    /// The first record at or after `timestamp` with an offset of at least `startingOffset`,
    /// or nothing.
    std::optional<common::record::FileRecords::TimestampAndOffset> findOffsetByTimestamp(
        std::int64_t timestamp, std::int64_t startingOffset) const;

    std::int64_t maxTimestampSoFar() const { return maxTimestampSoFar_; }

    /// The files' bytes on the disk.
    void flush();
    //> ch33
    /// Builds the indexes again from the batches of the `.log` file, and the segment's largest
    /// timestamp and age with them (Kafka's recover). From chapter 34 it also checks each batch
    /// (its offsets, its CRC) and cuts the file at the first that fails, and returns how many
    /// bytes it cut.
    std::int32_t recover();
    //< ch33
    //> ch34
    /// Throws CorruptIndexException if an index is plainly wrong: not whole entries, offsets
    /// below the base offset, timestamps going back (Kafka 3.x's sanity check).
    void sanityCheck() const;
    /// Both indexes `size` bytes long again: the active segment's room to grow after a load.
    void resizeIndexes(std::int32_t size);
    /// The largest timestamp of its records, or the time its file was last written if they
    /// have none: what retention by time measures.
    std::int64_t largestTimestamp() const;
    /// When the `.log` file was last written, in milliseconds since the epoch.
    std::int64_t lastModified() const;
    /// Deletes the segment's three files; the object stays usable until it is destroyed.
    void deleteIfExists();
    //< ch34
    //> ch33
    /// The segment is written no more (the log rolled): its last time-index entry, and its
    /// indexes and file cut to what they hold.
    void onBecomeInactiveSegment();
    //< ch33

private:
    //> ch34
    bool isValid(const common::record::FileRecords::FileBatch& batch) const;
    //< ch34

    common::record::FileRecords log_;
    const std::int64_t baseOffset_;
    const std::int64_t createdMs_;
    // The max timestamp of the first batch: what a time-based roll measures from.
    std::optional<std::int64_t> rollingBasedTimestamp_;
    std::int64_t maxTimestampSoFar_ = -1;
    //> ch33
    std::int64_t offsetOfMaxTimestampSoFar_ = -1;  // the last offset of the batch that has it
    OffsetIndex offsetIndex_;
    TimeIndex timeIndex_;
    const std::int32_t indexIntervalBytes_;
    std::int32_t bytesSinceLastIndexEntry_ = 0;
    //< ch33
};

}  // namespace kafka::log
