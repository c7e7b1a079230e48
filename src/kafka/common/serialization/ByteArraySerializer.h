//@ ch01
#pragma once

#include "kafka/common/serialization/Serializer.h"

namespace kafka::common::serialization {

/// Bytes that are already bytes: passed through untouched.
class ByteArraySerializer : public Serializer<utils::Bytes> {
public:
    std::optional<utils::Bytes> serialize(const std::string&,
                                          const std::optional<utils::Bytes>& data) override {
        return data;
    }
    //> ch04
    bool lendsItsInput() const override { return true; }
    //< ch04
};

}  // namespace kafka::common::serialization
