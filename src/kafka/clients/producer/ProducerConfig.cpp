//@ ch02
#include "kafka/clients/producer/ProducerConfig.h"

#include <climits>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/LogContext.h"
//> ch38
#include "kafka/common/compress/Compression.h"
//< ch38

namespace kafka::clients::producer {

using common::config::ConfigDef;
using common::errors::ConfigException;
using Type = ConfigDef::Type;
using C = ProducerConfig;
//> ch38
using common::record::CompressionType;
//< ch38

namespace {

//> ch38 valid-level
// A codec's level must be one its library knows: Kafka's validators, with its messages.
ConfigDef::Validator validLevel(common::record::CompressionType type) {
    const auto levels = *common::compress::levelsOf(type);
    return [type, levels](const std::string& name, const common::config::ConfigValue& value) {
        const auto level = std::get<std::int32_t>(value);
        if (type == common::record::CompressionType::kGzip && level == levels.defaultLevel) return;
        if (level >= levels.min && level <= levels.max) return;
        std::string range = "Value must be between " + std::to_string(levels.min) + " and " +
                            std::to_string(levels.max);
        if (type == common::record::CompressionType::kGzip)
            range += ", or equal to " + std::to_string(levels.defaultLevel);
        throw ConfigException("Invalid value " + std::to_string(level) + " for configuration " +
                              name + ": " + range);
    };
}
//< ch38 valid-level

ConfigDef makeConfigDef() {
    ConfigDef def;
    def.define(C::kBootstrapServers, Type::kList, std::nullopt,
               "host:port pairs of brokers to ask for the cluster's metadata first.")
        .define(C::kClientId, Type::kString, "",
                // Every request header carries it as a STRING, whose length is an int16.
                ConfigDef::maxLength(32'767, "every request header carries it as a STRING"),
                "A name for this producer in the brokers' logs; 'producer-N' when empty.")
        //> ch02 acks-and-linger
        .define(C::kAcks, Type::kString, "all", ConfigDef::validString({"all", "-1", "0", "1"}),
                "How many replicas must have a record before the broker answers: 0 (no answer), "
                "1 (the leader) or all. Kafka 3.0 changed the default from 1 to all.")
        .define(C::kBatchSize, Type::kInt, "16384", ConfigDef::atLeast(0),
                "The size of the batches records are grouped into, per partition (chapter 7).")
        .define(C::kLingerMs, Type::kLong, "5", ConfigDef::atLeast(0),
                "How long a batch may wait for more records before it is sent (chapter 12). "
                "Kafka 4.0 changed the default from 0 to 5.")
        //< ch02 acks-and-linger
        .define(C::kBufferMemory, Type::kLong, "33554432", ConfigDef::atLeast(0),
                "The memory for records waiting to be sent (chapter 10).")
        .define(C::kMaxBlockMs, Type::kLong, "60000", ConfigDef::atLeast(0),
                "How long send() may block for metadata or memory (chapters 5 and 10).")
        .define(C::kMaxRequestSize, Type::kInt, "1048576", ConfigDef::atLeast(0),
                "The largest request, and so the largest record, the producer sends.")
        .define(C::kRequestTimeoutMs, Type::kInt, "30000", ConfigDef::atLeast(0),
                "How long to wait for the answer to one request (chapter 25).")
        .define(C::kDeliveryTimeoutMs, Type::kInt, "120000", ConfigDef::atLeast(0),
                "How long send() may take in all, retries included (chapter 24).")
        .define(C::kRetries, Type::kInt, std::to_string(INT_MAX), ConfigDef::between(0, INT_MAX),
                "How often a failed batch is tried again (chapter 23).")
        .define(C::kRetryBackoffMs, Type::kLong, "100", ConfigDef::atLeast(0),
                "The wait before a retry, and between metadata refreshes.")
        .define(C::kRetryBackoffMaxMs, Type::kLong, "1000", ConfigDef::atLeast(0),
                "The longest retry backoff once it has grown exponentially.")
        .define(C::kReconnectBackoffMs, Type::kLong, "50", ConfigDef::atLeast(0),
                "The wait before connecting again to a broker (chapter 15).")
        .define(C::kReconnectBackoffMaxMs, Type::kLong, "1000", ConfigDef::atLeast(0),
                "The longest reconnect backoff once it has grown exponentially.")
        .define(C::kMetadataMaxAgeMs, Type::kLong, "300000", ConfigDef::atLeast(0),
                "Metadata older than this is refreshed even if nothing went wrong (chapter 3).")
        .define(C::kMetadataMaxIdleMs, Type::kLong, "300000", ConfigDef::atLeast(5000),
                "A topic not produced to for this long is dropped from the metadata requests.")
        .define(C::kMaxInFlightRequestsPerConnection, Type::kInt, "5", ConfigDef::atLeast(1),
                "Requests sent to one broker and not yet answered (chapter 14).")
        .define(C::kSendBufferBytes, Type::kInt, "131072", ConfigDef::atLeast(-1),
                "The socket's send buffer (SO_SNDBUF); -1 leaves the OS default.")
        .define(C::kReceiveBufferBytes, Type::kInt, "32768", ConfigDef::atLeast(-1),
                "The socket's receive buffer (SO_RCVBUF); -1 leaves the OS default.")
        .define(C::kConnectionsMaxIdleMs, Type::kLong, "540000",
                "Idle connections are closed after this long.")
        /*> ch02-38 compression-none
        .define(C::kCompressionType, Type::kString, "none", ConfigDef::validString({"none"}),
                "The codec for batches. This course's producer sends uncompressed batches.")
        */
        //> ch38 compression-type
        .define(C::kCompressionType, Type::kString, "none",
                ConfigDef::validString({"none", "gzip", "snappy", "lz4", "zstd"}),
                "The codec for every batch's records: none, gzip, snappy, lz4 or zstd "
                "(chapter 38).")
        .define(C::kCompressionGzipLevel, Type::kInt, "-1", validLevel(CompressionType::kGzip),
                "gzip's level, 1 (fast) to 9 (small), or -1 for zlib's default, 6.")
        .define(C::kCompressionLz4Level, Type::kInt, "9", validLevel(CompressionType::kLz4),
                "lz4's level, 1 to 17 (Kafka 3.8+; lz4-java's high compressor).")
        .define(C::kCompressionZstdLevel, Type::kInt, "3", validLevel(CompressionType::kZstd),
                "zstd's level, -131072 to 22.")
        //< ch38 compression-type
        /*> ch02-36 idempotence
        .define(
            C::kEnableIdempotence, Type::kBoolean, "false",
            [](const std::string& name, const common::config::ConfigValue& value) {
                if (std::get<bool>(value))
                    throw ConfigException(
                        "Invalid value true for configuration " + name +
                        ": this course's producer does not implement idempotence "
                        "(InitProducerId and sequence numbers); Kafka 3.0+ enables it by "
                        "default, chapter 2 explains the difference");
            },
            "Exactly-once delivery per partition. Not implemented by this course.")
        */
        //> ch36 idempotence-default
        .define(C::kEnableIdempotence, Type::kBoolean, "true",
                "Each record stored exactly once per partition, in order, through retries: the "
                "producer gets an id from a broker and numbers its batches (chapter 36). Kafka "
                "3.0 made true the default; it needs acks=all, retries > 0 and at most 5 "
                "requests in flight.")
        //< ch36 idempotence-default
        .define(C::kPartitionerIgnoreKeys, Type::kBoolean, "false",
                "Partition keyed records as if they had no key (chapter 6).")
        .define(C::kSocketConnectionSetupTimeoutMs, Type::kLong, "10000", ConfigDef::atLeast(0),
                "How long a connection may take to be established.")
        .define(C::kSocketConnectionSetupTimeoutMaxMs, Type::kLong, "30000", ConfigDef::atLeast(0),
                "The longest connection setup timeout after backoff.");
    //> ch06
    def.define(C::kPartitionerClass, Type::kString, "",
               ConfigDef::validString({"", "DefaultPartitioner", "RoundRobinPartitioner",
                                       "org.apache.kafka.clients.producer.RoundRobinPartitioner"}),
               "The partitioner for records without an explicit partition; empty means the "
               "built-in one: murmur2 for keys, sticky for key-less records (chapter 6).");
    //< ch06
    //> ch25
    def.define(C::kMetricsNumSamples, Type::kInt, "2", ConfigDef::atLeast(1),
               "How many samples a windowed metric keeps (chapter 25).")
        .define(C::kMetricsSampleWindowMs, Type::kLong, "30000", ConfigDef::atLeast(1),
                "How long one sample of a windowed metric lasts (chapter 25).");
    //< ch25
    return def;
}

}  // namespace

const ConfigDef& ProducerConfig::configDef() {
    static const ConfigDef def = makeConfigDef();
    return def;
}

ProducerConfig::ProducerConfig(const common::config::Properties& props) : originals_(props) {
    values_ = configDef().parse(props, &unknownKeys_);
    // Kafka's own serializers are given as objects here, so their class-name keys are known.
    unknownKeys_.erase("key.serializer");
    unknownKeys_.erase("value.serializer");
    if (getList(kBootstrapServers).empty())
        throw ConfigException("Invalid value \"\" for configuration " +
                              std::string(kBootstrapServers) + ": no broker address given");
    //> ch36
    postProcessAndValidateIdempotenceConfigs();
    //< ch36
}

//> ch36 idempotence-rules
void ProducerConfig::postProcessAndValidateIdempotenceConfigs() {
    if (!getBoolean(kEnableIdempotence)) return;
    // Asked for by name, a conflict is an error; on by default, idempotence steps aside
    // quietly for acks and retries that cannot have it (Kafka 3.1.1/3.2, KAFKA-13673).
    const bool userConfigured = originals_.contains(kEnableIdempotence);
    const auto log = common::utils::LogContext().logger("ProducerConfig");
    bool stepAside = false;
    auto conflict = [&](const std::string& key, const std::string& value,
                        const std::string& requirement) {
        if (userConfigured) throw idempotenceConflict(key, value, requirement);
        log.info("Idempotence will be disabled because {} is set to {}, not {}.", key, value,
                 requirement);
        stepAside = true;
    };
    // Without retries nothing is ever sent twice, so there is nothing to deduplicate.
    if (getInt(kRetries) == 0) conflict(kRetries, "0", "greater than 0");
    // With acks below all, a leader change can lose acknowledged records, sequence numbers
    // and all: the guarantee would be a false one.
    if (acks() != -1) conflict(kAcks, getString(kAcks), "all");
    // The broker remembers the last five batches per producer and partition (chapter 37):
    // more in flight and a retry could fall outside what it can recognise. Kafka 4.0 made this
    // an error even when idempotence is on only by default (3.x stepped aside with a warning).
    const std::int32_t inFlight = getInt(kMaxInFlightRequestsPerConnection);
    if (inFlight > kMaxInFlightRequestsPerConnectionForIdempotence)
        throw idempotenceConflict(kMaxInFlightRequestsPerConnection, std::to_string(inFlight),
                                  "at most 5");
    if (stepAside) values_[kEnableIdempotence] = false;
}

ConfigException ProducerConfig::idempotenceConflict(const std::string& key,
                                                    const std::string& value,
                                                    const std::string& requirement) {
    return ConfigException("Invalid value " + value + " for configuration " + key + ": must be " +
                           requirement + " to use the idempotent producer (enable.idempotence=" +
                           "true, the default since Kafka 3.0)");
}
//< ch36 idempotence-rules

const common::config::ConfigValue& ProducerConfig::get(const std::string& key) const {
    const auto it = values_.find(key);
    if (it == values_.end()) throw ConfigException("Unknown configuration '" + key + "'");
    return it->second;
}

std::int32_t ProducerConfig::getInt(const std::string& key) const {
    return std::get<std::int32_t>(get(key));
}
std::int64_t ProducerConfig::getLong(const std::string& key) const {
    return std::get<std::int64_t>(get(key));
}
bool ProducerConfig::getBoolean(const std::string& key) const {
    return std::get<bool>(get(key));
}
const std::string& ProducerConfig::getString(const std::string& key) const {
    return std::get<std::string>(get(key));
}
const std::vector<std::string>& ProducerConfig::getList(const std::string& key) const {
    return std::get<std::vector<std::string>>(get(key));
}

std::int16_t ProducerConfig::acks() const {
    const std::string& acks = getString(kAcks);
    return acks == "all" ? -1 : static_cast<std::int16_t>(std::stoi(acks));
}

//> ch02 log-unused
void ProducerConfig::logUnused() const {
    const auto log = common::utils::LogContext().logger("ProducerConfig");
    for (const auto& key : unknownKeys_)
        log.warn("The configuration '{}' was supplied but isn't a known config.", key);
}
//< ch02 log-unused

}  // namespace kafka::clients::producer
