//@ ch35
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <utility>
#include <vector>

#include "kafka/common/utils/Time.h"

namespace kafka::server::util::timer {

class TimerTaskList;

/// The buckets that hold tasks, by expiration, earliest first: what Java's
/// java.util.concurrent.DelayQueue does for Kafka's SystemTimer. It holds buckets, not tasks,
/// so its size is the number of ticks with something in them (a few dozen), and the O(log n)
/// of its heap is paid once per bucket, not once per task.
class DelayQueue {
public:
    explicit DelayQueue(std::shared_ptr<common::utils::Time> time) : time_(std::move(time)) {}

    /// Queues a bucket for its current expiration.
    void offer(TimerTaskList& bucket);
    /// The earliest bucket if it has expired, waiting up to `timeoutMs` for one; or nullptr.
    TimerTaskList* poll(std::int64_t timeoutMs);
    std::size_t size() const;
    /// Wakes a poll() that waits, so that a timer being closed does not wait out its timeout.
    void wakeup();

    /// The clock the buckets' expirations count in: monotonic milliseconds (Kafka's
    /// Time.hiResClockMs), never set back as the wall clock can be.
    std::int64_t hiResClockMs() const { return time_->nanoseconds() / 1'000'000; }

private:
    using Queued = std::pair<std::int64_t, TimerTaskList*>;  // expiration, bucket

    const std::shared_ptr<common::utils::Time> time_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::priority_queue<Queued, std::vector<Queued>, std::greater<>> buckets_;
    std::uint64_t changes_ = 0;  // offers and wakeups, for a poll() to notice either
    bool woken_ = false;
};

}  // namespace kafka::server::util::timer
