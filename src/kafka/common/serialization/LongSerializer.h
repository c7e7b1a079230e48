//@ ch01
#pragma once

#include "kafka/common/serialization/Serializer.h"

namespace kafka::common::serialization {

/// A 64-bit integer as 8 big-endian bytes (Java's long).
class LongSerializer : public Serializer<std::int64_t> {
public:
    std::optional<utils::Bytes> serialize(const std::string&,
                                          const std::optional<std::int64_t>& data) override {
        if (!data) return std::nullopt;
        return bigEndianBytes(*data);
    }
};

}  // namespace kafka::common::serialization
