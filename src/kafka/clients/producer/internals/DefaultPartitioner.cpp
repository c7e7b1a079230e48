//@ ch06
#include "kafka/clients/producer/internals/DefaultPartitioner.h"

#include "kafka/common/utils/Utils.h"

namespace kafka::clients::producer::internals {

using common::utils::Utils;

//> ch06 default-partition
std::int32_t DefaultPartitioner::partition(const std::string& topic,
                                           std::optional<common::utils::ByteView> keyBytes,
                                           std::optional<common::utils::ByteView>,
                                           const common::Cluster& cluster) {
    if (!keyBytes) return stickyPartitionCache_.partition(topic, cluster);
    return partitionForKey(*keyBytes, cluster.partitionCountForTopic(topic).value_or(1));
}

std::int32_t DefaultPartitioner::partitionForKey(common::utils::ByteView keyBytes,
                                                 std::int32_t numPartitions) {
    return Utils::toPositive(Utils::murmur2(keyBytes)) % numPartitions;
}
//< ch06 default-partition

//> ch06 on-new-batch
void DefaultPartitioner::onNewBatch(const std::string& topic, const common::Cluster& cluster,
                                    std::int32_t prevPartition) {
    stickyPartitionCache_.nextPartition(topic, cluster, prevPartition);
}
//< ch06 on-new-batch

}  // namespace kafka::clients::producer::internals
