//@ ch35
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>

namespace kafka::server::util::timer {

class TimerTaskEntry;

/// Work to run once a delay has passed, unless it is cancelled first (Kafka's TimerTask): a
/// delayed fetch at its max.wait.ms. A task is in a timer through one TimerTaskEntry at a
/// time; cancelling it takes that entry out of its bucket at once, so a fetch answered early
/// leaves nothing behind in the timer.
class TimerTask {
public:
    explicit TimerTask(std::int64_t delayMs) : delayMs_(delayMs) {}
    virtual ~TimerTask() = default;
    TimerTask(const TimerTask&) = delete;
    TimerTask& operator=(const TimerTask&) = delete;

    /// What the task does when its delay has passed, on the timer's executor thread.
    virtual void run() = 0;

    /// Takes the task out of its timer, if it is in one; it will not run.
    void cancel();
    /// Not in a timer: cancelled, run already, or never added.
    bool isCancelled() const;
    std::int64_t delayMs() const { return delayMs_; }

    /// The timer's side: the entry that now holds this task. An entry that is no longer it is
    /// cancelled, so a task added twice keeps only its second entry, as in Kafka.
    void setTimerTaskEntry(const std::shared_ptr<TimerTaskEntry>& entry);
    std::shared_ptr<TimerTaskEntry> timerTaskEntry() const;

private:
    const std::int64_t delayMs_;
    mutable std::mutex mutex_;
    // The entry holds the task (it keeps it alive while it waits), the task only looks at its
    // entry: an entry that ran or was cancelled is gone, and this pointer with it.
    std::weak_ptr<TimerTaskEntry> entry_;
};

}  // namespace kafka::server::util::timer
