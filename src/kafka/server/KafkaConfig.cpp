//@ ch26
#include "kafka/server/KafkaConfig.h"

#include <charconv>
#include <tuple>

#include "kafka/common/errors/Exceptions.h"
//> ch38
#include "kafka/common/compress/Compression.h"
//< ch38

namespace kafka::server {

using common::config::ConfigDef;
using common::errors::ConfigException;
using Type = ConfigDef::Type;
using C = KafkaConfig;

namespace {

//> ch38 level-validator
using common::record::CompressionType;

// The levels the codec takes (Kafka's GzipCompression.LevelValidator, and the ranges of
// Lz4Compression and ZstdCompression); gzip also takes -1, zlib's own default.
ConfigDef::Validator levelValidator(CompressionType type) {
    const auto levels = *common::compress::levelsOf(type);
    return [type, levels](const std::string& name, const common::config::ConfigValue& value) {
        const auto level = std::get<std::int32_t>(value);
        if (type == CompressionType::kGzip && level == -1) return;
        if (level < levels.min || level > levels.max)
            throw ConfigException("Invalid value " + std::to_string(level) + " for configuration " +
                                  name + ": Value must be between " + std::to_string(levels.min) +
                                  " and " + std::to_string(levels.max) +
                                  (type == CompressionType::kGzip ? ", or -1" : ""));
    };
}
//< ch38 level-validator

ConfigDef makeConfigDef() {
    ConfigDef def;
    def.define(C::kBrokerId, Type::kInt, "0", ConfigDef::atLeast(0),
               "This broker's id: its node id in Metadata answers.")
        .define(C::kListeners, Type::kString, "PLAINTEXT://:9092",
                "Where the broker listens, as PLAINTEXT://host:port; an empty host means every "
                "interface, port 0 any free port. (Kafka takes a list; this broker one listener.)")
        .define(C::kNumNetworkThreads, Type::kInt, "3", ConfigDef::atLeast(1),
                "Processor threads, each serving its share of the connections (chapter 28).")
        .define(C::kNumIoThreads, Type::kInt, "8", ConfigDef::atLeast(1),
                "Request handler threads (chapter 30).")
        .define(C::kNumPartitions, Type::kInt, "1", ConfigDef::atLeast(1),
                "Partitions of a topic created on first use.")
        .define(C::kSocketRequestMaxBytes, Type::kInt, "104857600", ConfigDef::atLeast(1),
                "The largest request frame; a larger one closes its connection (chapter 29).")
        .define(C::kQueuedMaxRequests, Type::kInt, "500", ConfigDef::atLeast(1),
                "Requests waiting for a handler before the Processors stop reading (chapter 30).")
        .define(C::kAutoCreateTopicsEnable, Type::kBoolean, "true",
                "Create a topic when a client first asks for its metadata.")
        .define(C::kLogDirs, Type::kString, "/tmp/kafka-logs",
                "The directories of the partition logs, separated by commas (chapter 32; "
                "until then the logs are kept in memory).");
    //> ch28
    def.define(C::kConnectionsMaxIdleMs, Type::kLong, "600000",
               "Close a connection that has sent and received nothing for this long (-1: "
               "never), so that clients that vanish do not hold sockets forever (chapter 28).");
    //< ch28
    //> ch30
    def.define(C::kAdvertisedListeners, Type::kString, "",
               "The address to give clients in Metadata answers, PLAINTEXT://host:port, when it "
               "is not the one the broker binds (empty: the listener's; chapter 30).")
        .define(C::kFetchMaxBytes, Type::kInt, "57671680", ConfigDef::atLeast(1024),
                "The most a fetch response carries, whatever the request asks (chapter 30).")
        .define(C::kMessageMaxBytes, Type::kInt, "1048588", ConfigDef::atLeast(0),
                "The largest record batch a log takes (chapter 30).");
    //< ch30
    //> ch31
    def.define(C::kLogMessageTimestampType, Type::kString, "CreateTime",
               ConfigDef::validString({"CreateTime", "LogAppendTime"}),
               "Whose clock stamps the records: the producer's (CreateTime) or the broker's "
               "when it appends them (LogAppendTime) (chapter 31).")
        .define(C::kLogMessageTimestampBeforeMaxMs, Type::kLong, "9223372036854775807",
                ConfigDef::atLeast(0),
                "How far in the past of the broker's clock a CreateTime timestamp may lie "
                "(chapter 31).")
        .define(C::kLogMessageTimestampAfterMaxMs, Type::kLong, "3600000", ConfigDef::atLeast(0),
                "How far in the future of the broker's clock a CreateTime timestamp may lie "
                "(chapter 31).")
        .define(C::kMinInSyncReplicas, Type::kInt, "1", ConfigDef::atLeast(1),
                "With acks=all, the in-sync replicas an append needs (chapter 31).");
    //< ch31
    //> ch32
    def.define(C::kLogSegmentBytes, Type::kInt, "1073741824", ConfigDef::atLeast(1024 * 1024),
               "A segment rolls before it would pass this size (chapter 32).")
        .define(C::kLogRollHours, Type::kInt, "168", ConfigDef::atLeast(1),
                "A segment rolls once its records span this long (chapter 32).")
        .define(C::kLogRollMs, Type::kLong, "-1",
                "The same in milliseconds; wins over log.roll.hours when set (chapter 32).")
        .define(C::kLogFlushIntervalMessages, Type::kLong, "9223372036854775807",
                ConfigDef::atLeast(1),
                "An fsync of the log every so many records; never, by default (chapter 32).");
    //< ch32
    //> ch33
    // Kafka accepts 4 here, and then cannot make a time index (12-byte entries, one kept
    // free): the key is refused with its value instead.
    def.define(C::kLogIndexIntervalBytes, Type::kInt, "4096", ConfigDef::atLeast(0),
               "An index entry every so many bytes of record batches (chapter 33).")
        .define(C::kLogIndexSizeMaxBytes, Type::kInt, "10485760", ConfigDef::atLeast(24),
                "The largest a segment's index may grow; a full index rolls the segment "
                "(chapter 33).");
    //< ch33
    //> ch34
    // Kafka takes the finest of the three retention keys that is set: ms, else minutes, else
    // hours. Here every key has a default and the constructor asks which ones were given.
    def.define(C::kLogRetentionHours, Type::kInt, "168", ConfigDef::atLeast(-1),
               "How long a segment is kept after its newest record (chapter 34).")
        .define(C::kLogRetentionMinutes, Type::kInt, "10080", ConfigDef::atLeast(-1),
                "The same in minutes; wins over log.retention.hours when set (chapter 34).")
        .define(C::kLogRetentionMs, Type::kLong, "604800000", ConfigDef::atLeast(-1),
                "The same in milliseconds; wins over the other two when set; -1 keeps every "
                "segment (chapter 34).")
        .define(C::kLogRetentionBytes, Type::kLong, "-1", ConfigDef::atLeast(-1),
                "Old segments are deleted while a log is larger than this; -1: no bound "
                "(chapter 34).")
        .define(C::kLogRetentionCheckIntervalMs, Type::kLong, "300000", ConfigDef::atLeast(1),
                "How often retention runs (chapter 34).")
        .define(C::kLogFlushOffsetCheckpointIntervalMs, Type::kInt, "60000", ConfigDef::atLeast(0),
                "How often the recovery points are written down (chapter 34).")
        .define(C::kLogFlushStartOffsetCheckpointIntervalMs, Type::kInt, "60000",
                ConfigDef::atLeast(0),
                "How often the log start offsets are written down (chapter 34).");
    //< ch34
    //> ch38 compression-config
    // Kafka's names: the producer's codec names, "producer" to keep whichever codec a batch
    // came in, and "uncompressed" (not "none") to store every batch without one.
    def.define(
           C::kCompressionType, Type::kString, "producer",
           ConfigDef::validString({"uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"}),
           "The codec the logs keep batches in; a batch in another is compressed again "
           "(chapter 38).")
        .define(C::kCompressionGzipLevel, Type::kInt, "-1", levelValidator(CompressionType::kGzip),
                "The level of gzip when the broker compresses with it; -1: zlib's default "
                "(chapter 38).")
        .define(C::kCompressionLz4Level, Type::kInt, "9", levelValidator(CompressionType::kLz4),
                "The level of lz4 when the broker compresses with it (chapter 38).")
        .define(C::kCompressionZstdLevel, Type::kInt, "3", levelValidator(CompressionType::kZstd),
                "The level of zstd when the broker compresses with it (chapter 38).");
    //< ch38 compression-config
    return def;
}

}  // namespace

const ConfigDef& KafkaConfig::configDef() {
    static const ConfigDef def = makeConfigDef();
    return def;
}

KafkaConfig::KafkaConfig(const common::config::Properties& props) {
    const auto values = configDef().parse(props, &unknownKeys_);
    auto getInt = [&](const char* key) { return std::get<std::int32_t>(values.at(key)); };
    brokerId_ = getInt(kBrokerId);
    numNetworkThreads_ = getInt(kNumNetworkThreads);
    numIoThreads_ = getInt(kNumIoThreads);
    numPartitions_ = getInt(kNumPartitions);
    socketRequestMaxBytes_ = getInt(kSocketRequestMaxBytes);
    queuedMaxRequests_ = getInt(kQueuedMaxRequests);
    autoCreateTopicsEnable_ = std::get<bool>(values.at(kAutoCreateTopicsEnable));
    //> ch28
    connectionsMaxIdleMs_ = std::get<std::int64_t>(values.at(kConnectionsMaxIdleMs));
    //< ch28
    //> ch30
    fetchMaxBytes_ = getInt(kFetchMaxBytes);
    logConfig_.maxMessageBytes = getInt(kMessageMaxBytes);
    //< ch30
    //> ch31
    auto getLong = [&](const char* key) { return std::get<std::int64_t>(values.at(key)); };
    logConfig_.messageTimestampType = *common::record::timestampTypeForName(
        std::get<std::string>(values.at(kLogMessageTimestampType)));
    logConfig_.messageTimestampBeforeMaxMs = getLong(kLogMessageTimestampBeforeMaxMs);
    logConfig_.messageTimestampAfterMaxMs = getLong(kLogMessageTimestampAfterMaxMs);
    logConfig_.minInSyncReplicas = getInt(kMinInSyncReplicas);
    //< ch31
    //> ch32
    logConfig_.segmentBytes = getInt(kLogSegmentBytes);
    const std::int64_t rollMs = getLong(kLogRollMs);
    logConfig_.segmentMs = rollMs > 0 ? rollMs : getInt(kLogRollHours) * 3'600'000LL;
    logConfig_.flushIntervalMessages = getLong(kLogFlushIntervalMessages);
    parseLogDirs(std::get<std::string>(values.at(kLogDirs)));
    //< ch32
    //> ch33
    logConfig_.indexIntervalBytes = getInt(kLogIndexIntervalBytes);
    logConfig_.maxIndexSize = getInt(kLogIndexSizeMaxBytes);
    //< ch33
    //> ch34
    auto minutesToMs = [](std::int64_t minutes) { return minutes < 0 ? -1 : minutes * 60'000; };
    logConfig_.retentionMs = props.contains(kLogRetentionMs) ? getLong(kLogRetentionMs)
                             : props.contains(kLogRetentionMinutes)
                                 ? minutesToMs(getInt(kLogRetentionMinutes))
                                 : minutesToMs(getInt(kLogRetentionHours) * 60LL);
    logConfig_.retentionBytes = getLong(kLogRetentionBytes);
    logRetentionCheckIntervalMs_ = getLong(kLogRetentionCheckIntervalMs);
    logFlushOffsetCheckpointIntervalMs_ = getInt(kLogFlushOffsetCheckpointIntervalMs);
    logFlushStartOffsetCheckpointIntervalMs_ = getInt(kLogFlushStartOffsetCheckpointIntervalMs);
    //< ch34
    //> ch38
    // "producer" leaves the type unset; "uncompressed" is the codec Kafka calls none.
    if (const auto& type = std::get<std::string>(values.at(kCompressionType)); type != "producer")
        logConfig_.compressionType = type == "uncompressed"
                                         ? CompressionType::kNone
                                         : *common::record::compressionTypeForName(type);
    logConfig_.compressionGzipLevel = getInt(kCompressionGzipLevel);
    logConfig_.compressionLz4Level = getInt(kCompressionLz4Level);
    logConfig_.compressionZstdLevel = getInt(kCompressionZstdLevel);
    //< ch38
    std::tie(host_, port_) =
        parseListener(kListeners, std::get<std::string>(values.at(kListeners)));
    //> ch30
    if (const auto& advertised = std::get<std::string>(values.at(kAdvertisedListeners));
        !advertised.empty()) {
        advertisedListener_ = parseListener(kAdvertisedListeners, advertised);
        // Kafka refuses it too: no client can connect to "every interface".
        const auto& [host, port] = *advertisedListener_;
        if (host.empty() || host == "0.0.0.0" || host == "::" || port == 0)
            throw ConfigException("Invalid value " + advertised + " for configuration " +
                                  std::string(kAdvertisedListeners) +
                                  ": a client needs a host and a port it can connect to");
    }
    //< ch30
}

//> ch32
void KafkaConfig::parseLogDirs(const std::string& dirs) {
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const auto comma = std::min(dirs.find(',', start), dirs.size());
        auto dir = dirs.substr(start, comma - start);
        dir.erase(0, dir.find_first_not_of(' '));
        dir.erase(dir.find_last_not_of(' ') + 1);
        if (!dir.empty()) logDirs_.emplace_back(dir);
        start = comma + 1;
    }
    if (logDirs_.empty())
        throw ConfigException("Invalid value " + dirs + " for configuration " +
                              std::string(kLogDirs) + ": no directory");
}
//< ch32

//> ch26 listeners
std::pair<std::string, int> KafkaConfig::parseListener(const char* key,
                                                       const std::string& listeners) {
    auto invalid = [&](const std::string& why) {
        return ConfigException("Invalid value " + listeners + " for configuration " +
                               std::string(key) + ": " + why);
    };
    const std::string scheme = "PLAINTEXT://";
    if (listeners.find(',') != std::string::npos)
        throw invalid("this broker serves a single listener");
    if (listeners.rfind(scheme, 0) != 0)
        throw invalid("expected PLAINTEXT://host:port (no TLS or SASL here)");
    const std::string address = listeners.substr(scheme.size());
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) throw invalid("no port");
    std::string host = address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')  // [::1]
        host = host.substr(1, host.size() - 2);
    const std::string portText = address.substr(colon + 1);
    int port = 0;
    const auto [end, error] =
        std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (portText.empty() || error != std::errc() || end != portText.data() + portText.size() ||
        port < 0 || port > 65535)
        throw invalid("the port must be a number from 0 to 65535");
    return {host, port};
}
//< ch26 listeners

}  // namespace kafka::server
