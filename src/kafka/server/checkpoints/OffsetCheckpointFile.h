//@ ch34
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>

#include "kafka/common/TopicPartition.h"

namespace kafka::server::checkpoints {

/// A file of one offset per partition (Kafka's OffsetCheckpointFile): a log directory's
/// `recovery-point-offset-checkpoint` and `log-start-offset-checkpoint`. Text, as Kafka writes
/// it: the format's version (0), the number of entries, then one "topic partition offset" line
/// each:
///
///     0
///     2
///     orders 0 15
///     orders 1 0
class OffsetCheckpointFile {
public:
    static constexpr int kCurrentVersion = 0;

    explicit OffsetCheckpointFile(std::filesystem::path file) : file_(std::move(file)) {}

    const std::filesystem::path& file() const { return file_; }

    /// Replaces the file's content with `offsets`, atomically: written to `<file>.tmp`, put on
    /// the disk, then renamed over the file, so that a crash leaves the old file or the new one,
    /// never half of one. Throws KafkaStorageException naming the file.
    void write(const std::map<common::TopicPartition, std::int64_t>& offsets) const;

    /// The offsets in the file; none if there is no file. Throws KafkaStorageException naming
    /// the file and the line for anything else than the format above.
    std::map<common::TopicPartition, std::int64_t> read() const;

private:
    std::filesystem::path file_;
};

}  // namespace kafka::server::checkpoints
