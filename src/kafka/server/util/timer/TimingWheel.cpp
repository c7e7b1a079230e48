//@ ch35
#include "kafka/server/util/timer/TimingWheel.h"

namespace kafka::server::util::timer {

TimingWheel::TimingWheel(std::int64_t tickMs, int wheelSize, std::int64_t startMs,
                         std::atomic<int>& taskCounter, DelayQueue& queue)
    : tickMs_(tickMs),
      wheelSize_(wheelSize),
      interval_(tickMs * wheelSize),
      taskCounter_(taskCounter),
      queue_(queue),
      currentTimeMs_(startMs - startMs % tickMs) {
    buckets_.reserve(wheelSize);
    for (int i = 0; i < wheelSize; ++i)
        buckets_.push_back(std::make_unique<TimerTaskList>(taskCounter));
}

//> ch35 timing-wheel-add
bool TimingWheel::add(const std::shared_ptr<TimerTaskEntry>& entry) {
    const std::int64_t expiration = entry->expirationMs();
    if (entry->cancelled()) return false;
    // Within the current tick: its time has come.
    if (expiration < currentTimeMs_ + tickMs_) return false;
    if (expiration >= currentTimeMs_ + interval_) return overflowWheelOrNew().add(entry);

    // Ticks are numbered from time zero; the ring reuses a bucket every wheelSize ticks. Two
    // ticks that share a bucket are never both in this wheel's span, so a bucket holds one tick.
    const std::int64_t virtualId = expiration / tickMs_;
    TimerTaskList& bucket = *buckets_[virtualId % wheelSize_];
    bucket.add(entry);
    // A bucket that starts a new tick is queued for it; one already queued for this tick, with
    // other tasks in it, is not queued again. The queue holds buckets, not tasks.
    if (bucket.setExpiration(virtualId * tickMs_)) queue_.offer(bucket);
    return true;
}
//< ch35 timing-wheel-add

//> ch35 timing-wheel-advance
void TimingWheel::advanceClock(std::int64_t timeMs) {
    if (timeMs < currentTimeMs_ + tickMs_) return;
    currentTimeMs_ = timeMs - timeMs % tickMs_;
    if (overflowWheel_) overflowWheel_->advanceClock(currentTimeMs_);
}
//< ch35 timing-wheel-advance

// Threads that add() at once may all find they need the overflow wheel: one creates it. Its
// clock starts at this wheel's current time, and its tick is this wheel's whole span.
TimingWheel& TimingWheel::overflowWheelOrNew() {
    std::call_once(overflowCreated_, [this] {
        overflowWheel_ = std::make_unique<TimingWheel>(interval_, wheelSize_, currentTimeMs_,
                                                       taskCounter_, queue_);
    });
    return *overflowWheel_;
}

}  // namespace kafka::server::util::timer
