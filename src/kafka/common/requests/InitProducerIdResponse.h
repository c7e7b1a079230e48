//@ ch36
#pragma once

#include <cstdint>
#include <memory>

#include "kafka/common/protocol/Errors.h"
#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::common::requests {

/// The producer id and epoch a broker handed out (Kafka's InitProducerIdResponse), or why it
/// could not. A fresh id starts at epoch 0.
class InitProducerIdResponse final : public AbstractResponse {
public:
    InitProducerIdResponse(protocol::Errors error, std::int64_t producerId,
                           std::int16_t producerEpoch, std::int32_t throttleTimeMs = 0)
        : error_(error),
          producerId_(producerId),
          producerEpoch_(producerEpoch),
          throttleTimeMs_(throttleTimeMs) {}

    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kInitProducerId; }
    protocol::Errors error() const { return error_; }
    std::int64_t producerId() const { return producerId_; }
    std::int16_t producerEpoch() const { return producerEpoch_; }
    std::int32_t throttleTimeMs() const override { return throttleTimeMs_; }
    bool shouldClientThrottle(std::int16_t version) const override { return version >= 1; }

    /// Versions 0 and 1.
    void write(protocol::Writable& out, std::int16_t version) const;
    static std::shared_ptr<const InitProducerIdResponse> parse(protocol::Readable& in,
                                                               std::int16_t version);

private:
    protocol::Errors error_;
    std::int64_t producerId_;
    std::int16_t producerEpoch_;
    std::int32_t throttleTimeMs_;
};

}  // namespace kafka::common::requests
