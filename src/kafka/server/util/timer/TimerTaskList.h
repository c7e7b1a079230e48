//@ ch35
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>

#include "kafka/server/util/timer/TimerTaskEntry.h"

namespace kafka::server::util::timer {

/// One bucket of a timing wheel (Kafka's TimerTaskList): the tasks that expire within one tick
/// of the wheel, in a doubly linked list, so that adding and removing one costs O(1) whatever
/// the number of tasks. The bucket as a whole has one expiration, the start of its tick; it
/// waits in the timer's delay queue for that time, once, whatever number of tasks it holds.
class TimerTaskList {
public:
    /// `taskCounter` counts the tasks in every bucket of the timer.
    explicit TimerTaskList(std::atomic<int>& taskCounter) : taskCounter_(taskCounter) {}
    TimerTaskList(const TimerTaskList&) = delete;
    TimerTaskList& operator=(const TimerTaskList&) = delete;

    /// Sets the bucket's expiration; returns true if it changed, that is if the bucket now
    /// stands for a new tick and must be queued again.
    bool setExpiration(std::int64_t expirationMs) {
        return expiration_.exchange(expirationMs) != expirationMs;
    }
    std::int64_t expiration() const { return expiration_.load(); }

    /// Adds an entry, taking it out of any bucket it was in first.
    void add(const std::shared_ptr<TimerTaskEntry>& entry);
    /// Takes the entry out, if it is still in this bucket.
    void remove(TimerTaskEntry& entry);
    /// Empties the bucket, handing each entry to `reinsert`, and forgets its expiration.
    void flush(const std::function<void(std::shared_ptr<TimerTaskEntry>)>& reinsert);

    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::list<std::shared_ptr<TimerTaskEntry>> entries_;
    std::atomic<std::int64_t> expiration_ = -1;
    std::atomic<int>& taskCounter_;
};

}  // namespace kafka::server::util::timer
