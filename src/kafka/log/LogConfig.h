//@ ch30
#pragma once

#include <cstdint>

namespace kafka::log {

/// The settings of one partition log (Kafka's LogConfig, whose keys a topic can override and
/// whose defaults come from the broker's). The broker's front end needs one of them; the log
/// on disk (Part III) adds the rest.
struct LogConfig {
    /// The largest record batch the log takes: the broker's message.max.bytes (Kafka's
    /// default, 1048588, is a 1 MiB record with its batch's overhead).
    std::int32_t maxMessageBytes = 1048588;
};

}  // namespace kafka::log
