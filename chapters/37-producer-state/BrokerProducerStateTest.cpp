// Chapter 37: the whole broker, spoken to in Kafka's protocol. A Produce carrying a batch the
// partition already has from this producer is answered with the first copy's base offset, and a
// consumer finds the records once; a batch that skips sequences is answered
// OUT_OF_ORDER_SEQUENCE_NUMBER; and producer ids are never handed out twice, even across a
// restart of the broker.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/protocol/Errors.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/requests/FetchRequest.h"
#include "kafka/common/requests/FetchResponse.h"
#include "kafka/common/requests/InitProducerIdRequest.h"
#include "kafka/common/requests/InitProducerIdResponse.h"
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

Bytes batchOf(std::int64_t producerId, std::int32_t firstSeq, int count) {
    common::record::MemoryRecordsBuilder builder(1 << 20);
    builder.setProducerState(producerId, 0, firstSeq);
    for (int i = 0; i < count; ++i) {
        const std::string value = "seq-" + std::to_string(firstSeq + i);
        builder.append(1000, std::nullopt, Bytes(value.begin(), value.end()));
    }
    return builder.build();
}

class BrokerProducerState : public ::testing::Test {
protected:
    void SetUp() override { start(); }

    void start() {
        client.reset();
        server.reset();
        server = std::make_unique<KafkaServer>(KafkaConfig(test::brokerProperties(
            {{"listeners", "PLAINTEXT://127.0.0.1:0"}, {"log.dirs", logDir.string()}})));
        server->startup();
        client = std::make_unique<test::BrokerClient>(server->boundPort());
    }

    template <typename Response>
    std::shared_ptr<const Response> call(ApiKeys api, std::int16_t version,
                                         const requests::AbstractRequest& body) {
        return client->call<Response>(api, version, body);
    }
    std::int64_t producerId() {
        const auto response = call<requests::InitProducerIdResponse>(
            ApiKeys::kInitProducerId, 1, requests::InitProducerIdRequest());
        EXPECT_NE(response, nullptr);
        return response ? response->producerId() : -1;
    }
    requests::ProduceResponse::PartitionResponse produce(const Bytes& batch) {
        const auto response = call<requests::ProduceResponse>(
            ApiKeys::kProduce, 8, requests::ProduceRequest(-1, 30'000, {{tp, batch}}));
        EXPECT_NE(response, nullptr);
        return response ? response->responses().at(tp)
                        : requests::ProduceResponse::PartitionResponse{};
    }
    // A topic is created when a client first asks for its metadata, as Kafka's broker does.
    void createTopic() {
        call<requests::MetadataResponse>(ApiKeys::kMetadata, 8,
                                         requests::MetadataRequest(std::vector{tp.topic}));
    }
    int recordsStored() {
        const auto response = call<requests::FetchResponse>(
            ApiKeys::kFetch, 11,
            requests::FetchRequest(0, 1, 1 << 20, {{tp, {0, 1 << 20, -1, -1}}}));
        int count = 0;
        for (const auto& batch :
             common::record::MemoryRecords::readableRecords(response->partitions().at(tp).records)
                 .batches())
            count += batch.recordsCount();
        return count;
    }

    std::filesystem::path logDir = test::scratchDir();
    std::unique_ptr<KafkaServer> server;
    std::unique_ptr<test::BrokerClient> client;
    const TopicPartition tp{"idempotent", 0};
};

TEST_F(BrokerProducerState, ARetriedBatchIsAnsweredWithItsFirstOffsetAndStoredOnce) {
    const std::int64_t id = producerId();
    createTopic();
    const auto first = produce(batchOf(id, 0, 3));
    ASSERT_EQ(first.error, Errors::kNone);
    EXPECT_EQ(produce(batchOf(id, 3, 2)).baseOffset, first.baseOffset + 3);
    const auto again = produce(batchOf(id, 0, 3));
    EXPECT_EQ(again.error, Errors::kNone);
    EXPECT_EQ(again.baseOffset, first.baseOffset) << "the first copy's offset";
    EXPECT_EQ(recordsStored(), 5);
}

TEST_F(BrokerProducerState, ABatchThatSkipsSequencesIsRefused) {
    const std::int64_t id = producerId();
    createTopic();
    ASSERT_EQ(produce(batchOf(id, 0, 2)).error, Errors::kNone);
    EXPECT_EQ(produce(batchOf(id, 5, 1)).error, Errors::kOutOfOrderSequenceNumber);
    EXPECT_EQ(recordsStored(), 2);
}

TEST_F(BrokerProducerState, ProducerIdsAreNeverHandedOutTwiceEvenAcrossARestart) {
    std::set<std::int64_t> ids;
    for (int i = 0; i < 3; ++i) ids.insert(producerId());
    start();  // the same log directory
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(ids.insert(producerId()).second);
    EXPECT_EQ(ids.size(), 6u);
}

TEST_F(BrokerProducerState, AProducerIdBlockFileThatDoesNotReadStopsTheBrokerStarting) {
    client.reset();
    server.reset();
    std::ofstream(logDir / "producer-id-block") << "garbage";
    EXPECT_THROW(start(), common::errors::KafkaStorageException)
        << "starting again from id 0 would hand out ids that producers still use";
}

}  // namespace
}  // namespace kafka::server
