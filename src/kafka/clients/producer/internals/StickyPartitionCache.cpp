//@ ch06
#include "kafka/clients/producer/internals/StickyPartitionCache.h"

namespace kafka::clients::producer::internals {

//> ch06 sticky-partition
std::int32_t StickyPartitionCache::partition(const std::string& topic,
                                             const common::Cluster& cluster) {
    {
        std::lock_guard lock(mutex_);
        const auto it = indexCache_.find(topic);
        if (it != indexCache_.end()) return it->second;
    }
    return nextPartition(topic, cluster, -1);
}
//< ch06 sticky-partition

//> ch06 next-partition
std::int32_t StickyPartitionCache::nextPartition(const std::string& topic,
                                                 const common::Cluster& cluster,
                                                 std::int32_t prevPartition) {
    std::lock_guard lock(mutex_);
    const auto cached = indexCache_.find(topic);
    // Another thread already moved on from prevPartition: follow it rather than move again.
    if (cached != indexCache_.end() && cached->second != prevPartition) return cached->second;

    const auto& available = cluster.availablePartitionsForTopic(topic);
    std::int32_t next;
    if (available.empty()) {
        // No leader anywhere: pick any partition; the record waits for a leader there.
        const auto count = cluster.partitionCountForTopic(topic).value_or(1);
        next = std::uniform_int_distribution<std::int32_t>(0, count - 1)(random_);
    } else if (available.size() == 1) {
        next = available.front().partition;
    } else {
        do {
            std::uniform_int_distribution<std::size_t> index(0, available.size() - 1);
            next = available[index(random_)].partition;
        } while (cached != indexCache_.end() && next == cached->second);
    }
    indexCache_[topic] = next;
    return next;
}
//< ch06 next-partition

}  // namespace kafka::clients::producer::internals
