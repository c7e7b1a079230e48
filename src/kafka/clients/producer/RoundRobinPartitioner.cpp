//@ ch06
#include "kafka/clients/producer/RoundRobinPartitioner.h"

#include "kafka/common/utils/Utils.h"

namespace kafka::clients::producer {

//> ch06 round-robin
std::int32_t RoundRobinPartitioner::partition(const std::string& topic,
                                              std::optional<common::utils::ByteView>,
                                              std::optional<common::utils::ByteView>,
                                              const common::Cluster& cluster) {
    std::uint32_t next;
    {
        std::lock_guard lock(mutex_);
        next = topicCounters_[topic]++;
    }
    const auto position = common::utils::Utils::toPositive(static_cast<std::int32_t>(next));
    const auto& available = cluster.availablePartitionsForTopic(topic);
    if (!available.empty())
        return available[static_cast<std::size_t>(position) % available.size()].partition;
    // No partition has a leader: any partition will do; the record waits there.
    return position % cluster.partitionCountForTopic(topic).value_or(1);
}
//< ch06 round-robin

}  // namespace kafka::clients::producer
