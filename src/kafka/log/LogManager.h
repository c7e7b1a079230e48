//@ ch30
#pragma once

#include <cstdint>
//> ch32
#include <filesystem>
//< ch32
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "kafka/common/TopicPartition.h"
#include "kafka/log/Log.h"

namespace kafka::log {

/// Every partition log of the broker, by topic (Kafka's LogManager, with the topic creation
/// that the controller and the auto-creation in KafkaApis do in Kafka). Thread-safe.
class LogManager {
public:
    /// What the broker gives its LogManager; each chapter of the log adds what it needs.
    struct Settings {
        /// Every log gets this config (the broker's defaults: there are no topic overrides).
        LogConfig defaultConfig{};
        //> ch31
        std::shared_ptr<common::utils::Time> time = common::utils::Time::system();
        //< ch31
        //> ch32
        /// Where the logs live (log.dirs): each partition's directory goes into the one that
        /// holds the fewest.
        std::vector<std::filesystem::path> logDirs{};
        //< ch32
    };

    LogManager();
    explicit LogManager(Settings settings) : settings_(std::move(settings)) {}

    /// The log of `tp`, or nullptr if there is no such topic or partition.
    std::shared_ptr<Log> getLog(const common::TopicPartition& tp) const;

    /// Creates `topic` with `partitions` empty logs, unless it exists. Returns its partition
    /// count either way. Throws InvalidTopicException for a name Kafka would refuse.
    std::int32_t createTopic(const std::string& topic, std::int32_t partitions);

    /// The partition count of `topic`, or 0 if it does not exist.
    std::int32_t partitionCount(const std::string& topic) const;
    /// Every topic with its partition count.
    std::map<std::string, std::int32_t> topics() const;

    /// Kafka's rules for topic names: 1 to 249 characters from [a-zA-Z0-9._-], not "." or "..".
    static bool isValidTopicName(const std::string& topic);

private:
    // What a new log of `tp` is made of.
    Log::Settings logSettings(common::TopicPartition tp) const;
    //> ch32
    // The log directory with the fewest partitions (Kafka's nextLogDirs).
    std::filesystem::path nextLogDir() const;
    //< ch32

    const Settings settings_;
    mutable std::shared_mutex mutex_;
    std::map<std::string, std::vector<std::shared_ptr<Log>>> logs_;
};

}  // namespace kafka::log
