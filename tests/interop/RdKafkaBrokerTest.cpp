//@ ch30
// librdkafka's producer and consumer against our broker, and our producer against our
// broker: every record acknowledged at an offset is read back by librdkafka's consumer at that
// offset, whole, with its key and headers. Our producer talks to our broker here, but the
// reader is not ours.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/EmbeddedBroker.h"
#include "support/MockCluster.h"
//> ch38
#include "support/LogReader.h"
//< ch38

namespace kafka::test {
namespace {

using Placement = std::pair<std::int32_t, std::int64_t>;  // partition, offset

// The acknowledged place of each message, by its index, from librdkafka's delivery reports.
struct Deliveries {
    std::map<int, Placement> acknowledged;
    int failed = 0;
};

void onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto& deliveries = *static_cast<Deliveries*>(opaque);
    const int index = static_cast<int>(reinterpret_cast<std::intptr_t>(message->_private));
    if (message->err)
        ++deliveries.failed;
    else
        deliveries.acknowledged[index] = {message->partition, message->offset};
}

// Checks that `records` are exactly the messages "value-<i>" keyed "key-<i>", each at the
// place it was acknowledged at.
void expectReadBackAtTheirOffsets(const std::vector<ConsumedRecord>& records,
                                  const std::map<int, Placement>& acknowledged) {
    ASSERT_EQ(records.size(), acknowledged.size());
    std::map<Placement, const ConsumedRecord*> byPlace;
    for (const auto& record : records) byPlace[{record.partition, record.offset}] = &record;
    for (const auto& [index, place] : acknowledged) {
        const auto found = byPlace.find(place);
        ASSERT_NE(found, byPlace.end()) << "message " << index << " acknowledged at partition "
                                        << place.first << " offset " << place.second;
        EXPECT_EQ(found->second->key, "key-" + std::to_string(index));
        EXPECT_EQ(found->second->value, "value-" + std::to_string(index));
    }
}

// Sends `count` messages "value-<i><valueSuffix>" keyed "key-<i>" to `topic` with librdkafka's
// producer and `settings`, flushes, and returns its delivery reports once the producer is gone.
Deliveries produceWithLibrdkafka(const std::vector<std::pair<std::string, std::string>>& settings,
                                 const std::string& topic, int count,
                                 const std::string& valueSuffix = "") {
    Deliveries deliveries;
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    for (const auto& [key, value] : settings)
        if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof error) !=
            RD_KAFKA_CONF_OK) {
            ADD_FAILURE() << key << "=" << value << ": " << error;
            rd_kafka_conf_destroy(conf);
            return deliveries;
        }
    rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
    rd_kafka_conf_set_opaque(conf, &deliveries);
    std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> producer(
        rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error), rd_kafka_destroy);
    if (!producer) {
        ADD_FAILURE() << error;
        rd_kafka_conf_destroy(conf);  // rd_kafka_new takes it only when it succeeds
        return deliveries;
    }
    for (int i = 0; i < count; ++i) {
        const std::string key = "key-" + std::to_string(i);
        const std::string value = "value-" + std::to_string(i) + valueSuffix;
        const auto produced = rd_kafka_producev(
            producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
            RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<std::intptr_t>(i))),
            RD_KAFKA_V_END);
        if (produced != RD_KAFKA_RESP_ERR_NO_ERROR) {
            ADD_FAILURE() << "message " << i << ": " << rd_kafka_err2str(produced);
            break;
        }
        rd_kafka_poll(producer.get(), 0);
    }
    EXPECT_EQ(rd_kafka_flush(producer.get(), 30'000), RD_KAFKA_RESP_ERR_NO_ERROR);
    producer.reset();  // no delivery report can come after this
    return deliveries;
}

TEST(RdKafkaAgainstOurBroker, EveryAcknowledgedRecordIsReadBackAtItsOffset) {
    EmbeddedBroker broker;
    constexpr int kMessages = 3000;
    const Deliveries deliveries =
        produceWithLibrdkafka({{"bootstrap.servers", broker.bootstrapServers()},
                               {"linger.ms", "5"},
                               {"acks", "all"},
                               {"log_level", "3"}},
                              "rdkafka", kMessages);
    EXPECT_EQ(deliveries.failed, 0);
    ASSERT_EQ(deliveries.acknowledged.size(), static_cast<std::size_t>(kMessages));
    const auto records =
        consumeAll(broker.bootstrapServers(), "rdkafka", 3, kMessages, std::chrono::seconds(30));
    expectReadBackAtTheirOffsets(records, deliveries.acknowledged);
}

TEST(OurProducerAgainstOurBroker, EveryAcknowledgedRecordIsReadBackAtItsOffset) {
    EmbeddedBroker broker;
    constexpr int kRecords = 5000;
    std::map<int, Placement> acknowledged;
    {
        clients::producer::KafkaProducer<std::string, std::string> producer(
            {{"bootstrap.servers", broker.bootstrapServers()},
             {"acks", "all"},
             {"linger.ms", "5"},
             {"max.block.ms", "10000"}},
            std::make_unique<common::serialization::StringSerializer>(),
            std::make_unique<common::serialization::StringSerializer>());
        std::vector<clients::producer::RecordMetadataFuture> futures;
        for (int i = 0; i < kRecords; ++i)
            futures.push_back(
                producer.send({"ours", "key-" + std::to_string(i), "value-" + std::to_string(i)}));
        for (int i = 0; i < kRecords; ++i) {
            const auto metadata = futures[static_cast<std::size_t>(i)].get();
            acknowledged[i] = {metadata.partition(), metadata.offset()};
        }
        producer.close();
    }
    const auto records =
        consumeAll(broker.bootstrapServers(), "ours", 3, kRecords, std::chrono::seconds(30));
    expectReadBackAtTheirOffsets(records, acknowledged);
}

//> ch38 rdkafka-compressed
// The codec librdkafka really uses for `codec` against our broker. librdkafka decides from the
// broker's ApiVersions: gzip and snappy need Produce v0 listed (before 2.11.1, its issue #4956),
// and our broker lists it, as Kafka 4.0 does (KAFKA-18659), while it serves v3 and up; zstd
// needs Produce v7 and Fetch v10, which we have; lz4 needs FindCoordinator, which it takes as
// the sign of a broker from 0.8.2 on and our broker does not serve. Where it does not compress,
// it sends the batch uncompressed and says so in its log.
int codecLibrdkafkaSends(const std::string& codec, int id) {
    return codec == "lz4" ? 0 : id;
}

// librdkafka's producer with each codec it has (compression.codec): our broker validates the
// compressed batches and stores them as they came, and each record is read back from the
// broker's own log, decompressed by our reader, at the offset librdkafka was given.
TEST(RdKafkaAgainstOurBroker, EachCodecsBatchesAreStoredAsSentAndReadBackRecordByRecord) {
    EmbeddedBroker broker;
    constexpr int kMessages = 400;
    // librdkafka sends a batch uncompressed when compression does not make it smaller:
    // values that compress well keep every batch compressed.
    const std::string padding(200, 'p');
    for (const auto& [codec, id] : std::vector<std::pair<std::string, int>>{
             {"gzip", 1}, {"snappy", 2}, {"lz4", 3}, {"zstd", 4}}) {
        SCOPED_TRACE(codec);
        const std::string topic = "rdkafka-" + codec;
        const Deliveries deliveries =
            produceWithLibrdkafka({{"bootstrap.servers", broker.bootstrapServers()},
                                   {"compression.codec", codec},
                                   {"linger.ms", "20"},
                                   {"acks", "all"},
                                   {"log_level", "3"}},
                                  topic, kMessages, padding);
        EXPECT_EQ(deliveries.failed, 0);
        ASSERT_EQ(deliveries.acknowledged.size(), static_cast<std::size_t>(kMessages));

        std::map<Placement, StoredRecord> stored;
        for (std::int32_t partition = 0; partition < 3; ++partition) {
            const auto log = broker.server().logManager()->getLog({topic, partition});
            ASSERT_NE(log, nullptr);
            for (auto& record : readStoredRecords(*log))
                stored.emplace(Placement{partition, record.offset}, std::move(record));
        }
        EXPECT_EQ(stored.size(), static_cast<std::size_t>(kMessages));
        for (const auto& [index, place] : deliveries.acknowledged) {
            const auto found = stored.find(place);
            ASSERT_NE(found, stored.end())
                << "message " << index << " acknowledged at " << place.first << "/" << place.second;
            EXPECT_EQ(found->second.key, "key-" + std::to_string(index));
            EXPECT_EQ(found->second.value, "value-" + std::to_string(index) + padding);
            EXPECT_EQ(found->second.codec, codecLibrdkafkaSends(codec, id))
                << "stored in the batch librdkafka sent";
        }
    }
}
//< ch38 rdkafka-compressed

}  // namespace
}  // namespace kafka::test
