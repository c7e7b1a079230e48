// Chapter 38: the whole broker, spoken to in Kafka's protocol. A compressed batch produced in
// any codec is fetched back as it was sent, also after a restart; the broker's
// compression.type makes it compress batches again; a bad batch is refused for its partition
// alone, a decompression bomb included, and the broker goes on serving; zstd needs Produce v7.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/protocol/Errors.h"
#include "kafka/common/record/CompressionType.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/requests/ApiVersionsRequest.h"
#include "kafka/common/requests/ApiVersionsResponse.h"
#include "kafka/common/requests/FetchRequest.h"
#include "kafka/common/requests/FetchResponse.h"
#include "kafka/common/requests/MetadataRequest.h"
#include "kafka/common/requests/MetadataResponse.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/requests/ProduceResponse.h"
#include "kafka/server/KafkaServer.h"
#include "support/BrokerClient.h"
#include "support/CompressedBatch.h"
#include "support/LogDirs.h"

namespace kafka::server {
namespace {

using common::TopicPartition;
using common::protocol::ApiKeys;
using common::protocol::Errors;
using common::record::CompressionType;
using common::record::DefaultRecordBatch;
using common::utils::Bytes;
namespace requests = common::requests;
using PartitionResponse = requests::ProduceResponse::PartitionResponse;

std::vector<std::string> values(const std::string& prefix, int count) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) out.push_back(prefix + std::to_string(i));
    return out;
}

Bytes batchOf(CompressionType type, const std::string& prefix, int count) {
    return test::compressedBatch({.type = type, .values = values(prefix, count)});
}

class BrokerCompression : public ::testing::Test {
protected:
    void start(common::config::Properties overrides = {}) {
        client.reset();
        server.reset();
        overrides["listeners"] = "PLAINTEXT://127.0.0.1:0";
        overrides["log.dirs"] = logDir.string();
        server = std::make_unique<KafkaServer>(KafkaConfig(test::brokerProperties(overrides)));
        server->startup();
        client = std::make_unique<test::BrokerClient>(server->boundPort());
    }

