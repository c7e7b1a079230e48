//@ ch30
// Our producer against a real Apache Kafka 4.x broker (one KRaft node, started once for the
// suite): what it sends with acks 0, 1 and all, keyed and key-less, is read back by Kafka's
// own Java consumer and by kcat, each acknowledged record at the partition and offset its
// future was given; keyed records land in the partition Kafka's Java producer picks for the
// same key; and the ApiVersions exchange picks the versions we expect from a 4.x broker.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "RealKafka.h"
#include "kafka/clients/NodeApiVersions.h"
#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"
#include "kafka/common/requests/ApiVersionsRequest.h"
#include "kafka/common/requests/ApiVersionsResponse.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/BrokerClient.h"
//> ch38
#include <random>
#include <regex>
#include <set>

#include "kafka/common/record/CompressionRatioEstimator.h"
//< ch38

namespace kafka::test {
namespace {

using clients::producer::KafkaProducer;
using clients::producer::ProducerRecord;
using clients::producer::RecordMetadata;
using clients::producer::RecordMetadataFuture;
using common::protocol::ApiKeys;
using Producer = KafkaProducer<std::string, std::string>;

class OurProducerOnRealKafka : public RealKafkaSuite<OurProducerOnRealKafka> {
protected:
    static void SetUpTestSuite() {
        // Kafka's Admin client creates the topics, six partitions each.
        startCluster("one-node", 1, {"num.partitions=3"}, "acks-0,acks-1,acks-all,keys 6 1");
    }

