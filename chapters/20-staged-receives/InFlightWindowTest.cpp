// Chapter 20: with max.in.flight.requests.per.connection=1, a broker with a request out cannot
// take another until it answers. A bug this test guards against: a ready batch for another
// partition on that broker made the Sender spin meanwhile: the broker counted as "ready" in
// the accumulator's eyes, the client said not yet, and a ready connection's delay was 0, so
// every poll had a timeout of 0. Kafka's connectionDelay says "forever" for a connected node:
// the answer that frees the window wakes the poll anyway.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/NetworkClientFixture.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::protocol::ApiKeys;
using test::FakeBroker;
using test::FakeReply;
using test::FakeRequest;

TEST(InFlightWindow, AFullWindowIsWaitedOutNotSpunOn) {
    FakeBroker* self = nullptr;
    FakeBroker broker([&self](const FakeRequest& request) {
        if (request.header.apiKey == ApiKeys::kMetadata)
            return FakeReply{
                FakeBroker::metadataBody(request.header.apiVersion, {self->node()}, "t", 2, 0),
                {},
                false};
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a slow broker
        return test::answerProduce(request);
    });
    self = &broker;
    KafkaProducer<std::string, std::string> producer(
        {{"bootstrap.servers", "127.0.0.1:" + std::to_string(broker.port())},
         {"acks", "1"},
         {"linger.ms", "0"},
         {"max.in.flight.requests.per.connection", "1"}},
        std::make_unique<common::serialization::StringSerializer>(),
        std::make_unique<common::serialization::StringSerializer>());
    producer.partitionsFor("t");  // connected, metadata known

    const auto loopsBefore = producer.sender().loopCount();
    auto first = producer.send({"t", 0, std::nullopt, "first"});
    ASSERT_TRUE(test::eventually([&] { return broker.requests(ApiKeys::kProduce).size() == 1; }));
    // t-0's request is out; t-1's batch is ready, and must wait for the window, not spin.
    auto second = producer.send({"t", 1, std::nullopt, "second"});
    test::mustReturnWithin(std::chrono::seconds(10), "the two sends", [&] { second.wait(); });
    first.wait();
    const auto loops = producer.sender().loopCount() - loopsBefore;
    // About a second of waiting: a few loops for each send, answer and wakeup, not the
    // hundreds of thousands of a poll(0) loop.
    EXPECT_LT(loops, 200) << "the Sender looped " << loops << " times while it waited";
    producer.close();
}

}  // namespace
}  // namespace kafka::clients::producer