    // A topic is created when a client first asks for its metadata, as Kafka's broker does.
    void createTopic(const std::string& topic) {
        client->call<requests::MetadataResponse>(ApiKeys::kMetadata, 8,
                                                 requests::MetadataRequest(std::vector{topic}));
    }
    std::map<TopicPartition, PartitionResponse> produce(
        std::map<TopicPartition, std::span<const std::uint8_t>> batches, std::int16_t version = 8) {
        const auto response = client->call<requests::ProduceResponse>(
            ApiKeys::kProduce, version, requests::ProduceRequest(-1, 30'000, std::move(batches)));
        EXPECT_NE(response, nullptr) << "the broker closed the connection";
        return response ? response->responses() : std::map<TopicPartition, PartitionResponse>{};
    }
    PartitionResponse produce(const Bytes& batch, std::int16_t version = 8) {
        auto responses = produce({{tp, batch}}, version);
        return responses.contains(tp) ? responses.at(tp) : PartitionResponse{};
    }
    // The bytes of every batch of `partition`, as a consumer fetches them.
    Bytes fetch(const TopicPartition& partition) {
        const auto response = client->call<requests::FetchResponse>(
            ApiKeys::kFetch, 11,
            requests::FetchRequest(0, 1, 1 << 20, {{partition, {0, 1 << 20, -1, -1}}}));
        EXPECT_NE(response, nullptr);
        return response ? response->partitions().at(partition).records : Bytes{};
    }
    // Every record's value of `partition`, decompressed.
    std::vector<std::string> valuesIn(const TopicPartition& partition) {
        std::vector<std::string> out;
        const Bytes bytes = fetch(partition);
        for (const auto& batch : common::record::MemoryRecords::readableRecords(bytes).batches())
            for (const auto& record : batch.records())
                out.emplace_back(record.value()->begin(), record.value()->end());
        return out;
    }

    std::filesystem::path logDir = test::scratchDir();
    std::unique_ptr<KafkaServer> server;
    std::unique_ptr<test::BrokerClient> client;
    const TopicPartition tp{"compressed", 0};
};

TEST_F(BrokerCompression, EachCodecIsFetchedBackAsSentAndReadAfterARestart) {
    start();
    createTopic(tp.topic);
    std::vector<Bytes> sent;
    std::vector<std::string> expected;
    for (const auto type : test::kCodecs) {
        const std::string prefix = std::string(name(type)) + "-";
        sent.push_back(batchOf(type, prefix, 10));
        const auto response = produce(sent.back());
        EXPECT_EQ(response.error, Errors::kNone) << name(type);
        EXPECT_EQ(response.baseOffset, static_cast<std::int64_t>(expected.size()));
        for (const auto& value : values(prefix, 10)) expected.push_back(value);
    }
    auto fetchedAsSent = [&] {
        const Bytes bytes = fetch(tp);
        const auto batches = common::record::MemoryRecords::readableRecords(bytes).batches();
        ASSERT_EQ(batches.size(), sent.size());
        for (std::size_t i = 0; i < sent.size(); ++i) {
            EXPECT_EQ(batches[i].baseOffset(), static_cast<std::int64_t>(10 * i));
            EXPECT_TRUE(std::equal(batches[i].bytes().begin() + DefaultRecordBatch::kRecordsOffset,
                                   batches[i].bytes().end(),
                                   sent[i].begin() + DefaultRecordBatch::kRecordsOffset,
                                   sent[i].end()))
                << "batch " << i << ": the producer's compressed bytes";
        }
    };
    fetchedAsSent();
    EXPECT_EQ(valuesIn(tp), expected);
    start();  // the same log directory, after a clean shutdown
    fetchedAsSent();
    EXPECT_EQ(valuesIn(tp), expected);
}

TEST_F(BrokerCompression, TheBrokersCompressionTypeCompressesEveryBatchWithItsCodec) {
    start({{"compression.type", "zstd"}, {"compression.zstd.level", "9"}});
    createTopic(tp.topic);
    ASSERT_EQ(produce(batchOf(CompressionType::kGzip, "g", 5)).error, Errors::kNone);
    ASSERT_EQ(produce(batchOf(CompressionType::kNone, "n", 5)).error, Errors::kNone);
    const Bytes bytes = fetch(tp);
    for (const auto& batch : common::record::MemoryRecords::readableRecords(bytes).batches()) {
        EXPECT_NO_THROW(batch.ensureValid());
        EXPECT_EQ(batch.compressionType(), static_cast<int>(CompressionType::kZstd));
    }
    std::vector<std::string> expected = values("g", 5);
    for (const auto& value : values("n", 5)) expected.push_back(value);
    EXPECT_EQ(valuesIn(tp), expected);

    start({{"compression.type", "uncompressed"}});
    ASSERT_EQ(produce(batchOf(CompressionType::kLz4, "l", 5)).error, Errors::kNone);
    const Bytes after = fetch(tp);
    EXPECT_EQ(
        common::record::MemoryRecords::readableRecords(after).batches().back().compressionType(), 0)
        << "uncompressed: Kafka's name for no codec at all";
}

TEST_F(BrokerCompression, ABadCompressionConfigStopsTheBrokerNamingKeyAndValue) {
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
             {"compression.type", "none"},  // the producer's name; the broker's is uncompressed
             {"compression.type", "brotli"},
             {"compression.gzip.level", "10"},
             {"compression.lz4.level", "0"},
             {"compression.zstd.level", "23"}}) {
        try {
            KafkaConfig(test::brokerProperties({{key, value}}));
            ADD_FAILURE() << key << "=" << value << " was accepted";
        } catch (const common::errors::ConfigException& e) {
            EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(value), std::string::npos) << e.what();
        }
    }
    EXPECT_NO_THROW(KafkaConfig(test::brokerProperties({{"compression.gzip.level", "-1"}})));
    EXPECT_NO_THROW(KafkaConfig(test::brokerProperties({{"compression.type", "producer"}})));
}

