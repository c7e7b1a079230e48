//@ ch30
#include "kafka/server/DelayedOperation.h"

#include <algorithm>

namespace kafka::server {

namespace {

// A delay past what the clock holds waits "forever"; a negative one is no delay.
std::int64_t boundedDelay(std::int64_t delayMs) {
    constexpr std::int64_t kLongestDelayMs = 100LL * 365 * 24 * 60 * 60 * 1000;
    return std::clamp<std::int64_t>(delayMs, 0, kLongestDelayMs);
}

}  // namespace

/*> ch30-35
DelayedOperation::DelayedOperation(std::int64_t delayMs)
    : deadline_(Clock::now() + std::chrono::milliseconds(boundedDelay(delayMs))) {}
*/
//> ch35
DelayedOperation::DelayedOperation(std::int64_t delayMs)
    : util::timer::TimerTask(boundedDelay(delayMs)) {}
//< ch35

bool DelayedOperation::forceComplete() {
    if (completed_.exchange(true)) return false;
    //> ch35
    cancel();  // out of the timer now, not at its deadline: the timer holds no answered fetch
    //< ch35
    onComplete();
    return true;
}

//> ch35 run-at-deadline
void DelayedOperation::run() {
    if (forceComplete()) onExpiration();
}
//< ch35 run-at-deadline

bool DelayedOperation::safeTryComplete() {
    std::scoped_lock lock(lock_);
    return !isCompleted() && tryComplete();
}

bool DelayedOperation::safeTryCompleteOrElse(const std::function<void()>& orElse) {
    std::scoped_lock lock(lock_);
    if (!isCompleted() && tryComplete()) return true;
    orElse();
    return false;
}

}  // namespace kafka::server
