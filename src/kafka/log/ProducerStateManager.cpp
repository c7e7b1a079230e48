//@ ch37
#include "kafka/log/ProducerStateManager.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/utils/ByteUtils.h"
#include "kafka/common/utils/Bytes.h"
#include "kafka/common/utils/Crc32C.h"
#include "kafka/common/utils/Utils.h"
#include "kafka/log/CorruptSnapshotException.h"
#include "kafka/log/LogSegment.h"

namespace kafka::log {

using common::utils::ByteUtils;

namespace {

// The snapshot's layout: version, CRC, then the entries (an int32 count, then each entry).
constexpr std::size_t kVersionOffset = 0;
constexpr std::size_t kCrcOffset = kVersionOffset + 2;
constexpr std::size_t kProducerEntriesOffset = kCrcOffset + 4;
// producer id, epoch, last sequence, last offset, offset delta, timestamp, coordinator epoch,
// first offset of the ongoing transaction.
constexpr std::size_t kEntrySize = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;

bool isSnapshotFile(const std::filesystem::path& file) {
    const std::string stem = file.stem().string();
    return file.extension() == ".snapshot" && stem.size() == 20 &&
           stem.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

ProducerStateManager::ProducerStateManager(common::TopicPartition topicPartition,
                                           std::filesystem::path logDir)
    : topicPartition_(std::move(topicPartition)),
      logDir_(std::move(logDir)),
      log_(common::utils::LogContext(
               "[ProducerStateManager partition=" + topicPartition_.toString() + "] ")
               .logger("ProducerStateManager")) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(logDir_, error))
        if (isSnapshotFile(entry.path()))
            snapshots_.insert(std::stoll(entry.path().stem().string()));
}

std::filesystem::path ProducerStateManager::snapshotFile(const std::filesystem::path& dir,
                                                         std::int64_t offset) {
    return dir / (LogSegment::filenamePrefixFromOffset(offset) + ".snapshot");
}

//> ch37 prepare-and-update
std::optional<ProducerStateEntry> ProducerStateManager::lastEntry(std::int64_t producerId) const {
    const auto found = producers_.find(producerId);
    if (found == producers_.end()) return std::nullopt;
    return found->second;
}

ProducerAppendInfo ProducerStateManager::prepareUpdate(std::int64_t producerId,
                                                       AppendOrigin origin) const {
    return ProducerAppendInfo(topicPartition_, producerId,
                              lastEntry(producerId).value_or(ProducerStateEntry::empty(producerId)),
                              origin);
}

void ProducerStateManager::update(const ProducerAppendInfo& appendInfo) {
    const auto [entry, inserted] =
        producers_.try_emplace(appendInfo.producerId(), appendInfo.toEntry());
    if (!inserted) entry->second.update(appendInfo.toEntry());
}
//< ch37 prepare-and-update

//> ch37 snapshots
void ProducerStateManager::takeSnapshot() {
    // Nothing new since the last snapshot: not worth another file.
    if (lastMapOffset_ <= lastSnapOffset_) return;
    writeSnapshot(snapshotFile(logDir_, lastMapOffset_), producers_);
    log_.info("Wrote producer snapshot at offset {} with {} producer ids", lastMapOffset_,
              producers_.size());
    snapshots_.insert(lastMapOffset_);
    lastSnapOffset_ = lastMapOffset_;
}

void ProducerStateManager::truncateAndReload(std::int64_t logStartOffset,
                                             std::int64_t logEndOffset) {
    for (auto it = snapshots_.begin(); it != snapshots_.end();) {
        const std::int64_t offset = *it++;
        if (offset > logEndOffset || offset <= logStartOffset) removeAndDeleteSnapshot(offset);
    }
    if (logEndOffset == lastMapOffset_) return;
    producers_.clear();
    loadFromSnapshot(logStartOffset);
}

void ProducerStateManager::loadFromSnapshot(std::int64_t logStartOffset) {
    while (!snapshots_.empty()) {
        const std::int64_t offset = *snapshots_.rbegin();
        const auto file = snapshotFile(logDir_, offset);
        try {
            log_.info("Loading producer state from snapshot file '{}'", file.string());
            // A producer's entries, oldest batch first, make up its entry again.
            for (auto& entry : readSnapshot(file)) {
                const auto [known, inserted] = producers_.try_emplace(entry.producerId(), entry);
                if (!inserted) known->second.update(entry);
            }
            lastSnapOffset_ = lastMapOffset_ = offset;
            return;
        } catch (const CorruptSnapshotException& e) {
            log_.warn("Failed to load producer snapshot from '{}': {}", file.string(), e.what());
            producers_.clear();
            removeAndDeleteSnapshot(offset);
        }
    }
    // No snapshot: the state is rebuilt from the first batch the log still has.
    lastSnapOffset_ = lastMapOffset_ = logStartOffset;
}

void ProducerStateManager::removeStraySnapshots(
    const std::vector<std::int64_t>& segmentBaseOffsets) {
    std::optional<std::int64_t> latestStray;
    for (auto it = snapshots_.begin(); it != snapshots_.end();) {
        const std::int64_t offset = *it++;
        if (std::ranges::find(segmentBaseOffsets, offset) != segmentBaseOffsets.end()) continue;
        if (latestStray) removeAndDeleteSnapshot(*latestStray);
        latestStray = offset;
    }
    // The latest stray one stays only if it lies beyond the last segment's first offset: a
    // clean shutdown's, at the log end.
    if (latestStray && !segmentBaseOffsets.empty() &&
        *latestStray < *std::ranges::max_element(segmentBaseOffsets))
        removeAndDeleteSnapshot(*latestStray);
}

void ProducerStateManager::deleteSnapshotsBefore(std::int64_t offset) {
    while (!snapshots_.empty() && *snapshots_.begin() < offset)
        removeAndDeleteSnapshot(*snapshots_.begin());
}

std::optional<std::int64_t> ProducerStateManager::latestSnapshotOffset() const {
    if (snapshots_.empty()) return std::nullopt;
    return *snapshots_.rbegin();
}

void ProducerStateManager::removeAndDeleteSnapshot(std::int64_t offset) {
    snapshots_.erase(offset);
    std::error_code error;
    std::filesystem::remove(snapshotFile(logDir_, offset), error);
}
//< ch37 snapshots

//> ch37 snapshot-format
void ProducerStateManager::writeSnapshot(
    const std::filesystem::path& file, const std::map<std::int64_t, ProducerStateEntry>& entries) {
    // One entry per remembered batch, oldest first, or one without a batch for a producer
    // whose batches are all gone. Kafka writes only each producer's last batch; its reader
    // keeps a producer's last entry, so it reads this file as it would read its own.
    std::size_t count = 0;
    for (const auto& [producerId, entry] : entries)
        count += std::max<std::size_t>(entry.batchMetadata().size(), 1);
    common::utils::Bytes buffer(kProducerEntriesOffset + 4 + count * kEntrySize);
    ByteUtils::writeBigEndian(buffer, kVersionOffset, kSnapshotVersion);
    std::size_t at = kProducerEntriesOffset;
    ByteUtils::writeBigEndian(buffer, at, static_cast<std::int32_t>(count));
    at += 4;
    auto write = [&](const ProducerStateEntry& entry, const BatchMetadata& batch) {
        ByteUtils::writeBigEndian(buffer, at, entry.producerId());
        ByteUtils::writeBigEndian(buffer, at + 8, entry.producerEpoch());
        ByteUtils::writeBigEndian(buffer, at + 10, batch.lastSeq);
        ByteUtils::writeBigEndian(buffer, at + 14, batch.lastOffset);
        ByteUtils::writeBigEndian(buffer, at + 22, batch.offsetDelta);
        ByteUtils::writeBigEndian(buffer, at + 26, batch.timestamp);
        ByteUtils::writeBigEndian(buffer, at + 34, entry.coordinatorEpoch());
        ByteUtils::writeBigEndian(buffer, at + 38, std::int64_t{-1});  // no transaction
        at += kEntrySize;
    };
    for (const auto& [producerId, entry] : entries) {
        if (entry.isEmpty())  // last sequence -1, last offset -1: no batch
            write(entry, BatchMetadata{.timestamp = entry.lastTimestamp()});
        for (const auto& batch : entry.batchMetadata()) write(entry, batch);
    }
    // The CRC covers everything after itself, and is written last.
    const std::uint32_t crc =
        common::utils::Crc32C::compute(std::span(buffer).subspan(kProducerEntriesOffset));
    ByteUtils::writeBigEndian(buffer, kCrcOffset, crc);

    // On the disk, whole, before the log relies on it: a snapshot lets a start skip the log's
    // batches. (Kafka writes it in place and fsyncs it; a torn one fails its CRC there.)
    common::utils::Utils::atomicWriteFile(
        file, std::string_view(reinterpret_cast<const char*>(buffer.data()), buffer.size()));
}

std::vector<ProducerStateEntry> ProducerStateManager::readSnapshot(
    const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const common::utils::Bytes buffer((std::istreambuf_iterator<char>(in)),
                                      std::istreambuf_iterator<char>());
    const auto corrupt = [&](const std::string& why) {
        return CorruptSnapshotException("Snapshot " + file.string() + " " + why);
    };
    if (buffer.size() < kProducerEntriesOffset + 4) throw corrupt("is too short");
    const auto version = ByteUtils::readBigEndian<std::int16_t>(buffer, kVersionOffset);
    if (version != kSnapshotVersion)
        throw corrupt("contained an unknown file version " + std::to_string(version));
    const auto crc = ByteUtils::readBigEndian<std::uint32_t>(buffer, kCrcOffset);
    const auto computed =
        common::utils::Crc32C::compute(std::span(buffer).subspan(kProducerEntriesOffset));
    if (crc != computed)
        throw corrupt("is corrupt (CRC is no longer valid). Stored crc: " + std::to_string(crc) +
                      ". Computed crc: " + std::to_string(computed));
    const auto count = ByteUtils::readBigEndian<std::int32_t>(buffer, kProducerEntriesOffset);
    // Checked against the bytes there are, never trusted.
    if (count < 0 || buffer.size() != kProducerEntriesOffset + 4 + std::size_t(count) * kEntrySize)
        throw corrupt("holds " + std::to_string(buffer.size()) + " bytes for " +
                      std::to_string(count) + " entries");
    std::vector<ProducerStateEntry> entries;
    for (std::size_t at = kProducerEntriesOffset + 4; at < buffer.size(); at += kEntrySize) {
        const auto lastOffset = ByteUtils::readBigEndian<std::int64_t>(buffer, at + 14);
        const auto timestamp = ByteUtils::readBigEndian<std::int64_t>(buffer, at + 26);
        std::optional<BatchMetadata> batch;
        // A producer whose batches are all gone is kept, with its epoch, and no batch.
        if (lastOffset >= 0)
            batch =
                BatchMetadata{ByteUtils::readBigEndian<std::int32_t>(buffer, at + 10), lastOffset,
                              ByteUtils::readBigEndian<std::int32_t>(buffer, at + 22), timestamp};
        entries.emplace_back(ByteUtils::readBigEndian<std::int64_t>(buffer, at),
                             ByteUtils::readBigEndian<std::int16_t>(buffer, at + 8),
                             ByteUtils::readBigEndian<std::int32_t>(buffer, at + 34), timestamp,
                             batch);
    }
    return entries;
}
//< ch37 snapshot-format

}  // namespace kafka::log
