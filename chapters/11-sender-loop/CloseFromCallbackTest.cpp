// Chapter 11: close() and the destructor from inside a callback. A callback runs on the I/O
// thread, and that thread cannot wait for itself to end: Kafka's KafkaProducer.close sees that
// it was invoked from a callback, turns the close into a forced one (timeout 0, "to prevent
// useless blocking due to self-join") and does not join. A bug this test guards against: ours
// called std::terminate instead.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/common/utils/MockTime.h"
#include "support/MockClient.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using namespace std::chrono_literals;
using Producer = KafkaProducer<std::string, std::string>;

class CloseFromCallback : public ::testing::Test {
protected:
    std::unique_ptr<Producer> newProducer() {
        metadata->update(test::singletonCluster("t", 1), time->milliseconds());
        return std::make_unique<Producer>(
            ProducerConfig({{"bootstrap.servers", "localhost:9092"}, {"linger.ms", "0"}}),
            std::make_unique<common::serialization::StringSerializer>(),
            std::make_unique<common::serialization::StringSerializer>(),
            Producer::Dependencies{.time = time, .metadata = metadata, .client = client});
    }

    // Sends one record whose callback runs `inCallback` on the I/O thread, and waits for it.
    void sendAndRunInCallback(Producer& producer, std::function<void()> inCallback) {
        std::atomic<bool> ran{false};
        producer.send({"t", 0, std::nullopt, "last words"},
                      [&ran, inCallback](const RecordMetadata&, std::exception_ptr) {
                          inCallback();
                          ran = true;
                      });
        ASSERT_TRUE(test::eventually([&] { return ran.load(); }))
            << "the callback did not return: it waits for its own thread";
    }

    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>();
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<test::MockClient> client = std::make_shared<test::MockClient>();
};

TEST_F(CloseFromCallback, CloseWithoutATimeoutIsForcedAndReturns) {
    client->answerEverything();
    auto producer = newProducer();
    test::mustReturnWithin(10s, "close() from a callback",
                           [&] { sendAndRunInCallback(*producer, [&] { producer->close(); }); });
    EXPECT_TRUE(test::eventually([&] { return !producer->sender().isRunning(); }));
    EXPECT_THROW(producer->send({"t", 0, std::nullopt, "too late"}),
                 common::errors::IllegalStateException);
    test::mustReturnWithin(10s, "close() after a close from a callback",
                           [&] { producer->close(); });
}

TEST_F(CloseFromCallback, ATimedCloseDoesNotWaitForItself) {
    client->answerEverything();
    auto producer = newProducer();
    // Waiting 30 s for the I/O thread, on the I/O thread, would be 30 s of nothing.
    const auto start = std::chrono::steady_clock::now();
    test::mustReturnWithin(10s, "close(30 s) from a callback",
                           [&] { sendAndRunInCallback(*producer, [&] { producer->close(30s); }); });
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    test::mustReturnWithin(10s, "the destructor after it", [&] { producer.reset(); });
}

TEST_F(CloseFromCallback, AForcedCloseFailsTheRecordsStillWaiting) {
    client->answerEverything();
    auto producer = newProducer();
    // t-1 has no leader: its records wait in the accumulator until the close fails them.
    metadata->update(test::singletonCluster("t", 2, /*leaderless=*/{1}), time->milliseconds());
    std::vector<RecordMetadataFuture> waiting;
    for (int i = 0; i < 5; ++i) waiting.push_back(producer->send({"t", 1, std::nullopt, "w"}));
    test::mustReturnWithin(10s, "close(0) from a callback",
                           [&] { sendAndRunInCallback(*producer, [&] { producer->close(0ms); }); });
    test::mustReturnWithin(10s, "close() after it", [&] { producer->close(); });
    for (const auto& future : waiting)
        EXPECT_EQ(test::outcomeOf(future), "Producer is closed forcefully.");
}

TEST_F(CloseFromCallback, TheDestructorInACallbackLetsTheThreadFinishOnItsOwn) {
    client->answerEverything();
    auto producer = newProducer();
    test::mustReturnWithin(10s, "~KafkaProducer from a callback",
                           [&] { sendAndRunInCallback(*producer, [&] { producer.reset(); }); });
    EXPECT_EQ(producer, nullptr);
    EXPECT_TRUE(test::eventually([&] { return client->closed(); }))
        << "the I/O thread went on to its end and closed the client";
    // And it ends: no thread may still run when the test program exits and its statics (the
    // loggers among them) are destroyed ("kafka-producer-network-thread", cut to 15 characters).
    EXPECT_TRUE(test::eventually([] {
        const auto names = test::threadNames();
        return std::find(names.begin(), names.end(), "kafka-producer-") == names.end();
    })) << "the detached I/O thread never ended";
}

// A bug this test guards against: close() unsafe from two threads at once: both joined the same
// std::thread. "Safe to call more than once" must hold for calls at the same time too.
TEST_F(CloseFromCallback, CloseFromTwoThreadsAtOnceClosesOnce) {
    for (int round = 0; round < 20; ++round) {
        auto producer = newProducer();
        test::mustReturnWithin(10s, "close() from two threads at once", [&] {
            std::thread first([&] { producer->close(); });
            std::thread second([&] { producer->close(); });
            first.join();
            second.join();
        });
        ASSERT_FALSE(producer->sender().isRunning()) << "round " << round;
    }
}

}  // namespace
}  // namespace kafka::clients::producer
