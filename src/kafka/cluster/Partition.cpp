//@ ch31
#include "kafka/cluster/Partition.h"

#include <string>

#include "kafka/common/errors/ApiExceptions.h"

namespace kafka::cluster {

//> ch31 append-to-leader
log::LogAppendInfo Partition::appendRecordsToLeader(std::span<const std::uint8_t> records,
                                                    std::int16_t requiredAcks) {
    // acks=all promises that every in-sync replica has the records before the producer hears
    // back. min.insync.replicas says how few replicas that promise may rest on; with fewer,
    // Kafka refuses the write rather than make a promise it cannot keep. acks=0 and acks=1
    // ask nothing of the followers, and are never refused for it.
    const auto inSync = static_cast<std::int32_t>(inSyncReplicaIds_.size());
    const std::int32_t minInSync = log_->config().minInSyncReplicas;
    if (requiredAcks == -1 && inSync < minInSync)
        throw common::errors::NotEnoughReplicasException(
            "The size of the current ISR " + std::to_string(inSync) + " is insufficient to " +
            "satisfy the min.isr requirement of " + std::to_string(minInSync) + " for partition " +
            topicPartition().toString());
    return log_->append(records);
}
//< ch31 append-to-leader

}  // namespace kafka::cluster
