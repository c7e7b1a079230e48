//@ ch14
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kafka/common/Cluster.h"
#include "kafka/common/Node.h"
#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::common::requests {

/// The cluster as one broker sees it (Kafka's MetadataResponse): every live broker, and for
/// each topic asked about an error code (UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE while
/// it is being created, ...) or its partitions with their leader and replicas, by broker id.
class MetadataResponse final : public AbstractResponse {
public:
    struct PartitionMetadata {
        protocol::Errors error = protocol::Errors::kNone;
        std::int32_t partition = 0;
        std::int32_t leaderId = -1;  // -1: no leader right now
        std::int32_t leaderEpoch = -1;
        std::vector<std::int32_t> replicaIds;
        std::vector<std::int32_t> inSyncReplicaIds;
        std::vector<std::int32_t> offlineReplicaIds;
    };
    struct TopicMetadata {
        protocol::Errors error = protocol::Errors::kNone;
        std::string name;
        bool isInternal = false;
        std::vector<PartitionMetadata> partitions;
    };

    MetadataResponse(std::vector<Node> brokers, std::optional<std::string> clusterId,
                     std::int32_t controllerId, std::vector<TopicMetadata> topics)
        : brokers_(std::move(brokers)),
          clusterId_(std::move(clusterId)),
          controllerId_(controllerId),
          topics_(std::move(topics)) {}

    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kMetadata; }
    const std::vector<Node>& brokers() const { return brokers_; }
    const std::optional<std::string>& clusterId() const { return clusterId_; }
    std::int32_t controllerId() const { return controllerId_; }
    const std::vector<TopicMetadata>& topics() const { return topics_; }

    /// The snapshot the producer works from: the brokers, and the partitions of every topic
    /// that came without an error, with leader and replicas resolved from ids to nodes.
    std::shared_ptr<const Cluster> buildCluster() const;

    /// Versions 0 to 8.
    static std::shared_ptr<const MetadataResponse> parse(protocol::Readable& in,
                                                         std::int16_t version);
    //> ch30
    /// Versions 0 to 8 (version 0 has no rack, controller or is_internal).
    void write(protocol::Writable& out, std::int16_t version) const;
    //< ch30

private:
    std::vector<Node> brokers_;
    std::optional<std::string> clusterId_;
    std::int32_t controllerId_;
    std::vector<TopicMetadata> topics_;
};

}  // namespace kafka::common::requests
