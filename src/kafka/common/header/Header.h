//@ ch01
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kafka/common/utils/Bytes.h"

namespace kafka::common::header {

/// A record header: a string key and an optional byte value. Kafka added headers in 0.11
/// (record batch v2); they travel with the record and are never looked at by the broker.
struct Header {
    std::string key;
    std::optional<utils::Bytes> value;

    bool operator==(const Header&) const = default;
};

using Headers = std::vector<Header>;

}  // namespace kafka::common::header
