//@ ch31
#include "kafka/server/ReplicaManager.h"

#include "kafka/log/RecordValidationException.h"

namespace kafka::server {

using common::TopicPartition;
using common::protocol::Errors;

namespace {

// acks=0: no answer; 1: the leader has it; -1 (all): every in-sync replica has it.
bool isValidRequiredAcks(std::int16_t acks) {
    return acks == -1 || acks == 0 || acks == 1;
}

}  // namespace

//> ch31 append-records
std::map<TopicPartition, ReplicaManager::PartitionResponse> ReplicaManager::appendRecords(
    std::int16_t requiredAcks,
    const std::map<TopicPartition, std::span<const std::uint8_t>>& entriesPerPartition) {
    std::map<TopicPartition, PartitionResponse> responses;
    for (const auto& [tp, records] : entriesPerPartition) {
        if (!isValidRequiredAcks(requiredAcks)) {
            responses[tp].error = Errors::kInvalidRequiredAcks;
            continue;
        }
        responses.insert_or_assign(tp, appendToLocalLog(tp, records, requiredAcks));
    }
    // With more replicas, acks=all would now wait in the produce purgatory until the
    // followers had fetched up to each batch's last offset. Here the leader is the whole
    // ISR: the high watermark moved with the append, and every answer is ready.
    return responses;
}
//< ch31 append-records

//> ch31 append-to-local-log
ReplicaManager::PartitionResponse ReplicaManager::appendToLocalLog(
    const TopicPartition& tp, std::span<const std::uint8_t> records, std::int16_t requiredAcks) {
    PartitionResponse response;
    const auto partition = getPartition(tp);
    if (!partition) {
        response.error = Errors::kUnknownTopicOrPartition;
        return response;
    }
    try {
        const log::LogAppendInfo info = partition->appendRecordsToLeader(records, requiredAcks);
        response.baseOffset = info.firstOffset;
        response.logAppendTime = info.logAppendTime;
        response.logStartOffset = info.logStartOffset;
    } catch (const log::RecordValidationException& e) {
        response.error = e.error();
        response.errorMessage = e.what();
        response.recordErrors = e.recordErrors();
    } catch (const common::errors::ApiException& e) {
        response.error = e.error();
        response.errorMessage = e.what();
    } catch (const std::exception& e) {
        response.error = Errors::kUnknownServerError;  // Kafka's Errors.forException
        response.errorMessage = e.what();
    }
    return response;
}
//< ch31 append-to-local-log

std::shared_ptr<cluster::Partition> ReplicaManager::getPartition(const TopicPartition& tp) {
    std::scoped_lock lock(mutex_);
    if (const auto found = allPartitions_.find(tp); found != allPartitions_.end())
        return found->second;
    // A partition is hosted from the moment its log exists: in Kafka, when the controller
    // makes this broker its leader.
    auto log = settings_.logManager->getLog(tp);
    if (!log) return nullptr;
    auto partition = std::make_shared<cluster::Partition>(std::move(log), settings_.localBrokerId);
    allPartitions_.emplace(tp, partition);
    return partition;
}

}  // namespace kafka::server
