//@ ch30
#include "kafka/log/LogManager.h"

#include <algorithm>
#include <mutex>

#include "kafka/common/errors/Exceptions.h"
//> ch34
#include <chrono>

#include "kafka/server/checkpoints/CleanShutdownFileHandler.h"
#include "kafka/server/checkpoints/OffsetCheckpointFile.h"
//< ch34

namespace kafka::log {

LogManager::LogManager() : LogManager(Settings{}) {}

LogManager::LogManager(Settings settings) : settings_(std::move(settings)) {
    //> ch34
    lockLogDirs();
    loadLogs();
    //< ch34
}

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
    std::map<std::filesystem::path, std::size_t> partitions;
    for (const auto& dir : settings_.logDirs) partitions[normalDir(dir)] = 0;
    for (const auto& [topic, logs] : logs_)
        for (const auto& log : logs)
            if (log) ++partitions[log->dir().parent_path()];
    return normalDir(*std::min_element(
        settings_.logDirs.begin(), settings_.logDirs.end(), [&](const auto& a, const auto& b) {
            return partitions[normalDir(a)] < partitions[normalDir(b)];
        }));
}

std::filesystem::path LogManager::normalDir(const std::filesystem::path& dir) {
    return (dir / "log").parent_path();
}
//< ch32

//> ch34
void LogManager::lockLogDirs() {
    for (const auto& dir : settings_.logDirs) {
        std::error_code error;
        std::filesystem::create_directories(dir, error);
        if (error)
            throw common::errors::KafkaException("Cannot create the log directory " + dir.string() +
                                                 ": " + error.message());
        dirLocks_.push_back(std::make_unique<server::util::FileLock>(dir / kLockFileName));
    }
}

//> ch34 load-logs
// Every partition directory of every log directory becomes a log again, told what that log
// directory's checkpoints and marker say about it. Then the marker goes: from now on, a crash
// must be seen as one at the next start.
void LogManager::loadLogs() {
    for (const auto& dir : settings_.logDirs) loadLogsIn(dir);
    // A topic whose partitions are not all on disk gets the missing ones, empty.
    std::unique_lock lock(mutex_);
    for (auto& [topic, logs] : logs_)
        for (std::size_t p = 0; p < logs.size(); ++p)
            if (!logs[p])
                logs[p] = std::make_shared<Log>(logSettings({topic, static_cast<std::int32_t>(p)}));
}

void LogManager::loadLogsIn(const std::filesystem::path& dir) {
    const auto start = std::chrono::steady_clock::now();
    const server::checkpoints::CleanShutdownFileHandler cleanShutdown(dir);
    const bool hadCleanShutdown = cleanShutdown.hasFile();
    if (hadCleanShutdown)
        log_.info("Skipping recovery of all logs in {} since clean shutdown file was found",
                  dir.string());
    else
        log_.info("Attempting recovery of all logs in {} since no clean shutdown file was found",
                  dir.string());
    const auto recoveryPoints = readCheckpoint(dir / kRecoveryPointCheckpointFile);
    const auto logStartOffsets = readCheckpoint(dir / kLogStartOffsetCheckpointFile);
    int loaded = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (!entry.is_directory()) continue;
        const auto tp = parseTopicPartitionName(entry.path().filename().string());
        if (!tp) {
            log_.warn("Skipping {}: it is not in the form topic-partition", entry.path().string());
            continue;
        }
        Log::Settings settings = logSettings(*tp);
        settings.dir = entry.path();
        settings.hadCleanShutdown = hadCleanShutdown;
        if (const auto found = recoveryPoints.find(*tp); found != recoveryPoints.end())
            settings.recoveryPoint = found->second;
        if (const auto found = logStartOffsets.find(*tp); found != logStartOffsets.end())
            settings.logStartOffset = found->second;
        addLoadedLog(std::make_shared<Log>(std::move(settings)));
        ++loaded;
    }
    cleanShutdown.remove();
    log_.info("Loaded {} logs in {} in {} ms", loaded, dir.string(),
              std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count());
}
//< ch34 load-logs

