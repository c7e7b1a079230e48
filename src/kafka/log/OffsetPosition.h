//@ ch33
#pragma once

#include <cstdint>

namespace kafka::log {

/// An entry of the offset index (Kafka's OffsetPosition): the batch whose last offset is
/// `offset` starts `position` bytes into the segment's file.
struct OffsetPosition {
    std::int64_t offset;
    std::int32_t position;

    bool operator==(const OffsetPosition&) const = default;
};

}  // namespace kafka::log
