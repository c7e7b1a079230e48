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
//> ch34
#include <functional>
#include <optional>

#include "kafka/common/utils/LogContext.h"
#include "kafka/server/util/FileLock.h"
#include "kafka/server/util/KafkaScheduler.h"
//< ch34

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
        //> ch34 log-manager-settings
        /// How often retention runs (log.retention.check.interval.ms, 5 minutes), and how
        /// often the recovery points and log start offsets are written down
        /// (log.flush.offset.checkpoint.interval.ms and
        /// log.flush.start.offset.checkpoint.interval.ms, a minute each).
        std::int64_t retentionCheckMs = 300000;
        std::int64_t flushRecoveryOffsetCheckpointMs = 60000;
        std::int64_t flushStartOffsetCheckpointMs = 60000;
        //< ch34 log-manager-settings
    };

    LogManager();
    /// The broker's logs on `settings`. From chapter 34 it locks each log directory and loads
    /// every log found there, recovering them after a crash; it throws KafkaException if
    /// another broker holds a directory.
    explicit LogManager(Settings settings);

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

    //> ch34 log-manager-api
    static constexpr const char* kLockFileName = ".lock";
    static constexpr const char* kRecoveryPointCheckpointFile = "recovery-point-offset-checkpoint";
    static constexpr const char* kLogStartOffsetCheckpointFile = "log-start-offset-checkpoint";
    /// Kafka waits this long after startup before its first retention check and checkpoints.
    static constexpr std::int64_t kInitialTaskDelayMs = 30000;

    /// Schedules retention and the checkpoints on `scheduler`, which must stop before this
    /// LogManager is destroyed.
    void startup(server::util::KafkaScheduler& scheduler);
    /// Deletes what retention no longer keeps, in every log. Returns the segments deleted.
    int cleanupLogs();
    /// Writes each log directory's recovery-point-offset-checkpoint.
    void checkpointLogRecoveryOffsets();
    /// Writes each log directory's log-start-offset-checkpoint.
    void checkpointLogStartOffsets();
    /// Closes every log (flushed, indexes cut), writes the checkpoints, then the clean
    /// shutdown marker of each directory, and unlocks the directories.
    void shutdown();

    /// "orders-3" as {orders, 3}, or nothing for a name that is not a partition's directory.
    static std::optional<common::TopicPartition> parseTopicPartitionName(const std::string& name);
    //< ch34 log-manager-api

private:
    // What a new log of `tp` is made of.
    Log::Settings logSettings(common::TopicPartition tp) const;
    //> ch32
    // The log directory with the fewest partitions (Kafka's nextLogDirs).
    std::filesystem::path nextLogDir() const;
    // A directory as a log's parent_path() names it: "/data/" and "/data" are one directory.
    static std::filesystem::path normalDir(const std::filesystem::path& dir);
    //< ch32
    //> ch34
    void lockLogDirs();
    void loadLogs();
    void loadLogsIn(const std::filesystem::path& dir);
    void addLoadedLog(std::shared_ptr<Log> log);
    std::vector<std::shared_ptr<Log>> allLogs() const;
    // Writes `fileName` in each log directory: `offsetOf` every log there.
    void checkpoint(const char* fileName,
                    const std::function<std::int64_t(const Log&)>& offsetOf) const;
    std::map<common::TopicPartition, std::int64_t> readCheckpoint(
        const std::filesystem::path& file) const;
    //< ch34

    const Settings settings_;
    mutable std::shared_mutex mutex_;
    std::map<std::string, std::vector<std::shared_ptr<Log>>> logs_;
    //> ch34
    std::vector<std::unique_ptr<server::util::FileLock>> dirLocks_;
    const common::utils::Logger log_ = common::utils::LogContext().logger("LogManager");
    //< ch34
};

}  // namespace kafka::log
