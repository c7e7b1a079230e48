//@ ch30
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/protocol/Errors.h"
#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::common::requests {

/// The offsets a ListOffsetsRequest asked for (Kafka's ListOffsetsResponse), or an error per
/// partition (UNKNOWN_TOPIC_OR_PARTITION).
class ListOffsetsResponse final : public AbstractResponse {
public:
    struct PartitionData {
        protocol::Errors error = protocol::Errors::kNone;
        std::int64_t timestamp = -1;
        std::int64_t offset = -1;
        std::int32_t leaderEpoch = -1;
    };

    explicit ListOffsetsResponse(std::map<TopicPartition, PartitionData> partitions)
        : partitions_(std::move(partitions)) {}

    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kListOffsets; }
    const std::map<TopicPartition, PartitionData>& partitions() const { return partitions_; }

    /// Versions 1 to 5.
    void write(protocol::Writable& out, std::int16_t version) const;
    static std::shared_ptr<const ListOffsetsResponse> parse(protocol::Readable& in,
                                                            std::int16_t version);

private:
    std::map<TopicPartition, PartitionData> partitions_;
};

}  // namespace kafka::common::requests
