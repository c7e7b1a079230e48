//@ ch02
#pragma once

#include <atomic>

#include "kafka/common/utils/Time.h"

namespace kafka::common::utils {

/// A clock that only moves when a test moves it (Kafka's MockTime). sleep() advances it at
/// once; a thread waiting in waitUntil() notices the new time within a millisecond of real
/// time, so "times out after 60 s" is tested by advancing the clock, not by waiting a minute.
class MockTime final : public Time {
public:
    explicit MockTime(std::int64_t startMs = 1'700'000'000'000) : nowMs_(startMs) {}

    std::int64_t milliseconds() const override { return nowMs_.load(); }
    std::int64_t nanoseconds() const override { return nowMs_.load() * 1'000'000; }
    /// Moves the clock forward; nobody actually sleeps.
    void sleep(std::int64_t ms) override { nowMs_ += ms; }
    void setCurrentTimeMs(std::int64_t ms) { nowMs_ = ms; }

    bool waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& condition,
                   std::int64_t deadlineMs, const std::function<bool()>& done) override;

    /// Threads waiting in waitUntil() right now. A test moves the clock only once the thread
    /// it means to time out is waiting, or the deadline would start after the clock moved.
    int waiters() const { return waiters_.load(); }
    void awaitWaiters(int count) const;

private:
    std::atomic<std::int64_t> nowMs_;
    std::atomic<int> waiters_{0};
};

}  // namespace kafka::common::utils
