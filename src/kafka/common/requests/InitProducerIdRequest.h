//@ ch36
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::common::requests {

/// "Give me a producer id" (Kafka's InitProducerIdRequest, API 22). An idempotent producer
/// sends it once, to any broker, before its first batch; a transactional one sends it to its
/// transaction coordinator with its transactional.id. This course's producer is idempotent
/// only, so the transactional id is always null.
class InitProducerIdRequest final : public AbstractRequest {
public:
    explicit InitProducerIdRequest(std::optional<std::string> transactionalId = std::nullopt,
                                   std::int32_t transactionTimeoutMs = 2'147'483'647)
        : transactionalId_(std::move(transactionalId)),
          transactionTimeoutMs_(transactionTimeoutMs) {}

    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kInitProducerId; }
    const std::optional<std::string>& transactionalId() const { return transactionalId_; }
    std::int32_t transactionTimeoutMs() const { return transactionTimeoutMs_; }

    /// Versions 0 and 1 (the same fields; 1 only changed how throttling is done).
    void write(protocol::Writable& out, std::int16_t version) const override;
    static std::shared_ptr<const InitProducerIdRequest> parse(protocol::Readable& in,
                                                              std::int16_t version);

private:
    std::optional<std::string> transactionalId_;
    std::int32_t transactionTimeoutMs_;
};

}  // namespace kafka::common::requests
