//@ ch36
#pragma once

#include <cstdint>
#include <string>

namespace kafka::common::utils {

/// Who an idempotent producer is, to the brokers (Kafka's ProducerIdAndEpoch): the id a broker
/// handed out with InitProducerId, and the epoch, which the producer bumps when it must start
/// a partition's sequence numbers again from 0. NONE (-1, -1) until the first answer.
struct ProducerIdAndEpoch {
    static constexpr std::int64_t kNoProducerId = -1;
    static constexpr std::int16_t kNoProducerEpoch = -1;

    std::int64_t producerId = kNoProducerId;
    std::int16_t epoch = kNoProducerEpoch;

    bool isValid() const { return producerId != kNoProducerId; }
    bool operator==(const ProducerIdAndEpoch&) const = default;
    std::string toString() const {
        return "(producerId=" + std::to_string(producerId) + ", epoch=" + std::to_string(epoch) +
               ")";
    }
};

}  // namespace kafka::common::utils
