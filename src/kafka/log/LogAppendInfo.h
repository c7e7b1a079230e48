//@ ch30
#pragma once

#include <cstdint>

namespace kafka::log {

/// What an append did to the log (Kafka's LogAppendInfo): the offsets the batch got and, from
/// the write path on, what the Produce response and the log's bookkeeping need to know.
struct LogAppendInfo {
    std::int64_t firstOffset = -1;
    std::int64_t lastOffset = -1;
    //> ch31 log-append-info
    /// The largest timestamp in the batch as stored: the broker's clock with LogAppendTime.
    std::int64_t maxTimestamp = -1;
    /// The broker's clock when the topic uses LogAppendTime, -1 otherwise: the Produce
    /// response's log_append_time_ms, which the producer gives its callbacks instead of the
    /// record's own timestamp.
    std::int64_t logAppendTime = -1;
    std::int64_t logStartOffset = 0;
    std::int32_t recordCount = 0;
    /// The bytes appended.
    std::int32_t validBytes = 0;
    //< ch31 log-append-info
};

}  // namespace kafka::log
