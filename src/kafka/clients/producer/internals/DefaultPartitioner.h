//@ ch06
#pragma once

#include "kafka/clients/producer/Partitioner.h"
#include "kafka/clients/producer/internals/StickyPartitionCache.h"

namespace kafka::clients::producer::internals {

/// Kafka's default partitioning, as it was from 2.4 to 3.x:
/// - a record with a key goes to toPositive(murmur2(key)) % (number of partitions), counting
///   every partition, with a leader or without, so that a key's partition never depends on
///   which brokers are up;
/// - a record without a key sticks to one available partition until a new batch starts.
///
/// In 0.10 key-less records went round-robin instead (RoundRobinPartitioner keeps that idea);
/// Kafka 3.3 moved the sticky logic into the accumulator (KIP-794). Chapter 6 compares them.
class DefaultPartitioner : public Partitioner {
public:
    std::int32_t partition(const std::string& topic,
                           std::optional<common::utils::ByteView> keyBytes,
                           std::optional<common::utils::ByteView> valueBytes,
                           const common::Cluster& cluster) override;
    void onNewBatch(const std::string& topic, const common::Cluster& cluster,
                    std::int32_t prevPartition) override;

    /// The partition of a key among `numPartitions`: the same in every Kafka client.
    static std::int32_t partitionForKey(common::utils::ByteView keyBytes,
                                        std::int32_t numPartitions);

private:
    StickyPartitionCache stickyPartitionCache_;
};

}  // namespace kafka::clients::producer::internals
