//@ ch38
#pragma once

#include <optional>
#include <vector>

#include "kafka/common/record/CompressionType.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/utils/Bytes.h"
#include "kafka/log/LogConfig.h"

namespace kafka::log {

/// What the log stores of a batch it has validated, as Kafka's LogValidator decides it for a
/// compressed batch (validateMessagesAndAssignOffsetsCompressed). Kafka's class does two jobs:
/// it checks every record, and it chooses between keeping the producer's bytes and building
/// the batch again. Here the checks stay in Log::validate and Log::validateTimestamps
/// (chapters 30 and 31), which read a compressed batch's records like any other's once
/// records() decompresses; this class is the second job, the one compression brings. The
/// records are decompressed once per append: buildRecords() takes those Log::validate read.
///
/// The choice: a batch stays as the producer sent it ("in-place assignment": only its base
/// offset, partition leader epoch, max timestamp and CRC change, and the compressed bytes stay
/// byte for byte) when its codec is the one the topic keeps, which with compression.type
/// "producer", Kafka's default, is always the case. Otherwise its records go into a new batch
/// compressed with the topic's codec (buildRecordsAndAssignOffsets).
///
/// A view: `batch` and `config` must outlive it. Stateless beyond them; any thread.
class LogValidator {
public:
    /// `batch` has passed Log::validate: its codec id is one of 0 to 4, its records parse.
    LogValidator(const common::record::DefaultRecordBatch& batch, const LogConfig& config);

    /// The batch's codec, as the producer chose it.
    common::record::CompressionType sourceCompression() const { return source_; }
    /// The codec the log keeps it in: the topic's compression.type, or the producer's with
    /// "producer" (Kafka's BrokerCompressionType.targetCompression).
    common::record::CompressionType targetCompression() const { return target_; }
    /// Whether the batch is stored as the producer sent it.
    bool inPlaceAssignment() const { return source_ == target_; }

    /// The batch built again with the target codec at the topic's level: the same records (keys,
    /// values, headers, timestamps), offset deltas 0 to n-1, the same producer id, epoch, base
    /// sequence and transactional flag. Base offset 0 and the producer's partition leader
    /// epoch, as a producer's batch has them: Log::append stamps both, and the timestamp
    /// type, as it stamps a batch kept in place.
    /// `records` are the batch's, as Log::validate read them: the batch is not decompressed
    /// again.
    common::utils::Bytes buildRecords(
        const std::vector<common::record::DefaultRecord>& records) const;

    /// The level `config` gives `type`'s codec, or nothing for a codec without levels.
    static std::optional<int> levelFor(const LogConfig& config,
                                       common::record::CompressionType type);

private:
    const common::record::DefaultRecordBatch& batch_;
    const LogConfig& config_;
    common::record::CompressionType source_;
    common::record::CompressionType target_;
};

}  // namespace kafka::log
