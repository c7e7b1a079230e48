//@ ch01
#pragma once

#include "kafka/common/serialization/Serializer.h"

namespace kafka::common::serialization {

/// A double as its IEEE 754 bits in 8 big-endian bytes (Java's Double.doubleToLongBits).
class DoubleSerializer : public Serializer<double> {
public:
    std::optional<utils::Bytes> serialize(const std::string&,
                                          const std::optional<double>& data) override {
        if (!data) return std::nullopt;
        return bigEndianBytes(std::bit_cast<std::uint64_t>(*data));
    }
};

}  // namespace kafka::common::serialization
