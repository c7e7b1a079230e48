//@ ch30
#pragma once

#include <cstdint>
#include <map>
#include <memory>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::common::requests {

/// "Send me the records from these offsets" (Kafka's FetchRequest), the consumer's one read
/// request, and a follower's. The broker may hold it up to maxWaitMs for minBytes to arrive,
/// and answers with at most maxBytes in all and partitionMaxBytes per partition, except that
/// the first batch goes whole even when it is larger (KIP-74), so a consumer never gets stuck
/// on a batch bigger than its limits.
///
/// Versions 7 and up carry incremental fetch sessions (KIP-227); session epoch -1, which the
/// clients this course meets send, asks for a full fetch without a session.
class FetchRequest final : public AbstractRequest {
public:
    struct PartitionData {
        std::int64_t fetchOffset = 0;
        std::int32_t partitionMaxBytes = 1 << 20;
        std::int32_t currentLeaderEpoch = -1;
        std::int64_t logStartOffset = -1;
    };

    FetchRequest(std::int32_t maxWaitMs, std::int32_t minBytes, std::int32_t maxBytes,
                 std::map<TopicPartition, PartitionData> partitions)
        : maxWaitMs_(maxWaitMs),
          minBytes_(minBytes),
          maxBytes_(maxBytes),
          partitions_(std::move(partitions)) {}

    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kFetch; }
    std::int32_t maxWaitMs() const { return maxWaitMs_; }
    std::int32_t minBytes() const { return minBytes_; }
    std::int32_t maxBytes() const { return maxBytes_; }
    const std::map<TopicPartition, PartitionData>& partitions() const { return partitions_; }

    /// Versions 4 to 11.
    void write(protocol::Writable& out, std::int16_t version) const override;
    static std::shared_ptr<const FetchRequest> parse(protocol::Readable& in, std::int16_t version);

private:
    std::int32_t maxWaitMs_;
    std::int32_t minBytes_;
    std::int32_t maxBytes_;
    std::map<TopicPartition, PartitionData> partitions_;
};

}  // namespace kafka::common::requests
