// Chapter 30: the whole front end, handlers included, spoken to in Kafka's protocol over a
// socket: ApiVersions (and the answer to a version it does not know), Metadata with topics
// created on first use, Produce with each acks, and ListOffsets and Fetch to read back.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "kafka/common/protocol/Errors.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/requests/ApiVersionsRequest.h"
#include "kafka/common/requests/ApiVersionsResponse.h"
#include "kafka/common/requests/FetchRequest.h"
#include "kafka/common/requests/FetchResponse.h"
#include "kafka/common/requests/ListOffsetsRequest.h"
#include "kafka/common/requests/ListOffsetsResponse.h"
#include "kafka/common/requests/MetadataRequest.h"
#include "kafka/common/requests/MetadataResponse.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/requests/ProduceResponse.h"
#include "kafka/server/KafkaServer.h"
#include "support/BrokerClient.h"
#include "support/LogDirs.h"

namespace kafka::server {
namespace {

using common::TopicPartition;
using common::protocol::ApiKeys;
using common::protocol::Errors;
using common::utils::Bytes;
namespace requests = common::requests;
using namespace std::chrono_literals;

Bytes batchOf(const std::vector<std::string>& values) {
    common::record::MemoryRecordsBuilder builder(1 << 20);
    for (const auto& value : values)
        builder.append(1000, std::nullopt, Bytes(value.begin(), value.end()));
    return builder.build();
}

class KafkaApisTest : public ::testing::Test {
protected:
    void SetUp() override { restartWith({}); }

    // A broker of its own for this test, with `overrides` over the fixture's settings.
    void restartWith(const common::config::Properties& overrides) {
        client.reset();
        server.reset();
        common::config::Properties props{{"listeners", "PLAINTEXT://127.0.0.1:0"},
                                         {"num.partitions", "3"},
                                         {"broker.id", "4"},
                                         {"num.network.threads", "2"},
                                         {"num.io.threads", "2"}};
        for (const auto& [key, value] : overrides) props[key] = value;
        server = std::make_unique<KafkaServer>(KafkaConfig(test::brokerProperties(props)));
        server->startup();
        client = std::make_unique<test::BrokerClient>(server->boundPort());
    }

    KafkaServer& broker() { return *server; }

    template <typename Response>
    std::shared_ptr<const Response> call(ApiKeys api, std::int16_t version,
                                         const requests::AbstractRequest& body) {
        return client->call<Response>(api, version, body);
    }

