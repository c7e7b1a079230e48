//@ ch03
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "kafka/clients/ClientUtils.h"
#include "kafka/common/Node.h"
#include "kafka/common/PartitionInfo.h"
#include "kafka/common/TopicPartition.h"

namespace kafka::common {

/// An immutable snapshot of the cluster: its brokers, and for each partition its leader and
/// replicas. Kafka never changes a Cluster: a metadata refresh builds a new one and swaps it
/// in, so the I/O thread and the threads calling send() can read it without a lock.
/// The constructor builds every index the producer asks for on its hot paths once.
class Cluster {
public:
    Cluster(std::optional<std::string> clusterId, std::vector<Node> nodes,
            std::vector<PartitionInfo> partitions, std::set<std::string> unauthorizedTopics = {});

    static std::shared_ptr<const Cluster> empty();
    /// The cluster a producer starts with: only the bootstrap brokers, with ids -1, -2, ...
    static std::shared_ptr<const Cluster> bootstrap(const std::vector<clients::HostAndPort>& hosts);

    const std::vector<Node>& nodes() const { return nodes_; }
    std::optional<Node> nodeById(std::int32_t id) const;
    /// The partition's leader, or nothing when the partition is unknown or leaderless.
    std::optional<Node> leaderFor(const TopicPartition& tp) const;
    const PartitionInfo* partition(const TopicPartition& tp) const;
    /// Every partition of the topic, with or without a leader.
    const std::vector<PartitionInfo>& partitionsForTopic(const std::string& topic) const;
    /// Only the partitions that have a leader right now.
    const std::vector<PartitionInfo>& availablePartitionsForTopic(const std::string& topic) const;
    const std::vector<PartitionInfo>& partitionsForNode(std::int32_t nodeId) const;
    /// The number of partitions, or nothing when the topic is unknown.
    std::optional<std::int32_t> partitionCountForTopic(const std::string& topic) const;
    std::set<std::string> topics() const;
    const std::set<std::string>& unauthorizedTopics() const { return unauthorizedTopics_; }
    const std::optional<std::string>& clusterId() const { return clusterId_; }
    bool isBootstrapConfigured() const { return isBootstrapConfigured_; }

private:
    std::optional<std::string> clusterId_;
    std::vector<Node> nodes_;
    std::set<std::string> unauthorizedTopics_;
    bool isBootstrapConfigured_ = false;
    std::unordered_map<std::int32_t, Node> nodesById_;
    std::map<TopicPartition, PartitionInfo> partitionsByTopicPartition_;
    std::map<std::string, std::vector<PartitionInfo>> partitionsByTopic_;
    std::map<std::string, std::vector<PartitionInfo>> availablePartitionsByTopic_;
    std::map<std::int32_t, std::vector<PartitionInfo>> partitionsByNode_;
};

}  // namespace kafka::common
