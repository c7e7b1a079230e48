//@ ch26
#pragma once

#include <cstdint>
//> ch32
#include <filesystem>
#include <vector>
//< ch32
#include <map>
//> ch30
#include <optional>
//< ch30
#include <set>
#include <string>
//> ch30
#include <utility>
//< ch30

#include "kafka/common/config/ConfigDef.h"
//> ch30
#include "kafka/log/LogConfig.h"
//< ch30

namespace kafka::server {

/// The broker's settings (Kafka's KafkaConfig): the keys of server.properties that this
/// broker's front end uses, with Kafka's defaults, parsed and checked once at startup. A bad
/// value stops the broker before it binds anything, with the key and the value in the
/// message.
class KafkaConfig {
public:
    static constexpr const char* kBrokerId = "broker.id";
    static constexpr const char* kListeners = "listeners";
    static constexpr const char* kNumNetworkThreads = "num.network.threads";
    static constexpr const char* kNumIoThreads = "num.io.threads";
    static constexpr const char* kNumPartitions = "num.partitions";
    static constexpr const char* kSocketRequestMaxBytes = "socket.request.max.bytes";
    static constexpr const char* kQueuedMaxRequests = "queued.max.requests";
    static constexpr const char* kAutoCreateTopicsEnable = "auto.create.topics.enable";
    static constexpr const char* kLogDirs = "log.dirs";
    //> ch28
    static constexpr const char* kConnectionsMaxIdleMs = "connections.max.idle.ms";
    //< ch28
    //> ch30
    static constexpr const char* kAdvertisedListeners = "advertised.listeners";
    static constexpr const char* kFetchMaxBytes = "fetch.max.bytes";
    static constexpr const char* kMessageMaxBytes = "message.max.bytes";
    //< ch30
    //> ch31
    static constexpr const char* kLogMessageTimestampType = "log.message.timestamp.type";
    static constexpr const char* kLogMessageTimestampBeforeMaxMs =
        "log.message.timestamp.before.max.ms";
    static constexpr const char* kLogMessageTimestampAfterMaxMs =
        "log.message.timestamp.after.max.ms";
    static constexpr const char* kMinInSyncReplicas = "min.insync.replicas";
    //< ch31
    //> ch32
    static constexpr const char* kLogSegmentBytes = "log.segment.bytes";
    static constexpr const char* kLogRollHours = "log.roll.hours";
    static constexpr const char* kLogRollMs = "log.roll.ms";
    static constexpr const char* kLogFlushIntervalMessages = "log.flush.interval.messages";
    //< ch32
    //> ch33
    static constexpr const char* kLogIndexIntervalBytes = "log.index.interval.bytes";
    static constexpr const char* kLogIndexSizeMaxBytes = "log.index.size.max.bytes";
    //< ch33
    //> ch34
    static constexpr const char* kLogRetentionHours = "log.retention.hours";
    static constexpr const char* kLogRetentionMinutes = "log.retention.minutes";
    static constexpr const char* kLogRetentionMs = "log.retention.ms";
    static constexpr const char* kLogRetentionBytes = "log.retention.bytes";
    static constexpr const char* kLogRetentionCheckIntervalMs = "log.retention.check.interval.ms";
    static constexpr const char* kLogFlushOffsetCheckpointIntervalMs =
        "log.flush.offset.checkpoint.interval.ms";
    static constexpr const char* kLogFlushStartOffsetCheckpointIntervalMs =
        "log.flush.start.offset.checkpoint.interval.ms";
    //< ch34
    //> ch38
    static constexpr const char* kCompressionType = "compression.type";
    static constexpr const char* kCompressionGzipLevel = "compression.gzip.level";
    static constexpr const char* kCompressionLz4Level = "compression.lz4.level";
    static constexpr const char* kCompressionZstdLevel = "compression.zstd.level";
    //< ch38

    /// Throws ConfigException naming the key and the value.
    explicit KafkaConfig(const common::config::Properties& props);

    static const common::config::ConfigDef& configDef();

    std::int32_t brokerId() const { return brokerId_; }
    /// From `listeners` (PLAINTEXT://host:port): the host to bind ("" for every interface)
    /// and the port (0: any free port, which the broker then prints).
    const std::string& host() const { return host_; }
    int port() const { return port_; }
    std::int32_t numNetworkThreads() const { return numNetworkThreads_; }
    std::int32_t numIoThreads() const { return numIoThreads_; }
    std::int32_t numPartitions() const { return numPartitions_; }
    std::int32_t socketRequestMaxBytes() const { return socketRequestMaxBytes_; }
    std::int32_t queuedMaxRequests() const { return queuedMaxRequests_; }
    bool autoCreateTopicsEnable() const { return autoCreateTopicsEnable_; }
    //> ch28
    /// A connection with no traffic for this long is closed (-1: never).
    std::int64_t connectionsMaxIdleMs() const { return connectionsMaxIdleMs_; }
    //< ch28
    //> ch30
    /// From `advertised.listeners`: the address Metadata answers give for this broker, when
    /// clients must reach it by another than the one it binds (a proxy, NAT, a container).
    /// Not set: the listener's own host and the port it is bound to.
    const std::optional<std::pair<std::string, int>>& advertisedListener() const {
        return advertisedListener_;
    }
    /// What a fetch response may carry at most, whatever the request asks for.
    std::int32_t fetchMaxBytes() const { return fetchMaxBytes_; }
    /// The settings every partition log gets (the broker's log.* keys and their kin, such as
    /// message.max.bytes).
    const log::LogConfig& logConfig() const { return logConfig_; }
    //< ch30
    //> ch32
    /// log.dirs, split at its commas.
    const std::vector<std::filesystem::path>& logDirs() const { return logDirs_; }
    //< ch32
    //> ch34
    std::int64_t logRetentionCheckIntervalMs() const { return logRetentionCheckIntervalMs_; }
    std::int64_t logFlushOffsetCheckpointIntervalMs() const {
        return logFlushOffsetCheckpointIntervalMs_;
    }
    std::int64_t logFlushStartOffsetCheckpointIntervalMs() const {
        return logFlushStartOffsetCheckpointIntervalMs_;
    }
    //< ch34

    /// Keys given that the broker does not know: Kafka warns and goes on.
    const std::set<std::string>& unknownKeys() const { return unknownKeys_; }

private:
    /// A `PLAINTEXT://host:port` value of `key`: its host and port.
    static std::pair<std::string, int> parseListener(const char* key, const std::string& value);
    //> ch32
    void parseLogDirs(const std::string& dirs);
    //< ch32

    std::int32_t brokerId_;
    std::string host_;
    int port_ = 0;
    //> ch30
    std::optional<std::pair<std::string, int>> advertisedListener_;
    //< ch30
    std::int32_t numNetworkThreads_;
    std::int32_t numIoThreads_;
    std::int32_t numPartitions_;
    std::int32_t socketRequestMaxBytes_;
    std::int32_t queuedMaxRequests_;
    bool autoCreateTopicsEnable_;
    //> ch28
    std::int64_t connectionsMaxIdleMs_;
    //< ch28
    //> ch30
    std::int32_t fetchMaxBytes_;
    log::LogConfig logConfig_;
    //< ch30
    //> ch32
    std::vector<std::filesystem::path> logDirs_;
    //< ch32
    //> ch34
    std::int64_t logRetentionCheckIntervalMs_;
    std::int64_t logFlushOffsetCheckpointIntervalMs_;
    std::int64_t logFlushStartOffsetCheckpointIntervalMs_;
    //< ch34
    std::set<std::string> unknownKeys_;
};

}  // namespace kafka::server
