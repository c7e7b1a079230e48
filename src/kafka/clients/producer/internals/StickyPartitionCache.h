//@ ch06
#pragma once

#include <map>
#include <mutex>
#include <random>
#include <string>

#include "kafka/common/Cluster.h"

namespace kafka::clients::producer::internals {

/// The partition each topic's key-less records currently stick to (KIP-480). Records without
/// a key all go to one partition until its batch is full; then a new partition is picked at
/// random. Fewer, fuller batches: lower latency than spreading every record round-robin.
class StickyPartitionCache {
public:
    /// The topic's sticky partition, choosing one if there is none yet.
    std::int32_t partition(const std::string& topic, const common::Cluster& cluster);
    /// Moves the topic to another partition, but only if it still sticks to `prevPartition`:
    /// when several threads see the same full batch, only the first one moves it.
    std::int32_t nextPartition(const std::string& topic, const common::Cluster& cluster,
                               std::int32_t prevPartition);

private:
    std::mutex mutex_;
    std::map<std::string, std::int32_t> indexCache_;
    std::mt19937 random_{std::random_device{}()};
};

}  // namespace kafka::clients::producer::internals
