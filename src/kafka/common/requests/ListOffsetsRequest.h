//@ ch30
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::common::requests {

/// "Which offset is at this point of the partition?" (Kafka's ListOffsetsRequest). A consumer
/// without a committed position asks for the earliest (-2) or the latest (-1) offset before
/// its first fetch; kcat's `-o beginning` is the first, `-o end` the second.
class ListOffsetsRequest final : public AbstractRequest {
public:
    static constexpr std::int64_t kLatestTimestamp = -1;
    static constexpr std::int64_t kEarliestTimestamp = -2;

    /// Per partition: the timestamp to look up, and the leader epoch the client knows (-1).
    struct PartitionData {
        std::int64_t timestamp = kLatestTimestamp;
        std::int32_t currentLeaderEpoch = -1;
    };

    explicit ListOffsetsRequest(std::map<TopicPartition, PartitionData> partitions)
        : partitions_(std::move(partitions)) {}

    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kListOffsets; }
    const std::map<TopicPartition, PartitionData>& partitions() const { return partitions_; }

    /// Versions 1 to 5.
    void write(protocol::Writable& out, std::int16_t version) const override;
    static std::shared_ptr<const ListOffsetsRequest> parse(protocol::Readable& in,
                                                           std::int16_t version);

private:
    std::map<TopicPartition, PartitionData> partitions_;
};

}  // namespace kafka::common::requests
