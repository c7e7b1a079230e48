//@ ch37
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/utils/LogContext.h"
#include "kafka/log/ProducerAppendInfo.h"
#include "kafka/log/ProducerStateEntry.h"

namespace kafka::log {

/// What a partition remembers of its idempotent producers (Kafka's ProducerStateManager): per
/// producer id, its epoch and last five batches, up to the log's "map end offset". It is kept
/// in memory and written down in snapshot files beside the segments,
/// `00000000000000000042.snapshot` (the state as of offset 42), in Kafka's format, so that a
/// broker that starts again reads the latest snapshot and the batches after it, not the whole
/// log. Not thread-safe: its Log's lock guards it.
class ProducerStateManager {
public:
    static constexpr std::int16_t kSnapshotVersion = 1;

    ProducerStateManager(common::TopicPartition topicPartition, std::filesystem::path logDir);

    /// The producer's entry, if the partition knows it.
    std::optional<ProducerStateEntry> lastEntry(std::int64_t producerId) const;
    /// Starts checking an append of `producerId`'s batches against what is known of it.
    ProducerAppendInfo prepareUpdate(std::int64_t producerId, AppendOrigin origin) const;
    /// The append was done: the producer's entry takes what it learned.
    void update(const ProducerAppendInfo& appendInfo);
    /// The state now covers the log up to (not including) `offset`.
    void updateMapEndOffset(std::int64_t offset) { lastMapOffset_ = offset; }
    std::int64_t mapEndOffset() const { return lastMapOffset_; }
    const std::map<std::int64_t, ProducerStateEntry>& activeProducers() const { return producers_; }

    /// Writes the state to `<mapEndOffset>.snapshot`, unless a snapshot of that offset exists.
    void takeSnapshot();
    /// Makes the state the log's as of `logEndOffset`: snapshots past it or not after
    /// `logStartOffset` are deleted and, unless the state is already there, it is cleared and
    /// loaded from the latest snapshot left (a corrupt one is deleted, and the one before it
    /// tried). The batches after mapEndOffset() must then be replayed by the log.
    void truncateAndReload(std::int64_t logStartOffset, std::int64_t logEndOffset);
    /// Deletes the snapshots that are at none of `segmentBaseOffsets`, except the latest of
    /// them if it lies beyond the last segment's base (Kafka's removeStraySnapshots): a clean
    /// shutdown leaves one at the log end, each earlier shutdown left one that is now stale.
    void removeStraySnapshots(const std::vector<std::int64_t>& segmentBaseOffsets);
    /// Deletes the snapshots of offsets below `offset` (retention deleted their segments).
    void deleteSnapshotsBefore(std::int64_t offset);
    std::optional<std::int64_t> latestSnapshotOffset() const;

    static std::filesystem::path snapshotFile(const std::filesystem::path& dir,
                                              std::int64_t offset);
    /// Kafka's snapshot format: version (int16, 1), CRC-32C (uint32) of what follows, and the
    /// entries as an array, here one per remembered batch (Kafka writes one per producer, with
    /// its last batch). Throws CorruptSnapshotException for anything else.
    static std::vector<ProducerStateEntry> readSnapshot(const std::filesystem::path& file);
    static void writeSnapshot(const std::filesystem::path& file,
                              const std::map<std::int64_t, ProducerStateEntry>& entries);

private:
    void loadFromSnapshot(std::int64_t logStartOffset);
    void removeAndDeleteSnapshot(std::int64_t offset);

    common::TopicPartition topicPartition_;
    std::filesystem::path logDir_;
    std::map<std::int64_t, ProducerStateEntry> producers_;
    std::set<std::int64_t> snapshots_;  // the offsets of the snapshot files in logDir_
    std::int64_t lastMapOffset_ = 0;
    std::int64_t lastSnapOffset_ = 0;
    const common::utils::Logger log_;
};

}  // namespace kafka::log
