// Chapter 36: enable.idempotence as Kafka 3.0+ has it. On by default; asked for by name, it
// refuses settings that break its promise, naming the setting and its value; on by default
// only, it steps aside for those settings instead (Kafka 3.2+).
#include <gtest/gtest.h>

#include <string>

#include "kafka/clients/producer/ProducerConfig.h"
#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients::producer {
namespace {

using C = ProducerConfig;

ProducerConfig configWith(common::config::Properties props) {
    props[C::kBootstrapServers] = "localhost:9092";
    return ProducerConfig(props);
}

std::string configError(const common::config::Properties& props) {
    try {
        configWith(props);
    } catch (const common::errors::ConfigException& e) {
        return e.what();
    }
    return "no error";
}

TEST(IdempotenceConfig, IsOnByDefault) {
    EXPECT_TRUE(configWith({}).idempotenceEnabled());
    EXPECT_FALSE(configWith({{C::kEnableIdempotence, "false"}}).idempotenceEnabled());
}

TEST(IdempotenceConfig, AskedForByNameItRefusesWhatBreaksItsPromise) {
    EXPECT_EQ(configError({{C::kEnableIdempotence, "true"}, {C::kAcks, "1"}}),
              "Invalid value 1 for configuration acks: must be all to use the idempotent "
              "producer (enable.idempotence=true, the default since Kafka 3.0)");
    EXPECT_EQ(configError({{C::kEnableIdempotence, "true"}, {C::kRetries, "0"}}),
              "Invalid value 0 for configuration retries: must be greater than 0 to use the "
              "idempotent producer (enable.idempotence=true, the default since Kafka 3.0)");
    EXPECT_EQ(
        configError({{C::kEnableIdempotence, "true"}, {C::kMaxInFlightRequestsPerConnection, "6"}}),
        "Invalid value 6 for configuration max.in.flight.requests.per.connection: must be "
        "at most 5 to use the idempotent producer (enable.idempotence=true, the default since "
        "Kafka 3.0)");
    EXPECT_TRUE(configWith({{C::kEnableIdempotence, "true"},
                            {C::kAcks, "-1"},
                            {C::kMaxInFlightRequestsPerConnection, "5"}})
                    .idempotenceEnabled());
}

TEST(IdempotenceConfig, OnByDefaultItStepsAsideForThoseSettings) {
    EXPECT_FALSE(configWith({{C::kAcks, "1"}}).idempotenceEnabled());
    EXPECT_FALSE(configWith({{C::kAcks, "0"}}).idempotenceEnabled());
    EXPECT_FALSE(configWith({{C::kRetries, "0"}}).idempotenceEnabled());
}

TEST(IdempotenceConfig, MoreThanFiveInFlightIsAnErrorEvenByDefaultAsInKafka4) {
    EXPECT_NE(configError({{C::kMaxInFlightRequestsPerConnection, "6"}})
                  .find("max.in.flight.requests.per.connection: must be at most 5"),
              std::string::npos);
    EXPECT_NE(configError({{C::kMaxInFlightRequestsPerConnection, "6"}, {C::kAcks, "1"}})
                  .find("at most 5"),
              std::string::npos)
        << "checked before acks=1 turns idempotence off, as Kafka 4.x does";
    EXPECT_FALSE(
        configWith({{C::kMaxInFlightRequestsPerConnection, "6"}, {C::kEnableIdempotence, "false"}})
            .idempotenceEnabled());
    EXPECT_TRUE(configWith({{C::kMaxInFlightRequestsPerConnection, "1"}}).idempotenceEnabled());
}

}  // namespace
}  // namespace kafka::clients::producer
