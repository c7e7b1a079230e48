// Chapter 31: the write path seen from the clients. The broker's config reaches every log; the
// Produce response carries the broker's append time and the records at fault; our producer
// hands the broker's time to its callbacks.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/protocol/ApiKeys.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/requests/MetadataRequest.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/requests/ProduceResponse.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/server/KafkaServer.h"
#include "support/BrokerClient.h"
#include "support/LogDirs.h"

namespace kafka::server {
namespace {

using common::protocol::ApiKeys;
using common::protocol::Errors;
using common::utils::Bytes;
namespace requests = common::requests;

std::int64_t wallClockMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

KafkaConfig brokerConfig(common::config::Properties overrides) {
    common::config::Properties props{{"listeners", "PLAINTEXT://127.0.0.1:0"},
                                     {"num.partitions", "1"},
                                     {"num.network.threads", "1"},
                                     {"num.io.threads", "2"}};
    for (auto& [key, value] : overrides) props[key] = value;
    return KafkaConfig(test::brokerProperties(props));
}

TEST(WritePathConfig, TheLogKeysHaveKafkasDefaultsAndReachTheLogs) {
    const KafkaConfig defaults({});
    EXPECT_EQ(defaults.logConfig().messageTimestampType,
              common::record::TimestampType::kCreateTime);
    EXPECT_EQ(defaults.logConfig().messageTimestampAfterMaxMs, 3'600'000);
    EXPECT_EQ(defaults.logConfig().messageTimestampBeforeMaxMs,
              std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(defaults.logConfig().minInSyncReplicas, 1);

    KafkaServer broker(brokerConfig(
        {{"log.message.timestamp.type", "LogAppendTime"}, {"min.insync.replicas", "2"}}));
    broker.startup();
    broker.logManager()->createTopic("t", 1);
    const auto& config = broker.logManager()->getLog({"t", 0})->config();
    EXPECT_EQ(config.messageTimestampType, common::record::TimestampType::kLogAppendTime);
    EXPECT_EQ(config.minInSyncReplicas, 2);
}

TEST(WritePathConfig, ABadValueNamesTheKeyAndTheValue) {
    try {
        KafkaConfig(common::config::Properties{{"log.message.timestamp.type", "BrokerTime"}});
        FAIL() << "accepted";
    } catch (const common::errors::ConfigException& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("log.message.timestamp.type"), std::string::npos) << message;
        EXPECT_NE(message.find("BrokerTime"), std::string::npos) << message;
    }
    EXPECT_THROW(KafkaConfig(common::config::Properties{{"min.insync.replicas", "0"}}),
                 common::errors::ConfigException);
}

// Produce v8 on the wire: the record errors reach the client, by index.
TEST(WritePathOnTheWire, TheResponseNamesTheRecordsAtFault) {
    KafkaServer broker(brokerConfig({{"log.message.timestamp.before.max.ms", "60000"}}));
    broker.startup();
    broker.logManager()->createTopic("t", 1);
    test::BrokerClient client(broker.boundPort());
    common::record::MemoryRecordsBuilder builder(1 << 20);
    const Bytes value{'v'};
    const std::int64_t now = wallClockMs();
    builder.append(now, std::nullopt, value);
    builder.append(now - 3'600'000, std::nullopt, value);  // an hour old: out of bounds
    const Bytes batch = builder.build();
    client.send(ApiKeys::kProduce, 8, 1, requests::ProduceRequest(1, 30'000, {{{"t", 0}, batch}}));
    const auto frame = client.readFrame();
    ASSERT_TRUE(frame);
    common::protocol::Readable in(*frame, "response");
    EXPECT_EQ(in.readInt32(), 1);
    const auto response = requests::ProduceResponse::parse(in, 8);
    const auto& partition = response->responses().at({"t", 0});
    EXPECT_EQ(partition.error, Errors::kInvalidTimestamp);
    ASSERT_EQ(partition.recordErrors.size(), 1u);
    EXPECT_EQ(partition.recordErrors[0].batchIndex, 1);
    EXPECT_TRUE(partition.errorMessage.has_value());
}

// Our producer's callback sees the broker's clock, not the record's, on a LogAppendTime topic.
TEST(WritePathOnTheWire, OurProducerReportsTheBrokersAppendTime) {
    KafkaServer broker(brokerConfig({{"log.message.timestamp.type", "LogAppendTime"}}));
    broker.startup();
    clients::producer::KafkaProducer<std::string, std::string> producer(
        {{"bootstrap.servers", "127.0.0.1:" + std::to_string(broker.boundPort())}},
        std::make_unique<common::serialization::StringSerializer>(),
        std::make_unique<common::serialization::StringSerializer>());
    const std::int64_t before = wallClockMs();
    // A record stamped 1000 ms after the epoch: the broker's clock replaces it.
    const clients::producer::ProducerRecord<std::string, std::string> record(
        "stamped", std::nullopt, 1000, std::nullopt, "v");
    const auto metadata = producer.send(record).get();
    const std::int64_t after = wallClockMs();
    EXPECT_GE(metadata.timestamp(), before);
    EXPECT_LE(metadata.timestamp(), after);
    producer.close();
}

}  // namespace
}  // namespace kafka::server
