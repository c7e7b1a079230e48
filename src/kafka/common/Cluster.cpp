//@ ch03
#include "kafka/common/Cluster.h"

#include "kafka/common/errors/Exceptions.h"

namespace kafka::common {

namespace {
const std::vector<PartitionInfo> kNoPartitions;
}

//> ch03 indexes
Cluster::Cluster(std::optional<std::string> clusterId, std::vector<Node> nodes,
                 std::vector<PartitionInfo> partitions, std::set<std::string> unauthorizedTopics)
    : clusterId_(std::move(clusterId)),
      nodes_(std::move(nodes)),
      unauthorizedTopics_(std::move(unauthorizedTopics)) {
    for (const auto& node : nodes_) nodesById_.emplace(node.id(), node);
    for (auto& info : partitions) {
        if (info.leader && !nodesById_.contains(info.leader->id()))
            throw errors::IllegalArgumentException(
                "Partition " + TopicPartition{info.topic, info.partition}.toString() +
                " is led by broker " + info.leader->idString() + ", which is not in the cluster");
        partitionsByTopic_[info.topic].push_back(info);
        if (info.leader) {
            availablePartitionsByTopic_[info.topic].push_back(info);
            partitionsByNode_[info.leader->id()].push_back(info);
        }
        partitionsByTopicPartition_.emplace(TopicPartition{info.topic, info.partition}, info);
    }
}
//< ch03 indexes

std::shared_ptr<const Cluster> Cluster::empty() {
    static const auto emptyCluster = std::make_shared<const Cluster>(
        std::nullopt, std::vector<Node>{}, std::vector<PartitionInfo>{});
    return emptyCluster;
}

//> ch03 bootstrap
std::shared_ptr<const Cluster> Cluster::bootstrap(const std::vector<clients::HostAndPort>& hosts) {
    std::vector<Node> nodes;
    std::int32_t nodeId = -1;
    for (const auto& host : hosts) nodes.emplace_back(nodeId--, host.host, host.port);
    auto cluster =
        std::make_shared<Cluster>(std::nullopt, std::move(nodes), std::vector<PartitionInfo>{});
    cluster->isBootstrapConfigured_ = true;
    return cluster;
}
//< ch03 bootstrap

std::optional<Node> Cluster::nodeById(std::int32_t id) const {
    const auto it = nodesById_.find(id);
    return it == nodesById_.end() ? std::nullopt : std::optional(it->second);
}

std::optional<Node> Cluster::leaderFor(const TopicPartition& tp) const {
    const auto* info = partition(tp);
    return info ? info->leader : std::nullopt;
}

const PartitionInfo* Cluster::partition(const TopicPartition& tp) const {
    const auto it = partitionsByTopicPartition_.find(tp);
    return it == partitionsByTopicPartition_.end() ? nullptr : &it->second;
}

const std::vector<PartitionInfo>& Cluster::partitionsForTopic(const std::string& topic) const {
    const auto it = partitionsByTopic_.find(topic);
    return it == partitionsByTopic_.end() ? kNoPartitions : it->second;
}

const std::vector<PartitionInfo>& Cluster::availablePartitionsForTopic(
    const std::string& topic) const {
    const auto it = availablePartitionsByTopic_.find(topic);
    return it == availablePartitionsByTopic_.end() ? kNoPartitions : it->second;
}

const std::vector<PartitionInfo>& Cluster::partitionsForNode(std::int32_t nodeId) const {
    const auto it = partitionsByNode_.find(nodeId);
    return it == partitionsByNode_.end() ? kNoPartitions : it->second;
}

std::optional<std::int32_t> Cluster::partitionCountForTopic(const std::string& topic) const {
    const auto it = partitionsByTopic_.find(topic);
    if (it == partitionsByTopic_.end()) return std::nullopt;
    return static_cast<std::int32_t>(it->second.size());
}

std::set<std::string> Cluster::topics() const {
    std::set<std::string> names;
    for (const auto& [topic, partitions] : partitionsByTopic_) names.insert(topic);
    return names;
}

}  // namespace kafka::common
