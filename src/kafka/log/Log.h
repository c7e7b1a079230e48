//@ ch30
#pragma once

#include <cstdint>
//> ch32
#include <filesystem>
#include <map>
#include <memory>
//< ch32
#include <mutex>
//> ch34
#include <atomic>
#include <functional>
//< ch34
#include <span>
//> ch37
#include <optional>
//< ch37
#include <string>
#include <vector>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/utils/Bytes.h"
//> ch31
#include "kafka/common/utils/Time.h"
//< ch31
#include "kafka/log/LogAppendInfo.h"
#include "kafka/log/LogConfig.h"
//> ch32
#include "kafka/common/utils/LogContext.h"
#include "kafka/log/LogSegment.h"
//< ch32
//> ch37
#include "kafka/log/ProducerStateManager.h"
//< ch37

namespace kafka::common::record {
class DefaultRecord;
class DefaultRecordBatch;
}  // namespace kafka::common::record

namespace kafka::log {

/// One partition's log (Kafka's Log, today UnifiedLog): record batches exactly as producers
/// sent them, each given its offsets when it is appended. Chapter 30 keeps them in memory, in
/// a vector sorted by offset; from chapter 32 they live in segment files in the log's own
/// directory, as Kafka keeps them. Thread-safe: handler threads append and read concurrently.
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
        //> ch32
        /// The log's directory, `<log.dir>/<topic>-<partition>`: its segment files.
        std::filesystem::path dir{};
        //< ch32
        //> ch34 log-settings-recovery
        /// What the log directory's checkpoints and marker say (the LogManager reads them): the
        /// offset below which every byte was on the disk when it was last written down, the
        /// first offset still served, and whether the broker stopped in order. A log on its
        /// own, with none of them, checks every segment when it opens.
        std::int64_t recoveryPoint = 0;
        std::int64_t logStartOffset = 0;
        bool hadCleanShutdown = false;
        //< ch34 log-settings-recovery
    };

    /// What a read found: whole batches from the one holding the offset asked for, and the
    /// high watermark (here the log end offset: with one replica, every record is committed).
    struct FetchInfo {
        common::utils::Bytes records;
        std::int64_t highWatermark = 0;
        std::int64_t logStartOffset = 0;
    };

    /// A log on `settings`. From chapter 32 it opens the segments its directory holds, or
    /// creates the directory and a first, empty segment.
    explicit Log(Settings settings);

    const common::TopicPartition& topicPartition() const { return settings_.topicPartition; }
    const LogConfig& config() const { return settings_.config; }

    /// Validates one Produce v3+ partition's records, as Kafka's LogValidator does (one
    /// batch, magic 2, its CRC, no larger than max.message.bytes, not a control batch, not
    /// compressed until the broker can read compressed batches (chapter 38), and every
    /// record), then stamps the batch's base offset and appends it. Throws the ApiException
    /// whose error the producer gets (InvalidRecordException, CorruptRecordException,
    /// RecordTooLargeException, UnsupportedCompressionTypeException), and then appends
    /// nothing.
    //> ch38 append-compression-doc
    /// A batch whose codec is not the topic's compression.type is stored compressed again
    /// with the topic's codec (LogValidator); any other is stored as the producer sent it.
    //< ch38 append-compression-doc
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

    /*> ch30-34 log-start-offset
    std::int64_t logStartOffset() const { return 0; }  // nothing is ever deleted
    */
    //> ch34
    /// The first offset the log serves: retention moves it when it deletes old segments.
    std::int64_t logStartOffset() const { return logStartOffset_.load(); }
    //< ch34
    std::int64_t logEndOffset() const;
    //> ch32 log-segments-api
    const std::filesystem::path& dir() const { return settings_.dir; }
    /// The base offset of every segment, oldest first.
    std::vector<std::int64_t> segmentBaseOffsets() const;
    /// Puts every appended byte on the disk (fsync), and resets the count of unflushed
    /// records that log.flush.interval.messages bounds.
    void flush();
    //< ch32 log-segments-api
    //> ch34 log-retention-api
    /// Every offset below it is on the disk: what recovery may skip after a crash.
    std::int64_t recoveryPoint() const;
    /// The bytes of every segment.
    std::int64_t size() const;
    /// Deletes the oldest segments that retention.ms or retention.bytes no longer keeps,
    /// whole, and moves the log start offset past them; never a segment holding the log's
    /// newest records without rolling first. Returns how many it deleted.
    int deleteOldSegments();
    /// Flushes the log and closes its active segment as a shutdown does (its indexes cut to
    /// their entries, which the next start trusts). Appends then throw KafkaStorageException.
    void close();
    //< ch34 log-retention-api
    //> ch37 log-producer-state-api
    /// What the partition knows of a producer (chapter 37), if anything.
    std::optional<ProducerStateEntry> producerState(std::int64_t producerId) const;
    /// The offset of the latest producer snapshot in the log's directory.
    std::optional<std::int64_t> latestProducerSnapshotOffset() const;
    //< ch37 log-producer-state-api