void LogManager::addLoadedLog(std::shared_ptr<Log> log) {
    const auto& tp = log->topicPartition();
    std::unique_lock lock(mutex_);
    auto& logs = logs_[tp.topic];
    const auto slot = static_cast<std::size_t>(tp.partition);
    if (logs.size() <= slot) logs.resize(slot + 1);
    if (logs[slot])
        throw common::errors::KafkaException(
            "Duplicate log directories for " + tp.toString() + " are found in both " +
            logs[slot]->dir().string() + " and " + log->dir().string() +
            ". It is likely because log directory failure happened while broker was "
            "replacing current replica with future replica. Recover broker from this failure "
            "by manually deleting one of the two directories for this partition.");
    logs[slot] = std::move(log);
}

std::optional<common::TopicPartition> LogManager::parseTopicPartitionName(const std::string& name) {
    const auto dash = name.rfind('-');
    if (dash == std::string::npos || dash == 0 || dash + 1 == name.size()) return std::nullopt;
    const std::string topic = name.substr(0, dash);
    const std::string partition = name.substr(dash + 1);
    if (!isValidTopicName(topic) ||
        !std::all_of(partition.begin(), partition.end(),
                     [](char c) { return c >= '0' && c <= '9'; }) ||
        partition.size() > 9)
        return std::nullopt;
    return common::TopicPartition{topic, std::stoi(partition)};
}

std::map<common::TopicPartition, std::int64_t> LogManager::readCheckpoint(
    const std::filesystem::path& file) const {
    try {
        return server::checkpoints::OffsetCheckpointFile(file).read();
    } catch (const common::errors::KafkaException& e) {
        log_.warn("Error occurred while reading {}, resetting it to 0 for every log: {}",
                  file.filename().string(), e.what());
        return {};
    }
}

void LogManager::startup(server::util::KafkaScheduler& scheduler) {
    scheduler.schedule(
        "kafka-log-retention", [this] { cleanupLogs(); }, kInitialTaskDelayMs,
        settings_.retentionCheckMs);
    scheduler.schedule(
        "kafka-recovery-point-checkpoint", [this] { checkpointLogRecoveryOffsets(); },
        kInitialTaskDelayMs, settings_.flushRecoveryOffsetCheckpointMs);
    scheduler.schedule(
        "kafka-log-start-offset-checkpoint", [this] { checkpointLogStartOffsets(); },
        kInitialTaskDelayMs, settings_.flushStartOffsetCheckpointMs);
}

int LogManager::cleanupLogs() {
    int deleted = 0;
    for (const auto& log : allLogs()) deleted += log->deleteOldSegments();
    if (deleted > 0) log_.info("Log cleanup completed. {} segments deleted", deleted);
    return deleted;
}

void LogManager::checkpointLogRecoveryOffsets() {
    checkpoint(kRecoveryPointCheckpointFile, [](const Log& log) { return log.recoveryPoint(); });
}

void LogManager::checkpointLogStartOffsets() {
    checkpoint(kLogStartOffsetCheckpointFile, [](const Log& log) { return log.logStartOffset(); });
}

void LogManager::checkpoint(const char* fileName,
                            const std::function<std::int64_t(const Log&)>& offsetOf) const {
    const auto logs = allLogs();
    for (const auto& dir : settings_.logDirs) {
        std::map<common::TopicPartition, std::int64_t> offsets;
        for (const auto& log : logs)
            if (log->dir().parent_path() == normalDir(dir))
                offsets[log->topicPartition()] = offsetOf(*log);
        server::checkpoints::OffsetCheckpointFile(dir / fileName).write(offsets);
    }
}

//> ch34 log-manager-shutdown
// In this order, so that the marker is only ever found next to logs that are whole on the disk
// and checkpoints that say so.
void LogManager::shutdown() {
    log_.info("Shutting down.");
    try {
        for (const auto& log : allLogs()) log->close();
        checkpointLogRecoveryOffsets();
        checkpointLogStartOffsets();
        for (const auto& dir : settings_.logDirs)
            server::checkpoints::CleanShutdownFileHandler(dir).write();
    } catch (const common::errors::KafkaException& e) {
        log_.error("Shutdown without a clean shutdown marker: the next start recovers: {}",
                   e.what());
    }
    dirLocks_.clear();
    log_.info("Shutdown complete.");
}
//< ch34 log-manager-shutdown

std::vector<std::shared_ptr<Log>> LogManager::allLogs() const {
    std::shared_lock lock(mutex_);
    std::vector<std::shared_ptr<Log>> all;
    for (const auto& [topic, logs] : logs_)
        for (const auto& log : logs)
            if (log) all.push_back(log);
    return all;
}
//< ch34

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
