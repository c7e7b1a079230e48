// Chapter 30: the purgatory where fetches wait for data. Operations are watched under the
// partitions they read: a produce tries those, and no others, on its own thread; no lock of
// the purgatory is held while an operation runs; each operation completes exactly once,
// whether data, its deadline or the shutdown comes first.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "kafka/server/DelayedOperationPurgatory.h"
#include "support/TestUtils.h"

namespace kafka::server {
namespace {

using common::TopicPartition;
using namespace std::chrono_literals;

// An operation that completes once `ready` is set, and counts what happens to it.
class CountingOperation : public DelayedOperation {
public:
    explicit CountingOperation(std::int64_t delayMs) : DelayedOperation(delayMs) {}

    bool tryComplete() override {
        ++tries;
        return ready && forceComplete();
    }

    std::atomic<bool> ready = false;
    std::atomic<int> tries = 0;
    std::atomic<int> completions = 0;
    std::atomic<int> expirations = 0;

private:
    void onComplete() override { ++completions; }
    void onExpiration() override { ++expirations; }
};

TEST(DelayedOperationPurgatory, AnOperationThatCanCompleteAtOnceIsNeverWatched) {
    DelayedOperationPurgatory purgatory("test");
    auto operation = std::make_shared<CountingOperation>(60'000);
    operation->ready = true;
    EXPECT_TRUE(purgatory.tryCompleteElseWatch(operation, {{"t", 0}}));
    EXPECT_EQ(operation->completions, 1);
    EXPECT_EQ(purgatory.numDelayed(), 0u);
    EXPECT_EQ(purgatory.watchedKeys(), 0u);
}

TEST(DelayedOperationPurgatory, ACheckTriesOnlyTheOperationsWatchingThatKey) {
    DelayedOperationPurgatory purgatory("test");
    auto onA = std::make_shared<CountingOperation>(60'000);
    auto onB = std::make_shared<CountingOperation>(60'000);
    EXPECT_FALSE(purgatory.tryCompleteElseWatch(onA, {{"a", 0}}));
    EXPECT_FALSE(purgatory.tryCompleteElseWatch(onB, {{"b", 0}}));
    const int triesOfB = onB->tries;
    EXPECT_EQ(purgatory.checkAndComplete({"a", 0}), 0);
    EXPECT_EQ(onA->tries, 2) << "once when parked, once for the check";
    EXPECT_EQ(onB->tries, triesOfB) << "a produce to a/0 is no news for a fetch of b/0";
    onA->ready = true;
    EXPECT_EQ(purgatory.checkAndComplete({"a", 0}), 1);
    EXPECT_EQ(onA->completions, 1);
    EXPECT_EQ(purgatory.numDelayed(), 1u) << "b/0's is still waiting";
}

// The old purgatory ran every parked fetch under the one lock that every produce needed: a
// slow fetch held back every producer. Here, an operation stuck in tryComplete on one thread
// does not keep another thread's check of another key waiting.
TEST(DelayedOperationPurgatory, ACheckOfOneKeyDoesNotWaitForAnOperationRunningOnAnother) {
    class Stuck : public DelayedOperation {
    public:
        Stuck() : DelayedOperation(60'000) {}
        bool tryComplete() override {
            std::unique_lock lock(mutex);
            if (++calls == 1) return false;  // the first try, when it is parked
            inside = true;
            changed.notify_all();
            changed.wait_for(lock, 10s, [this] { return released; });
            return false;
        }
        std::mutex mutex;
        std::condition_variable changed;
        int calls = 0;
        bool inside = false;
        bool released = false;

    private:
        void onComplete() override {}
    };
    DelayedOperationPurgatory purgatory("test");
    auto stuck = std::make_shared<Stuck>();
    purgatory.tryCompleteElseWatch(stuck, {{"slow", 0}});
    std::thread producer([&] { purgatory.checkAndComplete({"slow", 0}); });
    {
        std::unique_lock lock(stuck->mutex);
        ASSERT_TRUE(stuck->changed.wait_for(lock, 10s, [&] { return stuck->inside; }));
    }
    auto other = std::make_shared<CountingOperation>(60'000);
    purgatory.tryCompleteElseWatch(other, {{"fast", 0}});
    other->ready = true;
    std::atomic<bool> checked = false;
    std::thread another([&] { checked = purgatory.checkAndComplete({"fast", 0}) == 1; });
    const bool done = test::eventually([&] { return checked.load(); });
    {
        std::scoped_lock lock(stuck->mutex);
        stuck->released = true;
        stuck->changed.notify_all();
    }
    producer.join();
    another.join();
    EXPECT_TRUE(done) << "the check of fast/0 waited for the operation stuck on slow/0";
}

TEST(DelayedOperationPurgatory, AnOperationNotSatisfiedInTimeExpiresAndLeavesNothingBehind) {
    DelayedOperationPurgatory purgatory("test");
    auto operation = std::make_shared<CountingOperation>(50);
    EXPECT_FALSE(purgatory.tryCompleteElseWatch(operation, {{"t", 0}, {"t", 1}}));
    EXPECT_EQ(purgatory.watchedKeys(), 2u);
    // onExpiration runs right after onComplete, on the reaper's thread.
    ASSERT_TRUE(test::eventually(
        [&] { return operation->completions == 1 && operation->expirations == 1; }));
    EXPECT_TRUE(test::eventually([&] { return purgatory.watchedKeys() == 0; }))
        << "an expired operation is swept out of its watchers";
    EXPECT_EQ(purgatory.numDelayed(), 0u);
}

TEST(DelayedOperationPurgatory, DataAndTheDeadlineRacingCompleteAnOperationOnce) {
    DelayedOperationPurgatory purgatory("test");
    std::vector<std::shared_ptr<CountingOperation>> operations;
    for (int i = 0; i < 200; ++i) {
        auto operation = std::make_shared<CountingOperation>(i % 5);  // deadlines 0 to 4 ms
        purgatory.tryCompleteElseWatch(operation, {{"t", i % 3}});
        operation->ready = true;
        operations.push_back(operation);
    }
    std::vector<std::thread> producers;
    for (int p = 0; p < 3; ++p)
        producers.emplace_back([&purgatory, p] {
            for (int i = 0; i < 20; ++i) purgatory.checkAndComplete({"t", p});
        });
    for (auto& producer : producers) producer.join();
    ASSERT_TRUE(test::eventually([&] {
        for (const auto& operation : operations)
            if (operation->completions == 0) return false;
        return true;
    }));
    for (const auto& operation : operations) EXPECT_EQ(operation->completions, 1);
}

// An answer that cannot be built (no memory for a large fetch response) must not take the
// reaper, and with it every later deadline, down; nor fail the produce whose append tried it.
TEST(DelayedOperationPurgatory, AnOperationThatThrowsStopsNeitherTheReaperNorTheProduce) {
    class Throwing : public DelayedOperation {
    public:
        explicit Throwing(std::int64_t delayMs) : DelayedOperation(delayMs) {}
        bool tryComplete() override { return ready && forceComplete(); }
        bool ready = false;

    private:
        void onComplete() override { throw std::bad_alloc(); }
    };
    DelayedOperationPurgatory purgatory("test");
    auto expiring = std::make_shared<Throwing>(10);
    purgatory.tryCompleteElseWatch(expiring, {{"t", 0}});
    ASSERT_TRUE(test::eventually([&] { return expiring->isCompleted(); }));
    auto later = std::make_shared<CountingOperation>(20);
    purgatory.tryCompleteElseWatch(later, {{"t", 1}});
    EXPECT_TRUE(test::eventually([&] { return later->expirations == 1; }))
        << "the reaper died with the operation that threw";
    auto onData = std::make_shared<Throwing>(60'000);
    purgatory.tryCompleteElseWatch(onData, {{"t", 2}});
    onData->ready = true;
    EXPECT_NO_THROW(purgatory.checkAndComplete({"t", 2}));
    EXPECT_TRUE(onData->isCompleted());
}

TEST(DelayedOperationPurgatory, ShutdownAnswersEveryOperationStillWaiting) {
    auto purgatory = std::make_unique<DelayedOperationPurgatory>("test");
    auto operation = std::make_shared<CountingOperation>(60'000);
    purgatory->tryCompleteElseWatch(operation, {{"t", 0}});
    purgatory->shutdown();
    EXPECT_EQ(operation->completions, 1);
    EXPECT_EQ(operation->expirations, 1);
    auto late = std::make_shared<CountingOperation>(60'000);
    EXPECT_TRUE(purgatory->tryCompleteElseWatch(late, {{"t", 0}})) << "no reaper to wait for";
    EXPECT_EQ(late->completions, 1);
}

}  // namespace
}  // namespace kafka::server
