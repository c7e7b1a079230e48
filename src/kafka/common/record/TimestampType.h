//@ ch31
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kafka::common::record {

/// Whose clock a record's timestamp comes from (Kafka's TimestampType): the producer's, when
/// it created the record, or the broker's, when it appended the batch to the log. A batch
/// says which in bit 3 of its attributes; a topic says which it wants in
/// message.timestamp.type.
enum class TimestampType : std::int8_t {
    kCreateTime = 0,
    kLogAppendTime = 1,
};

/// Kafka's names, as message.timestamp.type spells them.
constexpr std::string_view name(TimestampType type) {
    return type == TimestampType::kCreateTime ? "CreateTime" : "LogAppendTime";
}

/// The type a name stands for, or nothing for a name Kafka does not know.
constexpr std::optional<TimestampType> timestampTypeForName(std::string_view name) {
    if (name == "CreateTime") return TimestampType::kCreateTime;
    if (name == "LogAppendTime") return TimestampType::kLogAppendTime;
    return std::nullopt;
}

}  // namespace kafka::common::record
