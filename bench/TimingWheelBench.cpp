//@ ch35
// Chapter 35: what a timer costs per task, as the number of tasks waiting grows. N tasks with
// deadlines spread over 30 s (a request timeout's range) are added, then either all expire
// (the clock moves past them, bucket by bucket) or all are cancelled (most delayed operations
// complete early). The hierarchical timing wheel against chapter 30's way, a binary heap of
// deadlines, and against an ordered set, the cheapest structure that can also cancel.
// Single-threaded, on a MockTime: the structures' own cost, no thread wakes.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <queue>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "kafka/common/utils/MockTime.h"
#include "kafka/server/util/timer/DelayQueue.h"
#include "kafka/server/util/timer/TimerTask.h"
#include "kafka/server/util/timer/TimerTaskEntry.h"
#include "kafka/server/util/timer/TimingWheel.h"

namespace {

namespace timer = kafka::server::util::timer;

class NoopTask : public timer::TimerTask {
public:
    explicit NoopTask(std::int64_t delayMs) : TimerTask(delayMs) {}
    void run() override {}
};

std::vector<std::int64_t> deadlines(std::int64_t count) {
    std::mt19937_64 random(35);
    std::uniform_int_distribution<std::int64_t> delay(1, 30'000);
    std::vector<std::int64_t> out(count);
    for (auto& d : out) d = delay(random);
    return out;
}

// A wheel of Kafka's shape, and SystemTimer::advanceClock's loop without its locks.
struct Wheel {
    std::shared_ptr<kafka::common::utils::MockTime> time =
        std::make_shared<kafka::common::utils::MockTime>(0);
    std::atomic<int> taskCounter = 0;
    timer::DelayQueue queue{time};
    timer::TimingWheel wheel{1, 20, 0, taskCounter, queue};

    std::shared_ptr<timer::TimerTask> add(std::int64_t expirationMs) {
        auto task = std::make_shared<NoopTask>(expirationMs);
        auto entry = std::make_shared<timer::TimerTaskEntry>(task, expirationMs);
        task->setTimerTaskEntry(entry);
        wheel.add(entry);
        return task;
    }
    // Expires everything; returns how many tasks ran.
    std::int64_t expireAll() {
        std::int64_t ran = 0;
        time->setCurrentTimeMs(1'000'000);
        while (timer::TimerTaskList* bucket = queue.poll(0)) {
            wheel.advanceClock(bucket->expiration());
            bucket->flush([&](std::shared_ptr<timer::TimerTaskEntry> entry) {
                if (!wheel.add(entry)) ++ran;
            });
        }
        return ran;
    }
};

void BM_TimingWheelAddThenExpire(benchmark::State& state) {
    const auto due = deadlines(state.range(0));
    for (auto _ : state) {
        Wheel w;
        for (const auto d : due) w.add(d);
        benchmark::DoNotOptimize(w.expireAll());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TimingWheelAddThenExpire)->RangeMultiplier(10)->Range(1'000, 1'000'000);

void BM_TimingWheelAddThenCancel(benchmark::State& state) {
    const auto due = deadlines(state.range(0));
    std::vector<std::shared_ptr<timer::TimerTask>> tasks(due.size());
    for (auto _ : state) {
        Wheel w;
        for (std::size_t i = 0; i < due.size(); ++i) tasks[i] = w.add(due[i]);
        for (const auto& task : tasks) task->cancel();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TimingWheelAddThenCancel)->RangeMultiplier(10)->Range(1'000, 1'000'000);

// Chapter 30's reaper: a heap of (deadline, operation), popped in order. It cannot cancel.
void BM_BinaryHeapAddThenExpire(benchmark::State& state) {
    const auto due = deadlines(state.range(0));
    using Item = std::pair<std::int64_t, std::shared_ptr<timer::TimerTask>>;
    for (auto _ : state) {
        std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
        for (const auto d : due) heap.emplace(d, std::make_shared<NoopTask>(d));
        std::int64_t ran = 0;
        for (; !heap.empty(); heap.pop()) ++ran;
        benchmark::DoNotOptimize(ran);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BinaryHeapAddThenExpire)->RangeMultiplier(10)->Range(1'000, 1'000'000);

// A balanced tree that can cancel: O(log n) to add and to remove.
void BM_OrderedSetAddThenCancel(benchmark::State& state) {
    const auto due = deadlines(state.range(0));
    using Item = std::pair<std::int64_t, std::shared_ptr<timer::TimerTask>>;
    std::vector<std::set<Item>::iterator> handles(due.size());
    for (auto _ : state) {
        std::set<Item> tree;
        for (std::size_t i = 0; i < due.size(); ++i)
            handles[i] = tree.emplace(due[i], std::make_shared<NoopTask>(due[i])).first;
        for (const auto& handle : handles) tree.erase(handle);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_OrderedSetAddThenCancel)->RangeMultiplier(10)->Range(1'000, 1'000'000);

}  // namespace
