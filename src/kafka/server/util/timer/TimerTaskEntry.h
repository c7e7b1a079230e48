//@ ch35
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>

namespace kafka::server::util::timer {

class TimerTask;
class TimerTaskList;

/// A task's place in the timer (Kafka's TimerTaskEntry): when it expires, and the bucket it
/// waits in. The entry moves, bucket to finer bucket, as the clock comes near its expiration;
/// the task does not know about buckets at all.
class TimerTaskEntry {
public:
    TimerTaskEntry(std::shared_ptr<TimerTask> task, std::int64_t expirationMs);
    TimerTaskEntry(const TimerTaskEntry&) = delete;
    TimerTaskEntry& operator=(const TimerTaskEntry&) = delete;

    const std::shared_ptr<TimerTask>& timerTask() const { return task_; }
    std::int64_t expirationMs() const { return expirationMs_; }

    /// The task was cancelled, or added again through another entry: this one must not run.
    bool cancelled() const;

    /// Leaves whatever bucket the entry is in. A bucket being flushed may move the entry to
    /// another bucket meanwhile, so this tries again until the entry is in none.
    void remove();

private:
    friend class TimerTaskList;

    const std::shared_ptr<TimerTask> task_;
    const std::int64_t expirationMs_;
    // The bucket, and the entry's place in it; both change only under the bucket's lock and
    // this entry's. The bucket can be read without them, to know which bucket to lock.
    std::atomic<TimerTaskList*> list_ = nullptr;
    std::list<std::shared_ptr<TimerTaskEntry>>::iterator position_;
    std::mutex mutex_;
};

}  // namespace kafka::server::util::timer
