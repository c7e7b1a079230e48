//@ ch14
#include "kafka/common/requests/MetadataResponse.h"

#include <limits>
#include <map>

namespace kafka::common::requests {

namespace {

// The smallest encodings of each array element, to bound counts before reading them.
constexpr std::size_t kMinBrokerSize = 4 + 2 + 4;             // id, empty host, port
constexpr std::size_t kMinTopicSize = 2 + 2 + 4;              // error, empty name, no partitions
constexpr std::size_t kMinPartitionSize = 2 + 4 + 4 + 4 + 4;  // error, index, leader, 2 arrays

std::vector<std::int32_t> readInt32Array(protocol::Readable& in, const char* field) {
    std::vector<std::int32_t> values(static_cast<std::size_t>(in.readArrayLength(field, 4)));
    for (auto& value : values) value = in.readInt32();
    return values;
}

MetadataResponse::PartitionMetadata readPartition(protocol::Readable& in, std::int16_t version) {
    MetadataResponse::PartitionMetadata partition;
    partition.error = static_cast<protocol::Errors>(in.readInt16());
    partition.partition = in.readInt32();
    partition.leaderId = in.readInt32();
    if (version >= 7) partition.leaderEpoch = in.readInt32();
    partition.replicaIds = readInt32Array(in, "replica_nodes");
    partition.inSyncReplicaIds = readInt32Array(in, "isr_nodes");
    if (version >= 5) partition.offlineReplicaIds = readInt32Array(in, "offline_replicas");
    return partition;
}

MetadataResponse::TopicMetadata readTopic(protocol::Readable& in, std::int16_t version) {
    MetadataResponse::TopicMetadata topic;
    topic.error = static_cast<protocol::Errors>(in.readInt16());
    topic.name = in.readString("topic name");
    if (version >= 1) topic.isInternal = in.readBoolean();
    const auto partitions = in.readArrayLength("partitions", kMinPartitionSize);
    for (std::int32_t i = 0; i < partitions; ++i)
        topic.partitions.push_back(readPartition(in, version));
    if (version >= 8) in.readInt32();  // topic_authorized_operations
    return topic;
}

}  // namespace

std::shared_ptr<const MetadataResponse> MetadataResponse::parse(protocol::Readable& in,
                                                                std::int16_t version) {
    if (version >= 3) in.readInt32();  // throttle_time_ms
    std::vector<Node> brokers;
    const auto brokerCount = in.readArrayLength("brokers", kMinBrokerSize);
    for (std::int32_t i = 0; i < brokerCount; ++i) {
        const std::int32_t id = in.readInt32();
        std::string host = in.readString("host");
        const std::int32_t port = in.readInt32();
        std::optional<std::string> rack;
        if (version >= 1) rack = in.readNullableString("rack");
        brokers.emplace_back(id, std::move(host), port, std::move(rack));
    }
    std::optional<std::string> clusterId;
    if (version >= 2) clusterId = in.readNullableString("cluster_id");
    const std::int32_t controllerId = version >= 1 ? in.readInt32() : -1;
    std::vector<TopicMetadata> topics;
    const auto topicCount = in.readArrayLength("topics", kMinTopicSize);
    for (std::int32_t i = 0; i < topicCount; ++i) topics.push_back(readTopic(in, version));
    if (version >= 8) in.readInt32();  // cluster_authorized_operations
    return std::make_shared<const MetadataResponse>(std::move(brokers), std::move(clusterId),
                                                    controllerId, std::move(topics));
}

//> ch30
// Kafka's value for "authorized operations were not asked for" (v8+).
constexpr std::int32_t kOperationsNotAsked = std::numeric_limits<std::int32_t>::min();

void MetadataResponse::write(protocol::Writable& out, std::int16_t version) const {
    auto writeInt32Array = [&out](const std::vector<std::int32_t>& values) {
        out.writeArrayLength(static_cast<std::int32_t>(values.size()));
        for (const auto value : values) out.writeInt32(value);
    };
    if (version >= 3) out.writeInt32(0);  // throttle_time_ms
    out.writeArrayLength(static_cast<std::int32_t>(brokers_.size()));
    for (const auto& broker : brokers_) {
        out.writeInt32(broker.id());
        out.writeString(broker.host());
        out.writeInt32(broker.port());
        if (version >= 1) out.writeNullableString(broker.rack());
    }
    if (version >= 2) out.writeNullableString(clusterId_);
    if (version >= 1) out.writeInt32(controllerId_);
    out.writeArrayLength(static_cast<std::int32_t>(topics_.size()));
    for (const auto& topic : topics_) {
        out.writeInt16(protocol::code(topic.error));
        out.writeString(topic.name);
        if (version >= 1) out.writeBoolean(topic.isInternal);
        out.writeArrayLength(static_cast<std::int32_t>(topic.partitions.size()));
        for (const auto& p : topic.partitions) {
            out.writeInt16(protocol::code(p.error));
            out.writeInt32(p.partition);
            out.writeInt32(p.leaderId);
            if (version >= 7) out.writeInt32(p.leaderEpoch);
            writeInt32Array(p.replicaIds);
            writeInt32Array(p.inSyncReplicaIds);
            if (version >= 5) writeInt32Array(p.offlineReplicaIds);
        }
        if (version >= 8) out.writeInt32(kOperationsNotAsked);
    }
    if (version >= 8) out.writeInt32(kOperationsNotAsked);
}
//< ch30

std::shared_ptr<const Cluster> MetadataResponse::buildCluster() const {
    std::map<std::int32_t, Node> nodesById;
    for (const auto& broker : brokers_) nodesById.emplace(broker.id(), broker);
    // A replica on a broker that is down is not in the broker list: Kafka still names it,
    // with no address.
    auto nodeFor = [&](std::int32_t id) {
        const auto found = nodesById.find(id);
        return found != nodesById.end() ? found->second : Node(id, "", -1);
    };
    auto nodesFor = [&](const std::vector<std::int32_t>& ids) {
        std::vector<Node> nodes;
        for (const auto id : ids) nodes.push_back(nodeFor(id));
        return nodes;
    };
    std::vector<PartitionInfo> partitions;
    for (const auto& topic : topics_) {
        if (topic.error != protocol::Errors::kNone) continue;
        for (const auto& p : topic.partitions) {
            PartitionInfo info{topic.name, p.partition, std::nullopt, nodesFor(p.replicaIds),
                               nodesFor(p.inSyncReplicaIds)};
            if (nodesById.contains(p.leaderId)) info.leader = nodesById.at(p.leaderId);
            partitions.push_back(std::move(info));
        }
    }
    return std::make_shared<const Cluster>(clusterId_, brokers_, std::move(partitions));
}

}  // namespace kafka::common::requests
