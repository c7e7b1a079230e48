//@ ch11
#pragma once

#include <cstdint>
#include <map>
//> ch14
#include <memory>
//< ch14
#include <optional>
#include <string>
#include <vector>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/protocol/Errors.h"
#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::common::requests {

/// The broker's answer to a ProduceRequest (acks 1 or -1): for each partition, an error (NONE
/// when it went well), the offset the broker gave the batch's first record, and the broker's
/// timestamp when the topic uses LogAppendTime (-1 otherwise).
class ProduceResponse final : public AbstractResponse {
public:
    /// One partition's outcome (Kafka's ProduceResponse.PartitionResponse); the Sender
    /// completes a batch with it.
    //> ch31 record-error
    /// A record the broker refused, by its index in the batch, and why (v8+, KIP-467): the
    /// whole batch is refused, and the producer learns which records were at fault.
    struct RecordError {
        std::int32_t batchIndex = 0;
        std::optional<std::string> message{};
    };
    //< ch31 record-error

    struct PartitionResponse {
        protocol::Errors error = protocol::Errors::kNone;
        std::int64_t baseOffset = -1;
        std::int64_t logAppendTime = -1;
        std::int64_t logStartOffset = -1;           // v5+
        std::optional<std::string> errorMessage{};  // v8+: the broker's own words
        //> ch31
        std::vector<RecordError> recordErrors{};  // v8+
        //< ch31
    };

    explicit ProduceResponse(std::map<TopicPartition, PartitionResponse> responses,
                             std::int32_t throttleTimeMs = 0)
        : responses_(std::move(responses)), throttleTimeMs_(throttleTimeMs) {}

    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kProduce; }
    const std::map<TopicPartition, PartitionResponse>& responses() const { return responses_; }
    //> ch21
    std::int32_t throttleTimeMs() const override { return throttleTimeMs_; }
    /// Produce v6 and later (KIP-219).
    bool shouldClientThrottle(std::int16_t version) const override { return version >= 6; }
    //< ch21
    //> ch14
    /// Versions 3 to 8.
    static std::shared_ptr<const ProduceResponse> parse(protocol::Readable& in,
                                                        std::int16_t version);
    //< ch14
    //> ch30
    void write(protocol::Writable& out, std::int16_t version) const;
    //< ch30

private:
    std::map<TopicPartition, PartitionResponse> responses_;
    std::int32_t throttleTimeMs_ = 0;
};

}  // namespace kafka::common::requests
