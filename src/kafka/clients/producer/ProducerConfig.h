//@ ch02
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "kafka/common/config/ConfigDef.h"
//> ch36
#include "kafka/common/errors/Exceptions.h"
//< ch36

namespace kafka::clients::producer {

/// The producer's settings: Kafka's keys, Kafka's defaults (those of Kafka 4.x, where they
/// changed since 0.10; chapter 2 lists both), parsed and checked once, when the producer is made.
class ProducerConfig {
public:
    // Kafka's key names, so that a properties file written for Java works here unchanged.
    static constexpr const char* kBootstrapServers = "bootstrap.servers";
    static constexpr const char* kClientId = "client.id";
    static constexpr const char* kAcks = "acks";
    static constexpr const char* kBatchSize = "batch.size";
    static constexpr const char* kLingerMs = "linger.ms";
    static constexpr const char* kBufferMemory = "buffer.memory";
    static constexpr const char* kMaxBlockMs = "max.block.ms";
    static constexpr const char* kMaxRequestSize = "max.request.size";
    static constexpr const char* kRequestTimeoutMs = "request.timeout.ms";
    static constexpr const char* kDeliveryTimeoutMs = "delivery.timeout.ms";
    static constexpr const char* kRetries = "retries";
    static constexpr const char* kRetryBackoffMs = "retry.backoff.ms";
    static constexpr const char* kRetryBackoffMaxMs = "retry.backoff.max.ms";
    static constexpr const char* kReconnectBackoffMs = "reconnect.backoff.ms";
    static constexpr const char* kReconnectBackoffMaxMs = "reconnect.backoff.max.ms";
    static constexpr const char* kMetadataMaxAgeMs = "metadata.max.age.ms";
    static constexpr const char* kMetadataMaxIdleMs = "metadata.max.idle.ms";
    static constexpr const char* kMaxInFlightRequestsPerConnection =
        "max.in.flight.requests.per.connection";
    static constexpr const char* kSendBufferBytes = "send.buffer.bytes";
    static constexpr const char* kReceiveBufferBytes = "receive.buffer.bytes";
    static constexpr const char* kConnectionsMaxIdleMs = "connections.max.idle.ms";
    static constexpr const char* kCompressionType = "compression.type";
    //> ch38
    static constexpr const char* kCompressionGzipLevel = "compression.gzip.level";
    static constexpr const char* kCompressionLz4Level = "compression.lz4.level";
    static constexpr const char* kCompressionZstdLevel = "compression.zstd.level";
    //< ch38
    static constexpr const char* kEnableIdempotence = "enable.idempotence";
    static constexpr const char* kPartitionerIgnoreKeys = "partitioner.ignore.keys";
    //> ch06
    static constexpr const char* kPartitionerClass = "partitioner.class";
    //< ch06
    static constexpr const char* kSocketConnectionSetupTimeoutMs =
        "socket.connection.setup.timeout.ms";
    static constexpr const char* kSocketConnectionSetupTimeoutMaxMs =
        "socket.connection.setup.timeout.max.ms";
    //> ch25
    static constexpr const char* kMetricsNumSamples = "metrics.num.samples";
    static constexpr const char* kMetricsSampleWindowMs = "metrics.sample.window.ms";
    //< ch25

    /// Parses and validates `props`. Throws ConfigException naming the key and the value.
    explicit ProducerConfig(const common::config::Properties& props);

    /// The definition of every key: type, default, validator and documentation.
    static const common::config::ConfigDef& configDef();

    std::int32_t getInt(const std::string& key) const;
    std::int64_t getLong(const std::string& key) const;
    bool getBoolean(const std::string& key) const;
    const std::string& getString(const std::string& key) const;
    const std::vector<std::string>& getList(const std::string& key) const;

    /// acks as it goes on the wire: "all" is -1.
    std::int16_t acks() const;
    //> ch36
    /// enable.idempotence after Kafka's rules: off by default when another setting rules it
    /// out (chapter 36).
    bool idempotenceEnabled() const { return getBoolean(kEnableIdempotence); }
    static constexpr std::int32_t kMaxInFlightRequestsPerConnectionForIdempotence = 5;
    //< ch36

    /// Keys the user supplied that the producer does not know. Kafka logs a warning for each
    /// ("was supplied but isn't a known config") and carries on; a typo is not fatal.
    const std::set<std::string>& unknownKeys() const { return unknownKeys_; }
    void logUnused() const;

    const common::config::Properties& originals() const { return originals_; }

private:
    const common::config::ConfigValue& get(const std::string& key) const;
    //> ch36
    void postProcessAndValidateIdempotenceConfigs();
    static common::errors::ConfigException idempotenceConflict(const std::string& key,
                                                               const std::string& value,
                                                               const std::string& requirement);
    //< ch36

    common::config::Properties originals_;
    std::map<std::string, common::config::ConfigValue> values_;
    std::set<std::string> unknownKeys_;
};

}  // namespace kafka::clients::producer
