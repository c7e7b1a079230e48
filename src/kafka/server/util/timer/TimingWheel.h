//@ ch35
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "kafka/server/util/timer/DelayQueue.h"
#include "kafka/server/util/timer/TimerTaskList.h"

namespace kafka::server::util::timer {

/// A hierarchical timing wheel (Kafka's TimingWheel; Varghese and Lauck, 1987). A wheel is a
/// ring of `wheelSize` buckets, each `tickMs` wide: together they cover `tickMs * wheelSize`
/// milliseconds from the wheel's current time. A task that expires within that span goes into
/// the bucket of its tick, in O(1); one that expires later goes to an overflow wheel whose tick
/// is this whole wheel's span, created the first time it is needed, and so on up. As the clock
/// reaches a coarse bucket, its tasks are added again, and fall into finer wheels.
///
/// With Kafka's 1 ms tick and 20 buckets, the levels span 20 ms, 400 ms, 8 s, 160 s, ...: a
/// 30-second request timeout sits in the fourth wheel and is moved twice before it expires.
///
/// Not thread-safe on its own: SystemTimer lets many threads add() at once, and advances
/// the clock with no add() in flight.
class TimingWheel {
public:
    /// The buckets go into `queue` as they get tasks; `taskCounter` counts tasks in them all.
    TimingWheel(std::int64_t tickMs, int wheelSize, std::int64_t startMs,
                std::atomic<int>& taskCounter, DelayQueue& queue);

    /// Puts the entry in the bucket of its expiration, in this wheel or an overflow wheel.
    /// Returns false if it has expired already (the caller runs it) or was cancelled.
    bool add(const std::shared_ptr<TimerTaskEntry>& entry);

    /// Moves this wheel's current time, and its overflow wheels', to the tick holding `timeMs`.
    void advanceClock(std::int64_t timeMs);

    std::int64_t currentTimeMs() const { return currentTimeMs_; }
    std::int64_t intervalMs() const { return interval_; }
    /// The next coarser wheel, or nullptr if no task has needed it yet.
    const TimingWheel* overflowWheel() const { return overflowWheel_.get(); }

private:
    TimingWheel& overflowWheelOrNew();

    const std::int64_t tickMs_;
    const int wheelSize_;
    const std::int64_t interval_;  // the span of the whole wheel: tickMs * wheelSize
    std::atomic<int>& taskCounter_;
    DelayQueue& queue_;
    std::vector<std::unique_ptr<TimerTaskList>> buckets_;
    // A multiple of tickMs: the start of the tick the clock is in. The bucket of that tick
    // holds nothing; the wheel covers [currentTimeMs + tickMs, currentTimeMs + interval).
    std::int64_t currentTimeMs_;
    std::once_flag overflowCreated_;
    std::unique_ptr<TimingWheel> overflowWheel_;
};

}  // namespace kafka::server::util::timer
