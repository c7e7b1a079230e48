//@ ch35
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "kafka/common/utils/KafkaThread.h"
#include "kafka/common/utils/LogContext.h"
#include "kafka/common/utils/Time.h"
#include "kafka/server/util/timer/DelayQueue.h"
#include "kafka/server/util/timer/Timer.h"
#include "kafka/server/util/timer/TimingWheel.h"

namespace kafka::server::util::timer {

/// The timer of the broker's purgatories (Kafka's SystemTimer): a hierarchical TimingWheel
/// for the tasks, a DelayQueue for the buckets, and one executor thread, "executor-<name>",
/// that runs the tasks that expired. Nobody ticks the wheel a millisecond at a time: a thread
/// calls advanceClock(), which sleeps in the delay queue until the next bucket with something
/// in it expires, so an idle timer costs nothing.
///
/// Adding, from any number of threads, takes the timer's lock shared; advancing the clock takes
/// it exclusively, so a bucket is never flushed while a task is being added to a wheel.
class SystemTimer final : public Timer {
public:
    struct Settings {
        std::int64_t tickMs = 1;  // Kafka's defaults: 1 ms ticks, 20 buckets a wheel
        int wheelSize = 20;
        std::shared_ptr<common::utils::Time> time = common::utils::Time::system();
    };

    explicit SystemTimer(const std::string& executorName) : SystemTimer(executorName, {}) {}
    SystemTimer(const std::string& executorName, Settings settings);
    ~SystemTimer() override;
    SystemTimer(const SystemTimer&) = delete;
    SystemTimer& operator=(const SystemTimer&) = delete;

    void add(std::shared_ptr<TimerTask> task) override;
    bool advanceClock(std::int64_t timeoutMs) override;
    int size() const override { return taskCounter_.load(); }
    void close() override;

    /// Wakes an advanceClock() that waits in the delay queue: it returns false at once.
    void wakeup() { delayQueue_.wakeup(); }

    /// The clock the timer counts in (monotonic milliseconds).
    std::int64_t hiResClockMs() const { return delayQueue_.hiResClockMs(); }

private:
    void addTimerTaskEntry(std::shared_ptr<TimerTaskEntry> entry);
    void submit(std::shared_ptr<TimerTask> task);
    void runExpiredTasks();

    DelayQueue delayQueue_;
    std::atomic<int> taskCounter_ = 0;
    TimingWheel timingWheel_;
    std::shared_mutex lock_;  // shared to add, exclusive to advance the clock

    // The executor: tasks that expired, run one at a time, in the order they expired.
    std::mutex executorMutex_;
    std::condition_variable executorWork_;
    std::deque<std::shared_ptr<TimerTask>> expired_;
    bool closed_ = false;
    const common::utils::Logger log_ = common::utils::LogContext().logger("SystemTimer");
    common::utils::KafkaThread executor_;
};

}  // namespace kafka::server::util::timer
