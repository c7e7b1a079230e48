// Chapter 36: InitProducerId on the wire, both ways. The request and response round-trip in
// versions 0 and 1 with the bytes Kafka's schema gives them; our broker lists the API and hands
// each idempotent producer an id of its own, at epoch 0, and refuses a transactional one.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"
#include "kafka/common/requests/ApiVersionsRequest.h"
#include "kafka/common/requests/ApiVersionsResponse.h"
#include "kafka/common/requests/InitProducerIdRequest.h"
#include "kafka/common/requests/InitProducerIdResponse.h"
#include "kafka/server/KafkaServer.h"
#include "support/BrokerClient.h"
#include "support/LogDirs.h"

namespace kafka::server {
namespace {

using common::protocol::ApiKeys;
using common::protocol::Errors;
using common::utils::Bytes;
namespace requests = common::requests;

TEST(InitProducerIdWire, TheRequestIsANullableIdAndATimeout) {
    Bytes bytes;
    common::protocol::Writable out(bytes);
    requests::InitProducerIdRequest().write(out, 1);
    // transactional_id null (int16 -1), transaction_timeout_ms Integer.MAX_VALUE.
    EXPECT_EQ(bytes, (Bytes{0xff, 0xff, 0x7f, 0xff, 0xff, 0xff}));
    common::protocol::Readable in(bytes, "request");
    const auto parsed = requests::InitProducerIdRequest::parse(in, 1);
    EXPECT_FALSE(parsed->transactionalId());
    EXPECT_EQ(parsed->transactionTimeoutMs(), 2'147'483'647);
}

TEST(InitProducerIdWire, TheResponseCarriesTheIdAndTheEpoch) {
    Bytes bytes;
    common::protocol::Writable out(bytes);
    requests::InitProducerIdResponse(Errors::kNone, 4242, 3, 0).write(out, 0);
    EXPECT_EQ(bytes.size(), 4u + 2 + 8 + 2);
    common::protocol::Readable in(bytes, "response");
    const auto parsed = requests::InitProducerIdResponse::parse(in, 0);
    EXPECT_EQ(parsed->error(), Errors::kNone);
    EXPECT_EQ(parsed->producerId(), 4242);
    EXPECT_EQ(parsed->producerEpoch(), 3);
}

class BrokerInitProducerId : public ::testing::Test {
protected:
    void SetUp() override {
        server = std::make_unique<KafkaServer>(
            KafkaConfig(test::brokerProperties({{"listeners", "PLAINTEXT://127.0.0.1:0"}})));
        server->startup();
        client = std::make_unique<test::BrokerClient>(server->boundPort());
    }

    template <typename Response>
    std::shared_ptr<const Response> call(ApiKeys api, std::int16_t version,
                                         const requests::AbstractRequest& body) {
        return client->call<Response>(api, version, body);
    }

    std::unique_ptr<KafkaServer> server;
    std::unique_ptr<test::BrokerClient> client;
};

TEST_F(BrokerInitProducerId, ApiVersionsListsItInVersionsZeroAndOne) {
    const auto response = call<requests::ApiVersionsResponse>(ApiKeys::kApiVersions, 2,
                                                              requests::ApiVersionsRequest());
    ASSERT_NE(response, nullptr);
    bool listed = false;
    for (const auto& api : response->apiVersions())
        if (api.apiKey == 22) {
            listed = true;
            EXPECT_EQ(api.minVersion, 0);
            EXPECT_EQ(api.maxVersion, 1);
        }
    EXPECT_TRUE(listed);
}

TEST_F(BrokerInitProducerId, EachIdempotentProducerGetsAnIdOfItsOwnAtEpochZero) {
    std::set<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) {
        const auto response = call<requests::InitProducerIdResponse>(
            ApiKeys::kInitProducerId, static_cast<std::int16_t>(i % 2),
            requests::InitProducerIdRequest());
        ASSERT_NE(response, nullptr);
        EXPECT_EQ(response->error(), Errors::kNone);
        EXPECT_GE(response->producerId(), 0);
        EXPECT_EQ(response->producerEpoch(), 0);
        ids.insert(response->producerId());
    }
    EXPECT_EQ(ids.size(), 5u) << "never the same id twice";
}

TEST_F(BrokerInitProducerId, ATransactionalProducerIsRefusedNotServedAsAnIdempotentOne) {
    const auto response = call<requests::InitProducerIdResponse>(
        ApiKeys::kInitProducerId, 1, requests::InitProducerIdRequest("my-transactions", 60'000));
    ASSERT_NE(response, nullptr);
    EXPECT_EQ(response->error(), Errors::kInvalidRequest);
    EXPECT_EQ(response->producerId(), -1);
}

}  // namespace
}  // namespace kafka::server
