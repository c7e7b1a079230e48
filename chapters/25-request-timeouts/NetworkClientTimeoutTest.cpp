// Chapter 25: a broker that never answers. Once the oldest request to it has waited longer
// than its request.timeout.ms, the client presumes the connection dead: it closes it, and every
// request on it completes as disconnected by a timeout, which the sender may retry; a batch out
// of retries fails with REQUEST_TIMED_OUT, not as a network error.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/NetworkClientFixture.h"

namespace kafka::clients {
namespace {

using test::FakeBroker;
using test::FakeReply;
using test::FakeRequest;
using ClientFixture = test::NetworkClientFixture;

TEST(RequestTimeout, ASilentBrokerIsDisconnectedAfterTheRequestTimeout) {
    FakeBroker broker([](const FakeRequest&) { return FakeReply{}; });  // never answers
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    auto request = f.produce(broker.node(), 1, &completions);
    request.requestTimeoutMs = 1000;
    f.client.send(std::move(request), f.time->milliseconds());
    ASSERT_TRUE(
        f.pollUntil([&] { return !broker.requests(common::protocol::ApiKeys::kProduce).empty(); }));

    f.time->sleep(1000);  // exactly the timeout: not yet
    f.pollFor(50);
    EXPECT_EQ(completions, 0);

    f.time->sleep(1);
    ASSERT_TRUE(f.pollUntil([&] { return completions > 0; }));
    EXPECT_EQ(completions, 1);
    EXPECT_TRUE(f.responses.at(0).wasDisconnected());
    EXPECT_TRUE(f.responses.at(0).wasTimedOut());
    EXPECT_TRUE(f.client.connectionFailed(broker.node()));
    EXPECT_EQ(f.client.inFlightRequestCount(), 0);
}

// A broker that answers Metadata (one partition of "t", led by itself) and never Produce.
struct BrokerThatNeverAcknowledges {
    FakeReply answer(const FakeRequest& request) const {
        if (request.header.apiKey != common::protocol::ApiKeys::kMetadata) return FakeReply{};
        return {FakeBroker::metadataBody(request.header.apiVersion, {broker.node()}, "t", 1, 0),
                {},
                false};
    }
    FakeBroker broker{[this](const FakeRequest& request) { return answer(request); }};
};

TEST(RequestTimeout, ABatchOutOfRetriesFailsWithRequestTimedOut) {
    BrokerThatNeverAcknowledges silent;
    auto& broker = silent.broker;
    producer::KafkaProducer<std::string, std::string> producer(
        {{"bootstrap.servers", "127.0.0.1:" + std::to_string(broker.port())},
         {"acks", "1"},
         {"linger.ms", "0"},
         {"retries", "0"},
         {"request.timeout.ms", "300"},
         {"delivery.timeout.ms", "1000"}},
        std::make_unique<common::serialization::StringSerializer>(),
        std::make_unique<common::serialization::StringSerializer>());
    auto future = producer.send(producer::ProducerRecord<std::string, std::string>("t", "v"));
    ASSERT_EQ(future.wait_for(std::chrono::seconds(20)), std::future_status::ready);
    try {
        future.get();
        FAIL() << "a request nobody answered cannot succeed";
    } catch (const common::errors::TimeoutException& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("REQUEST_TIMED_OUT"), std::string::npos) << message;
        EXPECT_NE(message.find("Disconnected from node 0 due to timeout"), std::string::npos)
            << message;
    }
}

}  // namespace
}  // namespace kafka::clients
