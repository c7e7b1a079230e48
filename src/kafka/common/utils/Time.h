//@ ch02
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>

namespace kafka::common::utils {

/// The producer's clock. Every timeout, linger and backoff asks this interface what time it
/// is, and waits through it, so that tests can swap in MockTime and move time forward by hand:
/// a test of a 60-second timeout then takes microseconds and never sleeps.
class Time {
public:
    virtual ~Time() = default;

    /// Wall-clock milliseconds, for timestamps and deadlines.
    virtual std::int64_t milliseconds() const = 0;
    /// A monotonic clock in nanoseconds, for measuring how long something took.
    virtual std::int64_t nanoseconds() const = 0;
    virtual void sleep(std::int64_t ms) = 0;

    /// Waits on `condition` (whose mutex `lock` holds) until `done()` is true or this clock
    /// reaches `deadlineMs`. Returns `done()`. Kafka's Time.waitObject plays the same part.
    virtual bool waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& condition,
                           std::int64_t deadlineMs, const std::function<bool()>& done) = 0;

    /// now + wait, without overflowing when the wait is "forever" (Long.MAX_VALUE in Java's
    /// max.block.ms): a deadline that saturates instead of wrapping into the past.
    static std::int64_t deadlineMs(std::int64_t nowMs, std::int64_t waitMs) {
        if (waitMs > std::numeric_limits<std::int64_t>::max() - nowMs)
            return std::numeric_limits<std::int64_t>::max();
        return nowMs + waitMs;
    }

    /// The real clock, shared by everyone who does not need a fake one.
    static std::shared_ptr<Time> system();
};

class SystemTime final : public Time {
public:
    std::int64_t milliseconds() const override;
    std::int64_t nanoseconds() const override;
    void sleep(std::int64_t ms) override;
    bool waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& condition,
                   std::int64_t deadlineMs, const std::function<bool()>& done) override;
};

}  // namespace kafka::common::utils
