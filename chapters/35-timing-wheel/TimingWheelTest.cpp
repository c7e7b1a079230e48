// Chapter 35: the hierarchical timing wheel. A task goes into the bucket of its tick in O(1);
// one beyond a wheel's span goes to an overflow wheel whose tick is that whole span; the delay
// queue holds buckets, not tasks; as the clock reaches a coarse bucket its tasks fall into finer
// wheels, and each runs when its time comes, never before. Cancelling takes a task out at once.
// The clock is a MockTime: nothing here sleeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kafka/common/utils/MockTime.h"
#include "kafka/server/util/timer/DelayQueue.h"
#include "kafka/server/util/timer/SystemTimer.h"
#include "kafka/server/util/timer/TimerTaskEntry.h"
#include "kafka/server/util/timer/TimingWheel.h"
#include "support/TestUtils.h"

namespace kafka::server::util::timer {
namespace {

using common::utils::MockTime;

// A task that notes the clock's time when it runs.
class RecordingTask : public TimerTask {
public:
    RecordingTask(std::int64_t delayMs, const MockTime& time) : TimerTask(delayMs), time_(time) {}
    void run() override {
        ranAtMs = time_.milliseconds();
        ++runs;
    }
    std::atomic<std::int64_t> ranAtMs = -1;
    std::atomic<int> runs = 0;

private:
    const MockTime& time_;
};

class NoopTask : public TimerTask {
public:
    explicit NoopTask(std::int64_t delayMs) : TimerTask(delayMs) {}
    void run() override {}
};

// A wheel of Kafka's shape (1 ms ticks, 20 buckets) whose clock starts at 0.
struct WheelAtZero {
    std::shared_ptr<MockTime> time = std::make_shared<MockTime>(0);
    std::atomic<int> taskCounter = 0;
    DelayQueue queue{time};
    TimingWheel wheel{1, 20, 0, taskCounter, queue};

