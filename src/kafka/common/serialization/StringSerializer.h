//@ ch01
#pragma once

#include "kafka/common/serialization/Serializer.h"

namespace kafka::common::serialization {

/// A string's UTF-8 bytes, without a length or a terminator (Kafka's default encoding).
/// C++ strings already hold bytes, so this is a copy.
class StringSerializer : public Serializer<std::string> {
public:
    std::optional<utils::Bytes> serialize(const std::string&,
                                          const std::optional<std::string>& data) override {
        if (!data) return std::nullopt;
        return utils::toBytes(*data);
    }
};

}  // namespace kafka::common::serialization
