//@ ch31
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "kafka/common/TopicPartition.h"
#include "kafka/log/Log.h"
#include "kafka/log/LogAppendInfo.h"

namespace kafka::cluster {

/// One partition as a broker hosts it (Kafka's kafka.cluster.Partition): the local log and
/// what replication knows of it, the leader epoch, the in-sync replicas (ISR) and the high
/// watermark. In a cluster the leader appends and followers copy; this broker leads every
/// partition and is its only replica, so the ISR is this broker alone, and the high
/// watermark, the offset below which every in-sync replica has the records, is the log end.
class Partition {
public:
    Partition(std::shared_ptr<log::Log> log, std::int32_t localBrokerId)
        : log_(std::move(log)), inSyncReplicaIds_{localBrokerId} {}

    const common::TopicPartition& topicPartition() const { return log_->topicPartition(); }
    const std::shared_ptr<log::Log>& log() const { return log_; }

    /// Appends a producer's records as the leader (Kafka's appendRecordsToLeader). With
    /// acks=all (-1) and fewer in-sync replicas than min.insync.replicas, nothing is written:
    /// NotEnoughReplicasException. Whatever the log refuses, it throws (an ApiException).
    log::LogAppendInfo appendRecordsToLeader(std::span<const std::uint8_t> records,
                                             std::int16_t requiredAcks);

    /// The epoch of the current leader: 0, for a partition with one leader since it was made.
    std::int32_t leaderEpoch() const { return 0; }
    const std::vector<std::int32_t>& inSyncReplicaIds() const { return inSyncReplicaIds_; }
    /// What consumers may read up to: every record that each in-sync replica holds.
    std::int64_t highWatermark() const { return log_->logEndOffset(); }

private:
    const std::shared_ptr<log::Log> log_;
    const std::vector<std::int32_t> inSyncReplicaIds_;
};

}  // namespace kafka::cluster
