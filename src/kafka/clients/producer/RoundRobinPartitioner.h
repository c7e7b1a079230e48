//@ ch06
#pragma once

#include <map>
#include <mutex>

#include "kafka/clients/producer/Partitioner.h"

namespace kafka::clients::producer {

/// Every record, keyed or not, to the next available partition in turn: what 0.10's default
/// partitioner did for key-less records. (0.10 shared one counter across all topics, started at
/// a random value; this one, like Kafka's RoundRobinPartitioner, counts per topic from 0.)
class RoundRobinPartitioner : public Partitioner {
public:
    std::int32_t partition(const std::string& topic,
                           std::optional<common::utils::ByteView> keyBytes,
                           std::optional<common::utils::ByteView> valueBytes,
                           const common::Cluster& cluster) override;

private:
    std::mutex mutex_;
    std::map<std::string, std::uint32_t> topicCounters_;
};

}  // namespace kafka::clients::producer
