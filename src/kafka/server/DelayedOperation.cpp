//@ ch30
#include "kafka/server/DelayedOperation.h"

#include <algorithm>

namespace kafka::server {

namespace {

// The deadline `delayMs` from now; a delay past what the clock holds waits "forever".
DelayedOperation::Clock::time_point deadlineAfter(std::int64_t delayMs) {
    constexpr std::int64_t kLongestDelayMs = 100LL * 365 * 24 * 60 * 60 * 1000;
    return DelayedOperation::Clock::now() +
           std::chrono::milliseconds(std::clamp<std::int64_t>(delayMs, 0, kLongestDelayMs));
}

}  // namespace

DelayedOperation::DelayedOperation(std::int64_t delayMs) : deadline_(deadlineAfter(delayMs)) {}

bool DelayedOperation::forceComplete() {
    if (completed_.exchange(true)) return false;
    onComplete();
    return true;
}

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