TEST_F(BrokerCompression, AnUnreadableBatchIsRefusedForItsPartitionAlone) {
    start({{"num.partitions", "2"}});
    createTopic(tp.topic);
    const TopicPartition other{tp.topic, 1};
    const test::BatchSpec gzip{.type = CompressionType::kGzip};
    const Bytes garbage = test::batchAround(Bytes(200, 0x42), gzip, 2);
    const Bytes good = batchOf(CompressionType::kSnappy, "ok", 3);
    auto responses = produce({{tp, garbage}, {other, good}});
    EXPECT_EQ(responses[tp].error, Errors::kInvalidRecord) << "not retriable: it left so";
    EXPECT_EQ(responses[other].error, Errors::kNone);

    const test::BatchSpec codecSix{.type = static_cast<CompressionType>(6), .values = {"x"}};
    const Bytes six = test::batchAround(test::plainRecords(codecSix), codecSix, 1);
    EXPECT_EQ(produce(six).error, Errors::kUnsupportedCompressionType);

    const Bytes lying = test::compressedBatch(
        {.type = CompressionType::kLz4, .values = values("x", 2), .recordsCount = 3});
    EXPECT_EQ(produce(lying).error, Errors::kInvalidRecord);

    EXPECT_TRUE(valuesIn(tp).empty());
    EXPECT_EQ(valuesIn(other), values("ok", 3));
}

TEST_F(BrokerCompression, ADecompressionBombIsRefusedAndTheBrokerGoesOnServing) {
    start();
    createTopic(tp.topic);
    const std::string zeros(DefaultRecordBatch::kMaxUncompressedRecordsBytes + 1, '\0');
    const Bytes bomb = test::compressedBatch({.type = CompressionType::kZstd, .values = {zeros}});
    ASSERT_LT(bomb.size(), 64u * 1024) << "a few kilobytes on the wire";
    const auto refused = produce(bomb);
    EXPECT_EQ(refused.error, Errors::kInvalidRecord);
    ASSERT_TRUE(refused.errorMessage);
    EXPECT_NE(refused.errorMessage->find("zstd"), std::string::npos) << *refused.errorMessage;
    // The same connection, the same partition: business as usual.
    EXPECT_EQ(produce(batchOf(CompressionType::kZstd, "after-", 2)).error, Errors::kNone);
    EXPECT_EQ(valuesIn(tp), values("after-", 2));
}

TEST_F(BrokerCompression, ZstdNeedsProduceVersion7) {
    start();
    createTopic(tp.topic);
    const Bytes zstd = batchOf(CompressionType::kZstd, "z", 2);
    const Bytes lz4 = batchOf(CompressionType::kLz4, "l", 2);
    const TopicPartition other{"other", 0};
    createTopic(other.topic);
    auto old = produce({{tp, zstd}, {other, lz4}}, 6);
    EXPECT_EQ(old[tp].error, Errors::kUnsupportedCompressionType);
    EXPECT_EQ(old[other].error, Errors::kNone) << "only the zstd partition is refused";
    EXPECT_EQ(produce(zstd, 7).error, Errors::kNone);
    EXPECT_EQ(valuesIn(tp), values("z", 2));
}

// Produce is listed from v0, as Kafka 4.0 lists it (KAFKA-18659), so that librdkafka before
// 2.11.1 believes the broker takes gzip and snappy (its issue #4956); v0 to v2 are still
// refused, with the connection, as for any version this broker does not serve.
TEST_F(BrokerCompression, ProduceIsListedFromVersion0ButServedFromVersion3) {
    start();
    const auto versions = client->call<requests::ApiVersionsResponse>(
        ApiKeys::kApiVersions, 2, requests::ApiVersionsRequest());
    ASSERT_NE(versions, nullptr);
    std::map<std::int16_t, std::pair<std::int16_t, std::int16_t>> ranges;
    for (const auto& api : versions->apiVersions())
        ranges[api.apiKey] = {api.minVersion, api.maxVersion};
    EXPECT_EQ(ranges.at(0), std::make_pair(std::int16_t{0}, std::int16_t{8}));
    createTopic(tp.topic);
    const Bytes batch = batchOf(CompressionType::kGzip, "g", 2);
    client->send(
        ApiKeys::kProduce, 2, 42,
        requests::ProduceRequest(-1, 30'000, {{tp, std::span<const std::uint8_t>(batch)}}));
    EXPECT_TRUE(client->closedByPeer()) << "Produce v2 is listed, not served";
}

}  // namespace
}  // namespace kafka::server
