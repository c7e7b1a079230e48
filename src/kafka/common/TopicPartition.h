//@ ch01
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace kafka::common {

/// A topic name and a partition number: the address of one log in the cluster.
struct TopicPartition {
    std::string topic;
    std::int32_t partition = 0;

    auto operator<=>(const TopicPartition&) const = default;
    std::string toString() const { return topic + "-" + std::to_string(partition); }
};

inline std::ostream& operator<<(std::ostream& out, const TopicPartition& tp) {
    return out << tp.toString();
}

}  // namespace kafka::common

template <>
struct std::hash<kafka::common::TopicPartition> {
    std::size_t operator()(const kafka::common::TopicPartition& tp) const noexcept {
        return std::hash<std::string>{}(tp.topic) * 31 + static_cast<std::size_t>(tp.partition);
    }
};
