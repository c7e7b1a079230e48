//@ ch30
#include "kafka/log/LogManager.h"

#include <algorithm>
#include <mutex>

#include "kafka/common/errors/Exceptions.h"

namespace kafka::log {

LogManager::LogManager() : LogManager(Settings{}) {}

std::shared_ptr<Log> LogManager::getLog(const common::TopicPartition& tp) const {
    std::shared_lock lock(mutex_);
    const auto found = logs_.find(tp.topic);
    if (found == logs_.end() || tp.partition < 0 ||
        static_cast<std::size_t>(tp.partition) >= found->second.size())
        return nullptr;
    return found->second[static_cast<std::size_t>(tp.partition)];
}

std::int32_t LogManager::createTopic(const std::string& topic, std::int32_t partitions) {
    if (!isValidTopicName(topic))
        throw common::errors::InvalidTopicException(
            "Topic name \"" + topic +
            "\" is illegal: it must be 1 to 249 characters from [a-zA-Z0-9._-], and not . or ..");
    if (partitions < 1)
        throw common::errors::IllegalArgumentException(
            "A topic needs at least one partition, not " + std::to_string(partitions));
    std::unique_lock lock(mutex_);
    auto [it, created] = logs_.try_emplace(topic);
    if (created)
        for (std::int32_t p = 0; p < partitions; ++p)
            it->second.push_back(std::make_shared<Log>(logSettings({topic, p})));
    return static_cast<std::int32_t>(it->second.size());
}

Log::Settings LogManager::logSettings(common::TopicPartition tp) const {
    Log::Settings log{std::move(tp), settings_.defaultConfig};
    //> ch31
    log.time = settings_.time;
    //< ch31
    //> ch32
    log.dir = nextLogDir() / log.topicPartition.toString();
    //< ch32
    return log;
}

//> ch32
std::filesystem::path LogManager::nextLogDir() const {
    if (settings_.logDirs.empty())
        throw common::errors::IllegalArgumentException("No log directory (log.dirs) for the logs");
    // A directory as a log's parent_path() names it: "/data/" and "/data" are one directory.
    auto normal = [](const std::filesystem::path& dir) { return (dir / "log").parent_path(); };
    std::map<std::filesystem::path, std::size_t> partitions;
    for (const auto& dir : settings_.logDirs) partitions[normal(dir)] = 0;
    for (const auto& [topic, logs] : logs_)
        for (const auto& log : logs) ++partitions[log->dir().parent_path()];
    return normal(*std::min_element(settings_.logDirs.begin(), settings_.logDirs.end(),
                                    [&](const auto& a, const auto& b) {
                                        return partitions[normal(a)] < partitions[normal(b)];
                                    }));
}
//< ch32

std::int32_t LogManager::partitionCount(const std::string& topic) const {
    std::shared_lock lock(mutex_);
    const auto found = logs_.find(topic);
    return found == logs_.end() ? 0 : static_cast<std::int32_t>(found->second.size());
}

std::map<std::string, std::int32_t> LogManager::topics() const {
    std::shared_lock lock(mutex_);
    std::map<std::string, std::int32_t> counts;
    for (const auto& [topic, logs] : logs_) counts[topic] = static_cast<std::int32_t>(logs.size());
    return counts;
}

bool LogManager::isValidTopicName(const std::string& topic) {
    constexpr std::size_t kMaxNameLength = 249;
    if (topic.empty() || topic.size() > kMaxNameLength || topic == "." || topic == "..")
        return false;
    return std::all_of(topic.begin(), topic.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

}  // namespace kafka::log
