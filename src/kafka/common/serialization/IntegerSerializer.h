//@ ch01
#pragma once

#include "kafka/common/serialization/Serializer.h"

namespace kafka::common::serialization {

//> ch01 integer-serializer
/// A 32-bit integer as 4 big-endian bytes (Java's int).
class IntegerSerializer : public Serializer<std::int32_t> {
public:
    std::optional<utils::Bytes> serialize(const std::string&,
                                          const std::optional<std::int32_t>& data) override {
        if (!data) return std::nullopt;
        return bigEndianBytes(*data);
    }
};
//< ch01 integer-serializer

}  // namespace kafka::common::serialization
