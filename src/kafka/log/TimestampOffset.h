//@ ch33
#pragma once

#include <cstdint>

namespace kafka::log {

/// An entry of the time index (Kafka's TimestampOffset): no record before `offset` has a
/// timestamp larger than `timestamp`.
struct TimestampOffset {
    /// "No timestamp", RecordBatch.NO_TIMESTAMP: what a lookup before the first entry finds.
    static constexpr std::int64_t kNoTimestamp = -1;

    std::int64_t timestamp;
    std::int64_t offset;

    bool operator==(const TimestampOffset&) const = default;
};

}  // namespace kafka::log
