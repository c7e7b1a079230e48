// Chapter 2: the producer's configuration: Kafka's keys, Kafka's defaults, clear errors.
#include <gtest/gtest.h>

#include <climits>

#include "kafka/clients/producer/ProducerConfig.h"
#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients::producer {
namespace {

using common::errors::ConfigException;
using C = ProducerConfig;

ProducerConfig configWith(common::config::Properties props) {
    props.emplace(C::kBootstrapServers, "localhost:9092");
    return ProducerConfig(props);
}

// The error message of a configuration that must fail.
std::string configError(const common::config::Properties& props) {
    try {
        configWith(props);
    } catch (const ConfigException& e) {
        return e.what();
    }
    return "<accepted>";
}

TEST(ProducerConfig, DefaultsAreKafkasModernDefaults) {
    const auto config = configWith({});
    EXPECT_EQ(config.getString(C::kAcks), "all");
    EXPECT_EQ(config.acks(), -1);
    EXPECT_EQ(config.getInt(C::kBatchSize), 16384);
    EXPECT_EQ(config.getLong(C::kLingerMs), 5);
    EXPECT_EQ(config.getLong(C::kBufferMemory), 33554432);
    EXPECT_EQ(config.getLong(C::kMaxBlockMs), 60000);
    EXPECT_EQ(config.getInt(C::kMaxRequestSize), 1048576);
    EXPECT_EQ(config.getInt(C::kRequestTimeoutMs), 30000);
    EXPECT_EQ(config.getInt(C::kDeliveryTimeoutMs), 120000);
    EXPECT_EQ(config.getInt(C::kRetries), INT_MAX);
    EXPECT_EQ(config.getLong(C::kRetryBackoffMs), 100);
    EXPECT_EQ(config.getLong(C::kRetryBackoffMaxMs), 1000);
    EXPECT_EQ(config.getLong(C::kReconnectBackoffMs), 50);
    EXPECT_EQ(config.getLong(C::kReconnectBackoffMaxMs), 1000);
    EXPECT_EQ(config.getLong(C::kMetadataMaxAgeMs), 300000);
    EXPECT_EQ(config.getLong(C::kMetadataMaxIdleMs), 300000);
    EXPECT_EQ(config.getInt(C::kMaxInFlightRequestsPerConnection), 5);
    EXPECT_EQ(config.getInt(C::kSendBufferBytes), 131072);
    EXPECT_EQ(config.getInt(C::kReceiveBufferBytes), 32768);
    EXPECT_EQ(config.getLong(C::kConnectionsMaxIdleMs), 540000);
    EXPECT_EQ(config.getString(C::kCompressionType), "none");
    EXPECT_EQ(config.getString(C::kClientId), "");
    EXPECT_FALSE(config.getBoolean(C::kPartitionerIgnoreKeys));
}

TEST(ProducerConfig, ValuesAreParsedIntoTheirTypes) {
    const auto config =
        configWith({{C::kAcks, "1"}, {C::kLingerMs, " 20 "}, {C::kBatchSize, "65536"}});
    EXPECT_EQ(config.acks(), 1);
    EXPECT_EQ(config.getLong(C::kLingerMs), 20);
    EXPECT_EQ(config.getInt(C::kBatchSize), 65536);
    EXPECT_EQ(configWith({{C::kAcks, "0"}}).acks(), 0);
}

TEST(ProducerConfig, ABadValueNamesTheKeyAndTheValue) {
    EXPECT_EQ(configError({{C::kLingerMs, "abc"}}),
              "Invalid value abc for configuration linger.ms: Not a number of type LONG");
    EXPECT_EQ(configError({{C::kBatchSize, "-1"}}),
              "Invalid value -1 for configuration batch.size: Value must be at least 0");
    EXPECT_EQ(configError({{C::kAcks, "2"}}),
              "Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1");
    EXPECT_EQ(configError({{C::kMaxInFlightRequestsPerConnection, "0"}}),
              "Invalid value 0 for configuration max.in.flight.requests.per.connection: Value "
              "must be at least 1");
    EXPECT_EQ(configError({{C::kBatchSize, "99999999999"}}),
              "Invalid value 99999999999 for configuration batch.size: Not a number of type INT");
    // Refused until chapter 36 builds idempotence; from then on refused because acks=1
    // cannot keep its promise. Either way the message names the setting.
    EXPECT_NE(
        configError({{C::kEnableIdempotence, "true"}, {C::kAcks, "1"}}).find("enable.idempotence"),
        std::string::npos);
    EXPECT_EQ(configError({{C::kPartitionerIgnoreKeys, "yes"}}),
              "Invalid value yes for configuration partitioner.ignore.keys: Expected value to be "
              "either true or false");
}

TEST(ProducerConfig, BootstrapServersIsRequired) {
    try {
        ProducerConfig config({});
        FAIL() << "a producer without bootstrap.servers was configured";
    } catch (const ConfigException& e) {
        EXPECT_STREQ(e.what(),
                     "Missing required configuration \"bootstrap.servers\" which has no default "
                     "value.");
    }
}

TEST(ProducerConfig, UnknownKeysAreRememberedForAWarningNotRejected) {
    const auto config = configWith({{"linger.msec", "10"}, {"key.serializer", "x"}});
    EXPECT_EQ(config.unknownKeys(), std::set<std::string>{"linger.msec"});
    EXPECT_EQ(config.getLong(C::kLingerMs), 5);
}

// Every request header carries client.id as a STRING, whose length is an int16. A bug this test
// guards against: a longer id written with a negative length: every request then broke its
// connection. Refused here, with the key, rather than on the wire.
TEST(ProducerConfig, AClientIdLongerThanARequestHeaderCarriesIsRefused) {
    const std::string tooLong(32'768, 'c');
    try {
        configWith({{"client.id", tooLong}});
        FAIL() << "a client.id of 32768 bytes was accepted";
    } catch (const ConfigException& e) {
        EXPECT_NE(std::string(e.what()).find("client.id"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("32767"), std::string::npos) << e.what();
    }
    EXPECT_NO_THROW(configWith({{"client.id", std::string(32'767, 'c')}}));
}

// Kafka allows batch.size=0: no batching, every record in a batch of its own. A bug this test
// guards against: it accepted here and then refused by the BufferPool.
TEST(ProducerConfig, BatchSizeZeroIsAllowedAsInKafka) {
    EXPECT_EQ(configWith({{"batch.size", "0"}}).getInt(C::kBatchSize), 0);
}

}  // namespace
}  // namespace kafka::clients::producer