    std::shared_ptr<TimerTaskEntry> entryAt(std::int64_t expirationMs) {
        auto task = std::make_shared<NoopTask>(expirationMs);
        auto entry = std::make_shared<TimerTaskEntry>(task, expirationMs);
        task->setTimerTaskEntry(entry);
        return entry;
    }
    // The expiration of the earliest bucket in the queue, once the clock has reached it.
    std::int64_t nextBucketExpiration() {
        time->setCurrentTimeMs(1'000'000);
        TimerTaskList* bucket = queue.poll(0);
        return bucket ? bucket->expiration() : -1;
    }
};

TEST(TimingWheel, ATaskGoesIntoTheBucketOfItsTickAndABucketIsQueuedOnce) {
    WheelAtZero w;
    EXPECT_TRUE(w.wheel.add(w.entryAt(5)));
    EXPECT_TRUE(w.wheel.add(w.entryAt(5)));
    EXPECT_TRUE(w.wheel.add(w.entryAt(19)));
    EXPECT_EQ(w.taskCounter, 3);
    EXPECT_EQ(w.queue.size(), 2u) << "two ticks with tasks: two buckets queued, not three tasks";
    EXPECT_EQ(w.nextBucketExpiration(), 5);
    EXPECT_EQ(w.wheel.overflowWheel(), nullptr) << "everything fit in the first wheel";
}

TEST(TimingWheel, ATaskBeyondTheSpanGoesToAnOverflowWheelWhoseTickIsThatSpan) {
    WheelAtZero w;
    EXPECT_TRUE(w.wheel.add(w.entryAt(25)));  // past 20 ms: the second wheel, 20 ms ticks
    ASSERT_NE(w.wheel.overflowWheel(), nullptr);
    EXPECT_EQ(w.wheel.overflowWheel()->intervalMs(), 400);
    EXPECT_EQ(w.nextBucketExpiration(), 20) << "the bucket of 20..39 ms";

    WheelAtZero far;
    EXPECT_TRUE(far.wheel.add(far.entryAt(30'000)));  // a request timeout: the fourth wheel
    const TimingWheel* level = &far.wheel;
    std::vector<std::int64_t> spans;
    for (; level != nullptr; level = level->overflowWheel()) spans.push_back(level->intervalMs());
    EXPECT_EQ(spans, (std::vector<std::int64_t>{20, 400, 8'000, 160'000}));
    EXPECT_EQ(far.nextBucketExpiration(), 24'000) << "the 8-second bucket that holds 30 s";
}

TEST(TimingWheel, AnEntryWhoseTimeHasComeOrThatWasCancelledIsNotAdded) {
    WheelAtZero w;
    w.wheel.advanceClock(100);
    EXPECT_FALSE(w.wheel.add(w.entryAt(100))) << "in the current tick: the caller runs it";
    EXPECT_FALSE(w.wheel.add(w.entryAt(42))) << "in the past";
    auto cancelled = w.entryAt(150);
    cancelled->timerTask()->cancel();
    EXPECT_FALSE(w.wheel.add(cancelled));
    EXPECT_EQ(w.taskCounter, 0);
}

TEST(TimingWheel, AHundredThousandTasksWaitInAFewDozenBuckets) {
    WheelAtZero w;
    std::mt19937 random(35);
    std::uniform_int_distribution<std::int64_t> delay(1, 30'000);
    for (int i = 0; i < 100'000; ++i) ASSERT_TRUE(w.wheel.add(w.entryAt(delay(random))));
    EXPECT_EQ(w.taskCounter, 100'000);
    // At most one queued bucket per bucket of each of the four wheels.
    EXPECT_LE(w.queue.size(), 4u * 20u);
}

// Drives a SystemTimer on a MockTime: moves the clock, and advances the timer until no bucket
// has expired. Tasks that expire are handed to the executor before advanceClock returns.
struct TimerOnMockTime {
    std::shared_ptr<MockTime> time = std::make_shared<MockTime>(1'000);
    SystemTimer timer{"test", {.time = time}};

    void moveTo(std::int64_t ms) {
        time->setCurrentTimeMs(ms);
        while (timer.advanceClock(0)) {
        }
    }
};

TEST(SystemTimer, EachTaskRunsWhenItsTimeComesAndNeverBefore) {
    TimerOnMockTime t;
    const std::vector<std::int64_t> delays{1, 2, 19, 20, 21, 399, 400, 401, 7'999, 8'000, 30'000};
    std::vector<std::shared_ptr<RecordingTask>> tasks;
    auto shuffled = delays;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(35));
    for (const auto delay : shuffled) {
        tasks.push_back(std::make_shared<RecordingTask>(delay, *t.time));
        t.timer.add(tasks.back());
    }
    std::sort(tasks.begin(), tasks.end(),
              [](const auto& a, const auto& b) { return a->delayMs() < b->delayMs(); });
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const std::int64_t due = 1'000 + tasks[i]->delayMs();
        t.moveTo(due - 1);
        EXPECT_EQ(t.timer.size(), static_cast<int>(tasks.size() - i))
            << "a millisecond early, the task of " << tasks[i]->delayMs() << " ms still waits";
        t.moveTo(due);
        EXPECT_EQ(t.timer.size(), static_cast<int>(tasks.size() - i - 1));
        ASSERT_TRUE(test::eventually([&] { return tasks[i]->runs == 1; }))
            << "the task of " << tasks[i]->delayMs() << " ms did not run at its time";
        EXPECT_EQ(tasks[i]->ranAtMs, due);
    }
}

TEST(SystemTimer, ATaskWhoseDelayIsZeroRunsAtOnce) {
    TimerOnMockTime t;
    auto task = std::make_shared<RecordingTask>(0, *t.time);
    t.timer.add(task);
    EXPECT_TRUE(test::eventually([&] { return task->runs == 1; }));
    EXPECT_EQ(t.timer.size(), 0);
}

TEST(SystemTimer, CancellingATaskTakesItOutOfTheTimerAtOnce) {
    TimerOnMockTime t;
    std::vector<std::shared_ptr<RecordingTask>> tasks;
    for (int i = 0; i < 1'000; ++i) {
        tasks.push_back(std::make_shared<RecordingTask>(30'000 + i, *t.time));
        t.timer.add(tasks.back());
    }
    EXPECT_EQ(t.timer.size(), 1'000);
    for (const auto& task : tasks) task->cancel();
    EXPECT_EQ(t.timer.size(), 0) << "the buckets let go of them now, not at their deadlines";
    t.moveTo(100'000);
    for (const auto& task : tasks) EXPECT_EQ(task->runs, 0);
}

TEST(SystemTimer, ATaskAddedTwiceWaitsAndRunsOnce) {
    TimerOnMockTime t;
    auto task = std::make_shared<RecordingTask>(50, *t.time);
    t.timer.add(task);
    t.moveTo(1'030);
    t.timer.add(task);  // again, 30 ms later: only the second entry stands
    EXPECT_EQ(t.timer.size(), 1);
    t.moveTo(1'050);
    EXPECT_EQ(t.timer.size(), 1) << "the first entry was taken out when the second came";
    t.moveTo(1'080);
    ASSERT_TRUE(test::eventually([&] { return task->runs == 1; }));
    EXPECT_EQ(task->ranAtMs, 1'080);
}

TEST(SystemTimer, ATaskThatThrowsDoesNotStopTheOnesAfterIt) {
    class Throwing : public TimerTask {
    public:
        Throwing() : TimerTask(10) {}
        void run() override { throw std::runtime_error("no memory for the answer"); }
    };
    TimerOnMockTime t;
    t.timer.add(std::make_shared<Throwing>());
    auto after = std::make_shared<RecordingTask>(20, *t.time);
    t.timer.add(after);
    t.moveTo(1'020);
    EXPECT_TRUE(test::eventually([&] { return after->runs == 1; }));
}

TEST(SystemTimer, ThreadsAddingAndCancellingWhileTheClockMovesLoseNothing) {
    TimerOnMockTime t;
    constexpr int kThreads = 4, kPerThread = 2'000;
    std::vector<std::shared_ptr<RecordingTask>> tasks(kThreads * kPerThread);
    std::atomic<bool> adding = true;
    std::thread clock([&] {
        for (std::int64_t ms = 1'000; adding || t.timer.size() > 0; ms += 7) t.moveTo(ms);
    });
    std::vector<std::thread> adders;
    for (int a = 0; a < kThreads; ++a)
        adders.emplace_back([&, a] {
            for (int i = 0; i < kPerThread; ++i) {
                auto& task = tasks[a * kPerThread + i];
                // A task to cancel waits far longer than the test runs, so it cannot have
                // run before it is cancelled.
                const bool toCancel = i % 3 == 0;
                task =
                    std::make_shared<RecordingTask>(toCancel ? 100'000'000 : 1 + i % 500, *t.time);
                t.timer.add(task);
                if (toCancel) task->cancel();
            }
        });
    for (auto& adder : adders) adder.join();
    adding = false;
    clock.join();
    ASSERT_TRUE(test::eventually([&] {
        return std::all_of(tasks.begin(), tasks.end(), [i = 0](const auto& task) mutable {
            return (i++ % kPerThread) % 3 == 0 || task->runs == 1;
        });
    })) << "a task that was not cancelled never ran";
    for (int i = 0; i < kThreads * kPerThread; ++i)
        EXPECT_EQ(tasks[i]->runs, (i % kPerThread) % 3 == 0 ? 0 : 1) << "task " << i;
}

}  // namespace
}  // namespace kafka::server::util::timer
