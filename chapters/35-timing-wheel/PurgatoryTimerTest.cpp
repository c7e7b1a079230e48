// Chapter 35: the purgatory on the timing wheel. A delayed operation is a TimerTask: it waits
// in the purgatory's SystemTimer for its deadline, runs on the timer's executor thread when it
// expires, and leaves the timer the moment something else completes it, so that thousands of
// fetches answered early leave nothing behind. A fetch that finds nothing is answered at its
// max.wait.ms, not before.
#include <gtest/gtest.h>
#include <pthread.h>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "kafka/common/protocol/ApiKeys.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/requests/FetchRequest.h"
#include "kafka/common/requests/FetchResponse.h"
#include "kafka/common/requests/MetadataRequest.h"
#include "kafka/server/DelayedOperationPurgatory.h"
#include "kafka/server/KafkaServer.h"
#include "support/BrokerClient.h"
#include "support/LogDirs.h"
#include "support/TestUtils.h"

namespace kafka::server {
namespace {

using common::TopicPartition;
using common::protocol::ApiKeys;
namespace requests = common::requests;
using namespace std::chrono_literals;

// Completes once `ready` is set; notes the thread that expired it.
class WaitingOperation : public DelayedOperation {
public:
    explicit WaitingOperation(std::int64_t delayMs) : DelayedOperation(delayMs) {}
    bool tryComplete() override { return ready && forceComplete(); }

    std::atomic<bool> ready = false;
    std::atomic<int> completions = 0;
    std::atomic<int> expirations = 0;
    std::string expiredOnThread;

private:
    void onComplete() override { ++completions; }
    void onExpiration() override {
        std::array<char, 16> name{};
        pthread_getname_np(pthread_self(), name.data(), name.size());
        expiredOnThread = name.data();
        ++expirations;
    }
};

TEST(PurgatoryOnTheTimer, OperationsCompletedByDataLeaveTheTimerAtOnce) {
    DelayedOperationPurgatory purgatory("test");
    std::vector<std::shared_ptr<WaitingOperation>> operations;
    for (int i = 0; i < 10'000; ++i) {
        operations.push_back(std::make_shared<WaitingOperation>(60'000));
        EXPECT_FALSE(purgatory.tryCompleteElseWatch(operations.back(), {{"t", i % 10}}));
    }
    EXPECT_EQ(purgatory.numDelayed(), 10'000u);
    for (const auto& operation : operations) operation->ready = true;
    for (int p = 0; p < 10; ++p) purgatory.checkAndComplete({"t", p});
    EXPECT_EQ(purgatory.numDelayed(), 0u)
        << "completing an operation cancels its timer task: the timer holds none of them";
    for (const auto& operation : operations) {
        EXPECT_TRUE(operation->isCancelled());
        EXPECT_EQ(operation->completions, 1);
        EXPECT_EQ(operation->expirations, 0);
    }
}

TEST(PurgatoryOnTheTimer, AnOperationExpiresOnTheTimersExecutorThread) {
    DelayedOperationPurgatory purgatory("test");
    auto operation = std::make_shared<WaitingOperation>(30);
    purgatory.tryCompleteElseWatch(operation, {{"t", 0}});
    ASSERT_TRUE(test::eventually([&] { return operation->expirations == 1; }));
    EXPECT_EQ(operation->completions, 1);
    EXPECT_EQ(operation->expiredOnThread, "executor-test")
        << "the reaper advances the clock; the timer's executor runs what expired";
}

TEST(PurgatoryOnTheTimer, AnOperationCompletedThroughOneKeyIsSweptFromTheOthers) {
    DelayedOperationPurgatory purgatory("test");
    auto operation = std::make_shared<WaitingOperation>(60'000);
    purgatory.tryCompleteElseWatch(operation, {{"a", 0}, {"b", 0}});
    EXPECT_EQ(purgatory.watchedKeys(), 2u);
    operation->ready = true;
    EXPECT_EQ(purgatory.checkAndComplete({"a", 0}), 1);
    EXPECT_EQ(purgatory.watchedKeys(), 1u) << "b/0 has seen nothing happen yet";
    EXPECT_TRUE(test::eventually([&] { return purgatory.watchedKeys() == 0; }))
        << "with nothing left in the timer, the reaper sweeps b/0's watchers";
}

// The whole broker: a consumer at the end of an empty log asks for at least one byte and
// waits up to max.wait.ms. It gets its (empty) answer then, from the timer, and not before.
TEST(PurgatoryOnTheTimer, AFetchThatFindsNothingIsAnsweredAtItsMaxWait) {
    KafkaServer server(
        KafkaConfig(test::brokerProperties({{"listeners", "PLAINTEXT://127.0.0.1:0"}})));
    server.startup();
    test::BrokerClient client(server.boundPort());
    client.send(ApiKeys::kMetadata, 8, 1, requests::MetadataRequest(std::vector<std::string>{"t"}));
    ASSERT_TRUE(client.readFrame());

    const TopicPartition tp{"t", 0};
    client.send(ApiKeys::kFetch, 11, 2,
                requests::FetchRequest(800, 1, 1 << 20, {{tp, {0, 1 << 20, -1, -1}}}));
    EXPECT_FALSE(client.receivesWithin(400ms)) << "answered before its max.wait.ms";
    const auto frame = client.readFrame(10s);
    ASSERT_TRUE(frame) << "never answered";
    common::protocol::Readable in(*frame, "fetch response");
    EXPECT_EQ(in.readInt32(), 2);
    const auto response = requests::FetchResponse::parse(in, 11);
    EXPECT_TRUE(response->partitions().at(tp).records.empty());
    EXPECT_EQ(response->partitions().at(tp).highWatermark, 0);
}

}  // namespace
}  // namespace kafka::server