    static Producer newProducer(const std::string& acks) {
        return Producer({{"bootstrap.servers", cluster_->bootstrapServers()},
                         {"acks", acks},
                         {"linger.ms", "5"},
                         {"max.block.ms", "15000"},
                         {"request.timeout.ms", "10000"},
                         {"delivery.timeout.ms", "30000"}},
                        std::make_unique<common::serialization::StringSerializer>(),
                        std::make_unique<common::serialization::StringSerializer>());
    }
};

// Record i: keyed ("key-i") when i is even, key-less when odd; its value is "value-i".
std::optional<std::string> keyOf(int i) {
    return i % 2 == 0 ? std::optional<std::string>("key-" + std::to_string(i)) : std::nullopt;
}

TEST_F(OurProducerOnRealKafka, EveryAcksLevelKeyedAndKeylessIsReadBackAtItsAcknowledgedOffset) {
    constexpr int kRecords = 60;
    for (const std::string acks : {"0", "1", "all"}) {
        SCOPED_TRACE("acks=" + acks);
        const std::string topic = "acks-" + acks;
        std::vector<RecordMetadata> acknowledged;
        {
            auto producer = newProducer(acks);
            std::vector<RecordMetadataFuture> futures;
            for (int i = 0; i < kRecords; ++i)
                futures.push_back(producer.send(ProducerRecord<std::string, std::string>(
                    topic, keyOf(i), "value-" + std::to_string(i))));
            for (auto& future : futures) acknowledged.push_back(future.get());
            producer.close();
        }

        const auto java = JavaClients::run("consume " + cluster_->bootstrapServers() + " " + topic);
        ASSERT_EQ(java.exitCode, 0) << java.output;
        const auto kcat = runCommand("kcat -C -b " + cluster_->bootstrapServers() + " -t " + topic +
                                     " -o beginning -e -q -f 'record %p %o %k %s\\n' 2>&1");
        ASSERT_EQ(kcat.exitCode, 0) << kcat.output;

        for (const auto& [reader, output] :
             {std::pair{"Java consumer", java.output}, std::pair{"kcat", kcat.output}}) {
            SCOPED_TRACE(reader);
            const auto records = parseLines(output, "record");
            ASSERT_EQ(records.size(), static_cast<std::size_t>(kRecords)) << output;
            const auto places = byPlace(records);
            std::map<std::string, SeenRecord> byValue;
            for (const auto& record : records) byValue[record.value] = record;
            for (int i = 0; i < kRecords; ++i) {
                const std::string value = "value-" + std::to_string(i);
                ASSERT_TRUE(byValue.contains(value)) << value << " was not read back\n" << output;
                const auto& seen = byValue[value];
                const std::string key = seen.key.empty() ? "-" : seen.key;  // kcat: "" for null
                EXPECT_EQ(key, keyOf(i).value_or("-")) << value;
                if (acks == "0") {
                    EXPECT_EQ(acknowledged[i].offset(), -1) << "acks=0: no one tells the offset";
                    continue;
                }
                const auto place = std::pair{acknowledged[i].partition(), acknowledged[i].offset()};
                ASSERT_TRUE(places.contains(place))
                    << value << " acknowledged at " << place.first << "/" << place.second;
                EXPECT_EQ(places.at(place).value, value)
                    << "the acknowledged offset holds this record";
            }
        }
    }
}

TEST_F(OurProducerOnRealKafka, KeyedRecordsLandInThePartitionTheJavaProducerPicks) {
    constexpr int kKeys = 48;
    const auto java = JavaClients::run("produce " + cluster_->bootstrapServers() + " keys " +
                                       std::to_string(kKeys) + " 1 false keyed");
    ASSERT_EQ(java.exitCode, 0) << java.output;
    std::map<std::string, int> javaPartition;
    for (const auto& ack : parseLines(java.output, "ack")) javaPartition[ack.key] = ack.partition;
    ASSERT_EQ(javaPartition.size(), static_cast<std::size_t>(kKeys)) << java.output;

    auto producer = newProducer("1");
    std::vector<std::pair<std::string, RecordMetadataFuture>> futures;
    for (int i = 0; i < kKeys; ++i) {
        const std::string key = "key-" + std::to_string(i);
        futures.emplace_back(key, producer.send(ProducerRecord<std::string, std::string>(
                                      "keys", key, "ours-" + std::to_string(i))));
    }
    std::map<int, int> used;
    for (auto& [key, future] : futures) {
        const int partition = future.get().partition();
        EXPECT_EQ(partition, javaPartition.at(key)) << key;
        ++used[partition];
    }
    EXPECT_GT(used.size(), 3u) << "the keys spread over the six partitions";
}

//> ch38 compression-on-real-kafka
// A value that compresses as real payloads do (no spaces: the readers print values after
// spaces).
std::string compressibleValue(int i) {
    return "value-" + std::to_string(i) + "_2026-12-04T12:00:" + std::to_string(10 + i % 50) +
           "_INFO_[Producer_clientId=producer-1]_sent_to_orders-" + std::to_string(i % 3);
}

// What Kafka's own DumpLogSegments says of the first batches of the real broker's segment for
// `topic`-0: the codec of every batch it prints.
std::set<std::string> codecsOnDisk(const std::string& cluster, const std::string& topic) {
    const std::string segment = std::string(COURSE_REALKAFKA_DIR) + "/" + cluster +
                                "/node-1/data/" + topic + "-0/00000000000000000000.log";
    const auto jars = runCommand(kClusterScript + " classpath 2>&1");
    const auto classpath = jars.output.substr(0, jars.output.find('\n'));
    const auto dump =
        runCommand("java " + kQuickJvm + " -cp " + shellWord(classpath) +
                   " kafka.tools.DumpLogSegments --files " + shellWord(segment) + " 2>&1");
    std::set<std::string> codecs;
    const std::regex codec(R"(compresscodec: (\w+))");
    for (std::sregex_iterator it(dump.output.begin(), dump.output.end(), codec), end; it != end;
         ++it)
        codecs.insert((*it)[1]);
    return codecs;
}

// Chapter 38: each codec's batches as our producer compresses them, checked by a real broker
// (its LogValidator decompresses every batch it is given) and read back by Kafka's Java
// consumer and by kcat (librdkafka's codecs). Kafka's DumpLogSegments shows they are stored
// compressed, with the codec we chose.
TEST_F(OurProducerOnRealKafka, EachCodecsBatchesAreStoredAndReadBackByJavaAndKcat) {
    constexpr int kRecords = 400;
    const auto created = JavaClients::run("create-topic " + cluster_->bootstrapServers() +
                                          " codec-gzip,codec-snappy,codec-lz4,codec-zstd 1 1");
    ASSERT_EQ(created.exitCode, 0) << created.output;
    for (const std::string codec : {"gzip", "snappy", "lz4", "zstd"}) {
        SCOPED_TRACE(codec);
        const std::string topic = "codec-" + codec;
        std::vector<RecordMetadata> acknowledged;
        {
            Producer producer({{"bootstrap.servers", cluster_->bootstrapServers()},
                               {"compression.type", codec},
                               {"linger.ms", "20"},
                               {"max.block.ms", "15000"}},
                              std::make_unique<common::serialization::StringSerializer>(),
                              std::make_unique<common::serialization::StringSerializer>());
            std::vector<RecordMetadataFuture> futures;
            for (int i = 0; i < kRecords; ++i)
                futures.push_back(producer.send(ProducerRecord<std::string, std::string>(
                    topic, "key-" + std::to_string(i), compressibleValue(i))));
            for (auto& future : futures) acknowledged.push_back(future.get());
        }
        const auto java = JavaClients::run("consume " + cluster_->bootstrapServers() + " " + topic);
        ASSERT_EQ(java.exitCode, 0) << java.output;
        const auto kcat = runCommand("kcat -C -b " + cluster_->bootstrapServers() + " -t " + topic +
                                     " -o beginning -e -q -f 'record %p %o %k %s\\n' 2>&1");
        ASSERT_EQ(kcat.exitCode, 0) << kcat.output;
        for (const auto& [reader, output] :
             {std::pair{"Java consumer", java.output}, std::pair{"kcat", kcat.output}}) {
            SCOPED_TRACE(reader);
            const auto records = parseLines(output, "record");
            ASSERT_EQ(records.size(), static_cast<std::size_t>(kRecords)) << output;
            for (int i = 0; i < kRecords; ++i) {
                EXPECT_EQ(records[i].offset, acknowledged[i].offset());
                EXPECT_EQ(records[i].key, "key-" + std::to_string(i));
                EXPECT_EQ(records[i].value, compressibleValue(i));
            }
        }
        EXPECT_EQ(codecsOnDisk("one-node", topic), std::set<std::string>{codec});
    }
}

// A batch the real broker refuses as larger than the topic's max.message.bytes is split by our
// producer and delivered: every record once, in order. The estimate is made too hopeful on
// purpose (a tenth), as a topic whose records stop compressing well would make it.
TEST_F(OurProducerOnRealKafka, ABatchTheBrokerRefusesAsTooLargeIsSplitAndDelivered) {
    constexpr int kRecords = 300;
    const auto created = JavaClients::run("create-topic " + cluster_->bootstrapServers() +
                                          " split-me 1 1 max.message.bytes=8192");
    ASSERT_EQ(created.exitCode, 0) << created.output;
    common::record::CompressionRatioEstimator::setEstimation(
        "split-me", common::record::CompressionType::kLz4, 0.1F);
    std::vector<RecordMetadata> acknowledged;
    std::shared_ptr<common::metrics::Metrics> metrics;
    {
        Producer producer({{"bootstrap.servers", cluster_->bootstrapServers()},
                           {"compression.type", "lz4"},
                           {"batch.size", "8000"},
                           {"linger.ms", "50"},
                           {"max.block.ms", "15000"}},
                          std::make_unique<common::serialization::StringSerializer>(),
                          std::make_unique<common::serialization::StringSerializer>());
        std::vector<RecordMetadataFuture> futures;
        std::mt19937 random(38);
        for (int i = 0; i < kRecords; ++i) {
            std::string noise(100, ' ');  // letters at random: lz4 gains little on them
            for (auto& c : noise) c = static_cast<char>('a' + random() % 26);
            futures.push_back(producer.send(ProducerRecord<std::string, std::string>(
                "split-me", std::nullopt, std::to_string(i) + "-" + noise)));
        }
        for (auto& future : futures) acknowledged.push_back(future.get());
        const auto splits = producer.metrics().at(common::metrics::MetricName{
            "batch-split-total", "producer-metrics", {{"client-id", producer.clientId()}}});
        EXPECT_GE(splits, 1.0) << "the first batch was refused and split";
    }
    const auto java = JavaClients::run("consume " + cluster_->bootstrapServers() + " split-me");
    ASSERT_EQ(java.exitCode, 0) << java.output;
    const auto records = parseLines(java.output, "record");
    ASSERT_EQ(records.size(), static_cast<std::size_t>(kRecords)) << "each record once";
    for (int i = 0; i < kRecords; ++i) {
        EXPECT_EQ(records[i].value.substr(0, records[i].value.find('-')), std::to_string(i))
            << "in send order";
        EXPECT_EQ(records[i].offset, acknowledged[i].offset());
    }
}
//< ch38 compression-on-real-kafka

// What Kafka 4.x says it speaks, and what our client picks from it (chapter 16's
// NodeApiVersions): the highest version both know. KIP-896 (Kafka 4.0) removed the oldest
// versions, so the ranges' lower ends are asserted too (Produce's is a special case).
TEST_F(OurProducerOnRealKafka, ApiVersionsWithKafka4PicksOurNewestVersionOfEachApi) {
    const std::string& bootstrap = cluster_->bootstrapServers();
    BrokerClient client(std::stoi(bootstrap.substr(bootstrap.rfind(':') + 1)));
    client.send(ApiKeys::kApiVersions, 2, 7, common::requests::ApiVersionsRequest());
    const auto frame = client.readFrame();
    ASSERT_TRUE(frame) << "no answer to ApiVersions v2";
    common::protocol::Readable in(*frame, "ApiVersions response");
    ASSERT_EQ(in.readInt32(), 7) << "the correlation id";
    const auto response = common::requests::ApiVersionsResponse::parse(in, 2);
    ASSERT_EQ(response->error(), common::protocol::Errors::kNone);
    std::map<std::int16_t, std::pair<int, int>> kafka;
    for (const auto& api : response->apiVersions())
        kafka[api.apiKey] = {api.minVersion, api.maxVersion};

    const clients::NodeApiVersions negotiated(response->apiVersions());
    struct Expected {
        ApiKeys api;
        int kafkaMin;  // Kafka 4.x's oldest version (KIP-896)
        int picked;    // our newest: Kafka 4.x speaks newer ones still
    };
    // Produce: listed from v0 although v0-2 are refused (see the test below).
    const Expected expected[] = {{ApiKeys::kProduce, 0, 8},
                                 {ApiKeys::kFetch, 4, 11},
                                 {ApiKeys::kListOffsets, 1, 5},
                                 {ApiKeys::kMetadata, 0, 8},
                                 {ApiKeys::kApiVersions, 0, 2}};
    std::cout << "API           Kafka 4.x   ours     picked\n";
    for (const auto& [api, kafkaMin, picked] : expected) {
        const auto key = static_cast<std::int16_t>(api);
        ASSERT_TRUE(kafka.contains(key)) << common::protocol::name(api);
        const auto ours = common::protocol::supportedVersions(api);
        const auto version = negotiated.latestUsableVersion(api);
        std::printf("%-13s %2d..%-2d      %d..%-2d    v%d\n", common::protocol::name(api).c_str(),
                    kafka[key].first, kafka[key].second, ours.min, ours.max, version);
        EXPECT_EQ(kafka[key].first, kafkaMin) << common::protocol::name(api);
        EXPECT_GT(kafka[key].second, ours.max) << common::protocol::name(api);
        EXPECT_EQ(version, picked) << common::protocol::name(api);
    }
}

// A Produce request with no topics, in the layout of `version`: v3 added the transactional id
// before acks.
class EmptyProduce final : public common::requests::AbstractRequest {
public:
    ApiKeys apiKey() const override { return ApiKeys::kProduce; }
    void write(common::protocol::Writable& out, std::int16_t version) const override {
        if (version >= 3) out.writeNullableString(std::nullopt);  // transactional_id
        out.writeInt16(1);                                        // acks
        out.writeInt32(10'000);                                   // timeout_ms
        out.writeInt32(0);                                        // no topics
    }
};

// Kafka 4 lists Produce from v0 in its ApiVersions answer (old librdkafka releases refuse a
// broker without it), but KIP-896 removed v0-2: a v3 request is answered, the same request
// in v2 loses its connection. Our client never sends it: it speaks v3 and up.
TEST_F(OurProducerOnRealKafka, Kafka4AnswersProduceV3AndClosesTheConnectionOfV2) {
    const std::string& bootstrap = cluster_->bootstrapServers();
    const int port = std::stoi(bootstrap.substr(bootstrap.rfind(':') + 1));
    BrokerClient v3(port);
    v3.send(ApiKeys::kProduce, 3, 1, EmptyProduce());
    const auto answer = v3.readFrame();
    ASSERT_TRUE(answer) << "Produce v3 is answered";
    common::protocol::Readable in(*answer, "Produce response");
    EXPECT_EQ(in.readInt32(), 1) << "the correlation id";

    BrokerClient v2(port);
    v2.send(ApiKeys::kProduce, 2, 1, EmptyProduce());
    EXPECT_TRUE(v2.closedByPeer()) << "Produce v2 is no longer served";
}

}  // namespace
}  // namespace kafka::test