    std::shared_ptr<const requests::ProduceResponse> produce(const TopicPartition& tp,
                                                             const Bytes& batch,
                                                             std::int16_t acks = 1,
                                                             std::int16_t version = 8) {
        return call<requests::ProduceResponse>(
            ApiKeys::kProduce, version, requests::ProduceRequest(acks, 30'000, {{tp, batch}}));
    }

    requests::FetchResponse::PartitionData fetch(const TopicPartition& tp, std::int64_t offset,
                                                 std::int32_t maxWaitMs = 0,
                                                 std::int16_t version = 11) {
        const auto response = call<requests::FetchResponse>(
            ApiKeys::kFetch, version,
            requests::FetchRequest(maxWaitMs, 1, 1 << 20, {{tp, {offset, 1 << 20, -1, -1}}}));
        return response ? response->partitions().at(tp) : requests::FetchResponse::PartitionData{};
    }

    void createTopic(const std::string& topic) {
        call<requests::MetadataResponse>(ApiKeys::kMetadata, 8,
                                         requests::MetadataRequest(std::vector{topic}));
    }

    std::unique_ptr<KafkaServer> server;
    std::unique_ptr<test::BrokerClient> client;
};

TEST_F(KafkaApisTest, ApiVersionsListsWhatTheBrokerSpeaks) {
    const auto response = call<requests::ApiVersionsResponse>(ApiKeys::kApiVersions, 2,
                                                              requests::ApiVersionsRequest());
    ASSERT_NE(response, nullptr);
    EXPECT_EQ(response->error(), Errors::kNone);
    std::map<std::int16_t, std::pair<std::int16_t, std::int16_t>> ranges;
    for (const auto& api : response->apiVersions())
        ranges[api.apiKey] = {api.minVersion, api.maxVersion};
    /*> ch30-38 produce-listed-as-served
    EXPECT_EQ(ranges.at(0), std::make_pair(std::int16_t{3}, std::int16_t{8}));   // Produce
    */
    EXPECT_EQ(ranges.at(1), std::make_pair(std::int16_t{4}, std::int16_t{11}));  // Fetch
    EXPECT_EQ(ranges.at(3), std::make_pair(std::int16_t{0}, std::int16_t{8}));   // Metadata
    // Nothing it cannot serve (chapter 36 adds InitProducerId to the five).
    for (const auto& [apiKey, range] : ranges)
        EXPECT_TRUE(common::protocol::isKnown(static_cast<ApiKeys>(apiKey))) << apiKey;
    EXPECT_TRUE(ranges.contains(2) && ranges.contains(18));  // ListOffsets, ApiVersions
}

TEST_F(KafkaApisTest, AnApiVersionsVersionItDoesNotKnowIsAnsweredInVersionZero) {
    client->send(ApiKeys::kApiVersions, 3, 9, requests::ApiVersionsRequest());
    const auto frame = client->readFrame();
    ASSERT_TRUE(frame);
    common::protocol::Readable in(*frame, "response");
    EXPECT_EQ(in.readInt32(), 9);
    const auto response = requests::ApiVersionsResponse::parse(in, 0);
    EXPECT_EQ(response->error(), Errors::kUnsupportedVersion);
    EXPECT_FALSE(response->apiVersions().empty()) << "so that the client can ask again";
    EXPECT_EQ(in.remaining(), 0u);
}

TEST_F(KafkaApisTest, MetadataCreatesATopicOnFirstUseWithThisBrokerAsLeader) {
    const auto response = call<requests::MetadataResponse>(
        ApiKeys::kMetadata, 8, requests::MetadataRequest(std::vector<std::string>{"orders"}));
    ASSERT_NE(response, nullptr);
    ASSERT_EQ(response->brokers().size(), 1u);
    EXPECT_EQ(response->brokers()[0], common::Node(4, "127.0.0.1", broker().boundPort()));
    EXPECT_EQ(response->controllerId(), 4);
    ASSERT_EQ(response->topics().size(), 1u);
    const auto& topic = response->topics()[0];
    EXPECT_EQ(topic.error, Errors::kNone);
    ASSERT_EQ(topic.partitions.size(), 3u) << "num.partitions";
    for (const auto& partition : topic.partitions) {
        EXPECT_EQ(partition.leaderId, 4);
        EXPECT_EQ(partition.replicaIds, std::vector<std::int32_t>{4});
    }
    // Null topics (v1+): every topic.
    const auto all = call<requests::MetadataResponse>(ApiKeys::kMetadata, 1,
                                                      requests::MetadataRequest(std::nullopt));
    ASSERT_NE(all, nullptr);
    ASSERT_EQ(all->topics().size(), 1u);
    EXPECT_EQ(all->topics()[0].name, "orders");
}

TEST_F(KafkaApisTest, MetadataV0StillWorksAndItsEmptyListMeansEveryTopic) {
    createTopic("first");
    createTopic("second");
    // What kafka-python's version probe sends behind its ApiVersions request.
    const auto response = call<requests::MetadataResponse>(
        ApiKeys::kMetadata, 0, requests::MetadataRequest(std::vector<std::string>{}));
    ASSERT_NE(response, nullptr);
    ASSERT_EQ(response->topics().size(), 2u);
    EXPECT_EQ(response->topics()[0].name, "first");
    EXPECT_EQ(response->brokers()[0].port(), broker().boundPort());
}

TEST_F(KafkaApisTest, MetadataRefusesBadNamesAndRespectsTheClientsWishNotToCreate) {
    const auto response = call<requests::MetadataResponse>(
        ApiKeys::kMetadata, 8,
        requests::MetadataRequest(std::vector<std::string>{"bad name", "later"},
                                  /*allowAutoTopicCreation=*/false));
    ASSERT_NE(response, nullptr);
    EXPECT_EQ(response->topics()[0].error, Errors::kInvalidTopicException);
    EXPECT_EQ(response->topics()[1].error, Errors::kUnknownTopicOrPartition);
}

TEST_F(KafkaApisTest, ProducedBatchesAreFetchedBackWithTheirOffsets) {
    createTopic("t");
    const TopicPartition tp{"t", 1};
    for (std::int16_t version : {3, 5, 7, 8}) {
        const auto response = produce(tp, batchOf({"a", "b"}), 1, version);
        ASSERT_NE(response, nullptr) << "v" << version;
        EXPECT_EQ(response->responses().at(tp).error, Errors::kNone);
    }
    const auto acked = produce(tp, batchOf({"c"}), -1);  // acks=all: one broker is the ISR
    EXPECT_EQ(acked->responses().at(tp).baseOffset, 8);

    for (std::int16_t version : {4, 7, 11}) {
        const auto data = fetch(tp, 3, 0, version);
        EXPECT_EQ(data.error, Errors::kNone);
        EXPECT_EQ(data.highWatermark, 9);
        std::vector<std::pair<std::int64_t, std::string>> records;
        for (const auto& batch :
             common::record::MemoryRecords::readableRecords(data.records).batches())
            for (const auto& record : batch.records())
                records.emplace_back(record.offset(),
                                     std::string(record.value()->begin(), record.value()->end()));
        ASSERT_EQ(records.size(), 7u) << "from the batch holding offset 3: 2, 3, ... 8";
        EXPECT_EQ(records.front(), std::make_pair(std::int64_t{2}, std::string("a")));
        EXPECT_EQ(records.back(), std::make_pair(std::int64_t{8}, std::string("c")));
    }
}

TEST_F(KafkaApisTest, ListOffsetsGivesTheEarliestAndTheLatest) {
    createTopic("t");
    const TopicPartition tp{"t", 0};
    produce(tp, batchOf({"a", "b", "c"}));
    const auto response = call<requests::ListOffsetsResponse>(
        ApiKeys::kListOffsets, 5,
        requests::ListOffsetsRequest(
            {{tp, {requests::ListOffsetsRequest::kLatestTimestamp, -1}},
             {{"t", 2}, {requests::ListOffsetsRequest::kEarliestTimestamp, -1}},
             {{"nope", 0}, {-1, -1}}}));
    ASSERT_NE(response, nullptr);
    EXPECT_EQ(response->partitions().at(tp).offset, 3);
    EXPECT_EQ(response->partitions().at({"t", 2}).offset, 0);
    EXPECT_EQ(response->partitions().at({"nope", 0}).error, Errors::kUnknownTopicOrPartition);
}

TEST_F(KafkaApisTest, ProduceErrorsComePerPartitionAndTheConnectionStaysOpen) {
    createTopic("t");
    auto corrupt = batchOf({"x"});
    corrupt.back() ^= 0x01;
    const auto response = call<requests::ProduceResponse>(
        ApiKeys::kProduce, 8,
        requests::ProduceRequest(1, 30'000,
                                 {{{"t", 0}, corrupt}, {{"unknown", 0}, batchOf({"y"})}}));
    ASSERT_NE(response, nullptr);
    EXPECT_EQ(response->responses().at({"t", 0}).error, Errors::kCorruptMessage);
    EXPECT_TRUE(response->responses().at({"t", 0}).errorMessage);
    EXPECT_EQ(response->responses().at({"unknown", 0}).error, Errors::kUnknownTopicOrPartition);
    EXPECT_EQ(fetch({"t", 0}, 0).highWatermark, 0) << "nothing was appended";
}

TEST_F(KafkaApisTest, WithAcksZeroThereIsNoAnswerAndAnErrorClosesTheConnection) {
    createTopic("t");
    client->send(ApiKeys::kProduce, 8, 100,
                 requests::ProduceRequest(0, 30'000, {{{"t", 0}, batchOf({"quiet"})}}));
    EXPECT_EQ(fetch({"t", 0}, 0).highWatermark, 1) << "the next answer is the fetch's";

    client->send(ApiKeys::kProduce, 8, 101,
                 requests::ProduceRequest(0, 30'000, {{{"unknown", 0}, batchOf({"lost"})}}));
    EXPECT_TRUE(client->closedByPeer()) << "the only way to tell an acks=0 producer";
}

TEST_F(KafkaApisTest, ATruncatedBodyClosesTheConnectionAndNothingIsAppended) {
    createTopic("t");
    auto frame = test::BrokerClient::requestFrame(
        ApiKeys::kProduce, 8, 1, requests::ProduceRequest(1, 30'000, {{{"t", 0}, batchOf({"x"})}}));
    // Cut the body short by ten bytes, and say so in the size prefix: a well-framed request
    // whose records claim more bytes than there are.
    frame.erase(frame.end() - 10, frame.end());
    const auto size = static_cast<std::uint32_t>(frame.size() - 4);
    for (int i = 0; i < 4; ++i)
        frame[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(size >> (24 - 8 * i));
    client->sendRaw(frame);
    EXPECT_TRUE(client->closedByPeer());
    test::BrokerClient other(broker().boundPort());
    other.send(ApiKeys::kFetch, 11, 2,
               requests::FetchRequest(0, 1, 1 << 20, {{{"t", 0}, {0, 1 << 20, -1, -1}}}));
    const auto answer = other.readFrame();
    ASSERT_TRUE(answer);
    common::protocol::Readable in(*answer, "fetch response");
    in.readInt32();
    EXPECT_EQ(requests::FetchResponse::parse(in, 11)->partitions().at({"t", 0}).highWatermark, 0);
}

TEST_F(KafkaApisTest, AVersionItDoesNotSpeakClosesTheConnection) {
    createTopic("t");
    testing::internal::CaptureStderr();
    client->send(ApiKeys::kProduce, 2, 1,
                 requests::ProduceRequest(1, 30'000, {{{"t", 0}, batchOf({"old"})}}));
    EXPECT_TRUE(client->closedByPeer());
    const std::string log = testing::internal::GetCapturedStderr();
    // One line, in Kafka's voice: which broker, what went wrong, which class said it.
    EXPECT_NE(log.find("WARN [KafkaApi-4] Error handling Produce v2 (correlation id 1)"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("(KafkaApis)"), std::string::npos) << log;
}

TEST_F(KafkaApisTest, AFetchAtTheEndWaitsForDataAndAnswersWhenItArrives) {
    createTopic("t");
    const TopicPartition tp{"t", 0};
    test::BrokerClient consumer(broker().boundPort());
    consumer.send(ApiKeys::kFetch, 11, 1,
                  requests::FetchRequest(60'000, 1, 1 << 20, {{tp, {0, 1 << 20, -1, -1}}}));
    EXPECT_FALSE(consumer.receivesWithin(300ms)) << "nothing to send yet: it waits";
    produce(tp, batchOf({"news"}));
    const auto frame = consumer.readFrame(10s);  // far less than the 60 s it could wait
    ASSERT_TRUE(frame);
    common::protocol::Readable in(*frame, "fetch response");
    in.readInt32();
    const auto response = requests::FetchResponse::parse(in, 11);
    EXPECT_EQ(response->partitions().at(tp).highWatermark, 1);
    EXPECT_FALSE(response->partitions().at(tp).records.empty());
}

TEST_F(KafkaApisTest, AFetchPastTheEndIsOutOfRange) {
    createTopic("t");
    EXPECT_EQ(fetch({"t", 0}, 5).error, Errors::kOffsetOutOfRange);
    EXPECT_EQ(fetch({"t", 9}, 0).error, Errors::kUnknownTopicOrPartition);
}

TEST_F(KafkaApisTest, PipelinedRequestsOnOneConnectionAreAnsweredInOrder) {
    // Fifty requests in one write, handled by two handler threads: the mute keeps them in
    // line, so the answers come back in the order asked.
    Bytes pipeline;
    for (std::int32_t id = 1; id <= 50; ++id) {
        const auto frame = id % 2 ? test::BrokerClient::requestFrame(ApiKeys::kApiVersions, 2, id,
                                                                     requests::ApiVersionsRequest())
                                  : test::BrokerClient::requestFrame(
                                        ApiKeys::kMetadata, 8, id,
                                        requests::MetadataRequest(std::vector<std::string>{"p"}));
        pipeline.insert(pipeline.end(), frame.begin(), frame.end());
    }
    client->sendRaw(pipeline);
    for (std::int32_t id = 1; id <= 50; ++id) {
        const auto frame = client->readFrame();
        ASSERT_TRUE(frame) << "response " << id;
        common::protocol::Readable in(*frame, "response");
        EXPECT_EQ(in.readInt32(), id);
    }
}

TEST_F(KafkaApisTest, TwoHundredConnectionsAreServedAtOnce) {
    std::vector<std::unique_ptr<test::BrokerClient>> clients;
    for (int i = 0; i < 200; ++i)
        clients.push_back(std::make_unique<test::BrokerClient>(broker().boundPort()));
    for (int i = 0; i < 200; ++i)
        clients[static_cast<std::size_t>(i)]->send(ApiKeys::kApiVersions, 2, 1000 + i,
                                                   requests::ApiVersionsRequest());
    for (int i = 0; i < 200; ++i) {
        const auto frame = clients[static_cast<std::size_t>(i)]->readFrame();
        ASSERT_TRUE(frame) << "client " << i;
        common::protocol::Readable in(*frame, "response");
        EXPECT_EQ(in.readInt32(), 1000 + i);
    }
}

TEST_F(KafkaApisTest, GarbageOnOneConnectionDoesNotDisturbTheOthers) {
    test::BrokerClient vandal(broker().boundPort());
    const std::string garbage = "\x7f\xff\xff\xff nonsense that claims to be a 2 GiB frame";
    vandal.sendRaw(Bytes(garbage.begin(), garbage.end()));
    EXPECT_TRUE(vandal.closedByPeer());
    createTopic("t");
    EXPECT_EQ(produce({"t", 0}, batchOf({"fine"}))->responses().at({"t", 0}).error, Errors::kNone);
}

// A negative limit is refused, as Kafka's LogSegment.read refuses it (an
// error for the partition: UNKNOWN_SERVER_ERROR), instead of being read as "no limit".
TEST_F(KafkaApisTest, AFetchWithANegativeLimitGetsAnErrorNotTheWholeLog) {
    createTopic("t");
    const TopicPartition tp{"t", 0};
    for (int i = 0; i < 3; ++i) produce(tp, batchOf({std::string(1000, 'x')}));
    for (const auto& [maxBytes, partitionMaxBytes] : {std::pair{1, -1}, std::pair{-1, 1 << 20}}) {
        const auto response = call<requests::FetchResponse>(
            ApiKeys::kFetch, 11,
            requests::FetchRequest(0, 1, maxBytes, {{tp, {0, partitionMaxBytes, -1, -1}}}));
        ASSERT_NE(response, nullptr);
        const auto& data = response->partitions().at(tp);
        EXPECT_EQ(data.error, Errors::kUnknownServerError)
            << "max_bytes " << maxBytes << ", partition_max_bytes " << partitionMaxBytes;
        EXPECT_TRUE(data.records.empty());
    }
}

// The broker's fetch.max.bytes caps what any request may ask for (Kafka: 55 MiB).
TEST_F(KafkaApisTest, AResponseNeverGrowsPastTheBrokersFetchMaxBytes) {
    restartWith({{"fetch.max.bytes", "1024"}});
    createTopic("t");
    const TopicPartition tp{"t", 0};
    for (int i = 0; i < 5; ++i) produce(tp, batchOf({std::string(600, 'x')}));
    const auto data = fetch(tp, 0);  // asks for 1 MiB
    EXPECT_EQ(data.error, Errors::kNone);
    EXPECT_EQ(common::record::MemoryRecords::readableRecords(data.records).batches().size(), 1u);
    EXPECT_LE(data.records.size(), 1024u);
}

// KIP-74: the first batch of the first partition with data goes whole, so that a consumer
// always moves on; every other partition keeps to what is left of max_bytes.
TEST_F(KafkaApisTest, OnlyTheFirstPartitionWithDataMayGoPastTheLimit) {
    createTopic("t");
    const TopicPartition first{"t", 0};
    const TopicPartition second{"t", 1};
    const auto batch = batchOf({std::string(1000, 'x')});
    produce(first, batch);
    produce(second, batch);
    const auto maxBytes = static_cast<std::int32_t>(batch.size() * 3 / 2);
    const auto response = call<requests::FetchResponse>(
        ApiKeys::kFetch, 11,
        requests::FetchRequest(0, 1, maxBytes,
                               {{first, {0, 1 << 20, -1, -1}}, {second, {0, 1 << 20, -1, -1}}}));
    ASSERT_NE(response, nullptr);
    EXPECT_EQ(response->partitions().at(first).records.size(), batch.size());
    EXPECT_TRUE(response->partitions().at(second).records.empty())
        << "half a batch left of max_bytes: the second partition's batch waits for next time";
}

// Kafka's "-index" in connection ids: a client that resets its connection
// while its fetch is parked, and a new client on the same port, are two connections. The old
// one's answer is dropped; the new one gets only its own.
TEST_F(KafkaApisTest, AnAnswerForAClientThatLeftNeverReachesTheNextClientOnItsPort) {
    restartWith({{"num.network.threads", "1"}});  // both clients on the same Processor
    createTopic("t");
    // The next client takes the port the leaving one had; with other tests running alongside,
    // another connection may take it first, so the dance is tried again from a new port.
    std::unique_ptr<test::BrokerClient> next;
    for (int attempt = 0; attempt < 5 && !next; ++attempt) {
        test::BrokerClient leaving(broker().boundPort());
        const int port = leaving.localPort();
        leaving.send(ApiKeys::kFetch, 11, 7,
                     requests::FetchRequest(1000, 1, 1 << 20, {{{"t", 0}, {0, 1 << 20, -1, -1}}}));
        std::this_thread::sleep_for(200ms);  // the fetch is parked, waiting for data
        leaving.abort();
        std::this_thread::sleep_for(200ms);  // the broker sees the reset
        try {
            next = std::make_unique<test::BrokerClient>(broker().boundPort(), port);
        } catch (const std::runtime_error&) {
            // the port was taken meanwhile
        }
    }
    ASSERT_TRUE(next) << "a client got the port of the one that left";
    std::this_thread::sleep_for(1500ms);  // the parked fetches expire meanwhile
    next->send(ApiKeys::kApiVersions, 2, 1, requests::ApiVersionsRequest());
    const auto frame = next->readFrame();
    ASSERT_TRUE(frame) << "the new client is served";
    common::protocol::Readable in(*frame, "response");
    EXPECT_EQ(in.readInt32(), 1) << "its own answer, not the fetch of the client before it";
}

// "0.0.0.0" means every interface, and no client can connect to it. Like an
// empty host, the broker advertises the address the client reached it on.
TEST_F(KafkaApisTest, ABrokerOnEveryInterfaceAdvertisesAnAddressClientsCanReach) {
    restartWith({{"listeners", "PLAINTEXT://0.0.0.0:0"}});
    const auto response = call<requests::MetadataResponse>(
        ApiKeys::kMetadata, 8, requests::MetadataRequest(std::vector<std::string>{}));
    ASSERT_NE(response, nullptr);
    EXPECT_EQ(response->brokers()[0].host(), "127.0.0.1");
}

// advertised.listeners: clients that reach the broker by another address (a proxy, NAT, a
// container's port mapping) are told that address, not the one the broker binds.
TEST_F(KafkaApisTest, MetadataGivesTheAdvertisedListenerWhenThereIsOne) {
    restartWith({{"advertised.listeners", "PLAINTEXT://broker.example:19092"}});
    const auto response = call<requests::MetadataResponse>(
        ApiKeys::kMetadata, 8, requests::MetadataRequest(std::vector<std::string>{}));
    ASSERT_NE(response, nullptr);
    EXPECT_EQ(response->brokers()[0].host(), "broker.example");
    EXPECT_EQ(response->brokers()[0].port(), 19092);
}

TEST(KafkaConfigAdvertisedListeners, AnAddressNoClientCanReachIsRefusedNamingTheKey) {
    for (const std::string value : {"PLAINTEXT://0.0.0.0:9092", "PLAINTEXT://:9092",
                                    "PLAINTEXT://host:0", "SSL://host:9093", "host:9092"}) {
        try {
            KafkaConfig config(common::config::Properties{{"advertised.listeners", value}});
            ADD_FAILURE() << value << " was accepted";
        } catch (const common::errors::ConfigException& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find("advertised.listeners"), std::string::npos) << message;
            EXPECT_NE(message.find(value), std::string::npos) << message;
        }
    }
    EXPECT_FALSE(KafkaConfig(common::config::Properties{}).advertisedListener().has_value());
}

// message.max.bytes bounds a batch (Kafka: 1048588, a 1 MiB record with its
// batch overhead); a larger one is MESSAGE_TOO_LARGE, for its partition only.
TEST_F(KafkaApisTest, ABatchAboveMessageMaxBytesIsTooLarge) {
    restartWith({{"message.max.bytes", "1000"}});
    createTopic("t");
    const auto tooLarge = produce({"t", 0}, batchOf({std::string(2000, 'x')}));
    ASSERT_NE(tooLarge, nullptr);
    EXPECT_EQ(tooLarge->responses().at({"t", 0}).error, Errors::kMessageTooLarge);
    const auto small = produce({"t", 0}, batchOf({std::string(500, 'x')}));
    EXPECT_EQ(small->responses().at({"t", 0}).error, Errors::kNone);
    EXPECT_EQ(small->responses().at({"t", 0}).baseOffset, 0) << "nothing was appended before";
}

}  // namespace
}  // namespace kafka::server
