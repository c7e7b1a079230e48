//@ ch32
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

#include "kafka/common/utils/Bytes.h"

namespace kafka::common::record {

/// Record batches in a file (Kafka's FileRecords): a log segment's .log file, written at its
/// end and read at any position. The bytes are exactly what the producer's batch held once the
/// broker stamped it: a segment file is a concatenation of record batches v2, nothing around
/// them, so that Kafka's own tools read it. Appends come one at a time (the log's lock); reads
/// may run alongside them.
class FileRecords {
public:
    /// A batch in the file, known by its header alone (Kafka's FileChannelRecordBatch, which
    /// reads no record until asked).
    struct FileBatch {
        std::int64_t baseOffset;
        std::int64_t lastOffset;
        std::int64_t maxTimestamp;
        std::int32_t position;
        std::int32_t size;
    };

    /// A record found by its timestamp (Kafka's FileRecords.TimestampAndOffset).
    struct TimestampAndOffset {
        std::int64_t timestamp;
        std::int64_t offset;
    };

    /// Opens `file`, creating it if it does not exist. Its size is the file's length. Throws
    /// KafkaStorageException naming the file and the system's reason.
    static FileRecords open(const std::filesystem::path& file);

    FileRecords(FileRecords&& other) noexcept;
    FileRecords& operator=(FileRecords&&) = delete;
    FileRecords(const FileRecords&) = delete;
    ~FileRecords();

    const std::filesystem::path& file() const { return file_; }
    std::int32_t sizeInBytes() const { return size_.load(std::memory_order_acquire); }

    /// Writes `records`, then `moreRecords`, at the end of the file, in one write; returns the
    /// bytes written. The bytes are in the page cache when it returns, not necessarily on the
    /// disk: flush() puts them there. Two pieces let a broker write a batch whose header it
    /// stamped in a copy without copying the rest (Kafka's FileRecords.append writes the
    /// request's buffer itself).
    std::int32_t append(std::span<const std::uint8_t> records,
                        std::span<const std::uint8_t> moreRecords = {});

    /// fsync: the file's bytes on the disk (Kafka's channel.force(true)).
    void flush();
    //> ch34
    /// Cuts the file to its first `size` bytes (a recovery cuts a torn tail). Returns the bytes
    /// cut. Throws KafkaStorageException naming the file.
    std::int32_t truncateTo(std::int32_t size);
    //< ch34

    /// `size` bytes from `position`, fewer if the file ends before.
    utils::Bytes read(std::int32_t position, std::int32_t size) const;

    /// The batch that starts at `position`, or nothing at the end of the file or where the
    /// bytes left are too few for the batch its header announces (a torn write).
    std::optional<FileBatch> batchAt(std::int32_t position) const;

    /// The first batch at or after `startingPosition` whose last offset is at least
    /// `targetOffset`, found by reading batch headers one after the other; nothing if no batch
    /// reaches it.
    std::optional<FileBatch> searchForOffsetFromPosition(std::int64_t targetOffset,
                                                         std::int32_t startingPosition) const;

    /// The first record at or after `startingPosition`, with an offset of at least
    /// `startingOffset`, whose timestamp is at least `targetTimestamp`; nothing if none is.
    /// Batches whose max timestamp is lower are skipped by their header alone.
    std::optional<TimestampAndOffset> searchForTimestamp(std::int64_t targetTimestamp,
                                                         std::int32_t startingPosition,
                                                         std::int64_t startingOffset) const;

private:
    FileRecords(std::filesystem::path file, int fd, std::int32_t size);

    std::filesystem::path file_;
    int fd_ = -1;
    std::atomic<std::int32_t> size_;
};

}  // namespace kafka::common::record
