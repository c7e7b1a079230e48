//@ ch35
#include "kafka/server/util/timer/DelayQueue.h"

#include <algorithm>

#include "kafka/server/util/timer/TimerTaskList.h"

namespace kafka::server::util::timer {

void DelayQueue::offer(TimerTaskList& bucket) {
    std::scoped_lock lock(mutex_);
    buckets_.emplace(bucket.expiration(), &bucket);
    ++changes_;  // it may expire before the head a poll() waits for
    changed_.notify_all();
}

//> ch35 delay-queue-poll
TimerTaskList* DelayQueue::poll(std::int64_t timeoutMs) {
    std::unique_lock lock(mutex_);
    const std::int64_t giveUpMs = hiResClockMs() + std::max<std::int64_t>(timeoutMs, 0);
    for (;;) {
        const std::int64_t nowMs = hiResClockMs();
        if (!buckets_.empty() && buckets_.top().first <= nowMs) break;
        if (woken_ || nowMs >= giveUpMs) {
            woken_ = false;
            return nullptr;
        }
        // Until the head expires or the timeout ends, unless a bucket is offered meanwhile.
        const std::int64_t untilMs =
            buckets_.empty() ? giveUpMs : std::min(giveUpMs, buckets_.top().first);
        const std::uint64_t seen = changes_;
        time_->waitUntil(lock, changed_, time_->milliseconds() + (untilMs - nowMs),
                         [&] { return changes_ != seen; });
    }
    TimerTaskList* bucket = buckets_.top().second;
    buckets_.pop();
    return bucket;
}
//< ch35 delay-queue-poll

std::size_t DelayQueue::size() const {
    std::scoped_lock lock(mutex_);
    return buckets_.size();
}

void DelayQueue::wakeup() {
    std::scoped_lock lock(mutex_);
    woken_ = true;
    ++changes_;
    changed_.notify_all();
}

}  // namespace kafka::server::util::timer
