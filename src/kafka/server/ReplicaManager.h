//@ ch31
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>

#include "kafka/cluster/Partition.h"
#include "kafka/common/TopicPartition.h"
#include "kafka/common/requests/ProduceResponse.h"
#include "kafka/log/LogManager.h"

namespace kafka::server {

/// The broker's partitions and the way into their logs (Kafka's ReplicaManager). In Kafka it
/// also runs the followers' fetchers and the purgatories that wait for replication; on a
/// broker that is the only replica of everything, the write path is what remains: a Produce
/// request's partitions, each appended to its leader's log, each answered on its own.
class ReplicaManager {
public:
    using PartitionResponse = common::requests::ProduceResponse::PartitionResponse;

    struct Settings {
        std::shared_ptr<log::LogManager> logManager;
        std::int32_t localBrokerId = 0;
    };

    explicit ReplicaManager(Settings settings) : settings_(std::move(settings)) {}

    /// Appends each partition's records to its log (Kafka's appendRecords, for a Produce
    /// request). Each partition gets its own answer: its base offset, or the error that
    /// refused it while the others were written. Invalid acks refuse every partition.
    std::map<common::TopicPartition, PartitionResponse> appendRecords(
        std::int16_t requiredAcks,
        const std::map<common::TopicPartition, std::span<const std::uint8_t>>& entriesPerPartition);

    /// The partition `tp` as this broker hosts it, or nullptr if its topic or partition does
    /// not exist.
    std::shared_ptr<cluster::Partition> getPartition(const common::TopicPartition& tp);

    const std::shared_ptr<log::LogManager>& logManager() const { return settings_.logManager; }

private:
    PartitionResponse appendToLocalLog(const common::TopicPartition& tp,
                                       std::span<const std::uint8_t> records,
                                       std::int16_t requiredAcks);

    const Settings settings_;
    std::mutex mutex_;
    std::map<common::TopicPartition, std::shared_ptr<cluster::Partition>> allPartitions_;
};

}  // namespace kafka::server