private:
    /*> ch30-32 stored-batches
    struct StoredBatch {
        std::int64_t baseOffset;
        std::int64_t lastOffset;
        std::int64_t maxTimestamp;
        std::int64_t position;  // bytes before it in the log: a segment file's position
        common::utils::Bytes bytes;
    };

    std::vector<StoredBatch>::const_iterator firstBatchHolding(std::int64_t offset) const;
    */
    void ensureInRange(std::int64_t offset) const;
    //> ch32
    void loadSegments();
    // The segment of this log's directory that starts at `baseOffset`, opened or created.
    std::unique_ptr<LogSegment> openSegment(std::int64_t baseOffset) const;
    LogSegment& activeSegment() const { return *segments_.rbegin()->second; }
    // The segment the next batch goes into: the active one, or a new one if it should roll.
    LogSegment& maybeRoll(std::int32_t messagesSize, const LogAppendInfo& info);
    LogSegment& roll(std::int64_t newOffset);
    void flushToLogEnd();
    //> ch34
    void checkIndexes(LogSegment& segment, bool indexesFound);
    // Recovers one segment, and says in the log how many bytes it cut.
    std::int32_t recoverSegment(LogSegment& segment);
    void recoverLog();
    // Deletes the oldest segments for which `shouldDelete(segment)` holds, up to the first that
    // does not. Called with the log's lock held.
    int deleteSegments(const std::function<bool(const LogSegment&)>& shouldDelete,
                       const std::string& reason);
    //< ch34
    // The segment holding `offset`: the last one whose base offset is at most it.
    std::map<std::int64_t, std::unique_ptr<LogSegment>>::const_iterator segmentFor(
        std::int64_t offset) const;
    //< ch32

    //> ch37
    // The offsets an earlier append of this very batch got, if it is a producer's retry.
    std::optional<LogAppendInfo> duplicateOf(const common::record::DefaultRecordBatch& batch,
                                             bool logAppendTime) const;
    void loadProducerState();
    //< ch37
    // Checks the batch and returns its records, read once for every check of the append.
    std::vector<common::record::DefaultRecord> validate(
        const common::record::DefaultRecordBatch& batch) const;
    //> ch38
    static std::vector<common::record::DefaultRecord> readCompressedRecords(
        const common::record::DefaultRecordBatch& batch, const std::string& where);
    //< ch38
    //> ch31
    std::int64_t validateTimestamps(const common::record::DefaultRecordBatch& batch,
                                    const std::vector<common::record::DefaultRecord>& records,
                                    std::int64_t now) const;
    //< ch31

    const Settings settings_;
    mutable std::mutex mutex_;
    /*> ch30-32 stored-batches-members
    std::vector<StoredBatch> batches_;  // by offset
    */
    std::int64_t logEndOffset_ = 0;
    /*> ch30-32 log-end-position
    std::int64_t logEndPosition_ = 0;  // the bytes of every batch
    */
    //> ch32
    std::map<std::int64_t, std::unique_ptr<LogSegment>> segments_;  // by base offset
    std::int64_t unflushedMessages_ = 0;
    //> ch34
    std::int64_t recoveryPoint_ = 0;
    std::atomic<std::int64_t> logStartOffset_ = 0;
    bool closed_ = false;
    //< ch34
    const common::utils::Logger log_ =
        common::utils::LogContext("[LocalLog partition=" + settings_.topicPartition.toString() +
                                  ", dir=" + settings_.dir.parent_path().string() + "] ")
            .logger("LocalLog");
    //< ch32
    //> ch37
    ProducerStateManager producerStateManager_{settings_.topicPartition, settings_.dir};
    //< ch37
};

}  // namespace kafka::log
