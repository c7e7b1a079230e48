//@ ch30
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/protocol/Errors.h"
#include "kafka/common/requests/AbstractRequest.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::common::requests {

/// What a fetch found (Kafka's FetchResponse): per partition an error code, the high
/// watermark (the offset after the last record a consumer may read; kcat's `-e` stops there),
/// and whole record batches, exactly as the producer sent them, with the offsets the broker
/// gave them. The first batch may start before the offset asked for: consumers skip the
/// records they did not ask for.
class FetchResponse final : public AbstractResponse {
public:
    struct PartitionData {
        protocol::Errors error = protocol::Errors::kNone;
        std::int64_t highWatermark = -1;
        std::int64_t logStartOffset = -1;
        utils::Bytes records;
    };

    explicit FetchResponse(std::map<TopicPartition, PartitionData> partitions)
        : partitions_(std::move(partitions)) {}

    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kFetch; }
    const std::map<TopicPartition, PartitionData>& partitions() const { return partitions_; }

    /// Versions 4 to 11.
    void write(protocol::Writable& out, std::int16_t version) const;
    static std::shared_ptr<const FetchResponse> parse(protocol::Readable& in, std::int16_t version);

private:
    std::map<TopicPartition, PartitionData> partitions_;
};

}  // namespace kafka::common::requests
