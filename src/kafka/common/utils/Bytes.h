//@ ch01
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kafka::common::utils {

/// Kafka's `byte[]`: what serializers produce and what goes on the wire.
using Bytes = std::vector<std::uint8_t>;
/// Bytes someone else owns, read where they are. Once send() has a record's bytes (chapter 4),
/// everything after it only reads them until they are written into a batch: a view lets the
/// application's own bytes travel that far without a copy.
using ByteView = std::span<const std::uint8_t>;

inline Bytes toBytes(std::string_view text) {
    return Bytes(text.begin(), text.end());
}

inline std::string toString(const Bytes& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

}  // namespace kafka::common::utils
