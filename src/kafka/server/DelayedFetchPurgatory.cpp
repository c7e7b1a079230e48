//@ ch30
#include "kafka/server/DelayedFetchPurgatory.h"

#include <algorithm>

namespace kafka::server {

DelayedFetchPurgatory::DelayedFetchPurgatory()
    : reaper_(std::make_unique<common::utils::KafkaThread>("ExpirationReaper-Fetch",
                                                           [this] { run(); })) {}

DelayedFetchPurgatory::~DelayedFetchPurgatory() {
    shutdown();
}

void DelayedFetchPurgatory::watch(std::int64_t maxWaitMs, Operation operation) {
    std::scoped_lock lock(mutex_);
    if (!running_) {
        operation(true);
        return;
    }
    delayed_.push_back({Clock::now() + std::chrono::milliseconds(maxWaitMs), std::move(operation)});
    // Data may have arrived between the fetch's own try and now: one more try closes that gap
    // (and lets the reaper see the new deadline).
    dataArrived_ = true;
    changed_.notify_one();
}

void DelayedFetchPurgatory::checkAndComplete() {
    std::scoped_lock lock(mutex_);
    if (delayed_.empty()) return;
    dataArrived_ = true;
    changed_.notify_one();
}

void DelayedFetchPurgatory::shutdown() {
    {
        std::scoped_lock lock(mutex_);
        if (!running_) return;
        running_ = false;
        changed_.notify_one();
    }
    reaper_->join();
}

std::size_t DelayedFetchPurgatory::size() const {
    std::scoped_lock lock(mutex_);
    return delayed_.size();
}

// One thread tries the parked fetches: after each append, and at the earliest deadline. The
// operations run under the lock; they only read logs and queue a response, both quick.
void DelayedFetchPurgatory::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        const bool stopping = !running_;
        const auto now = Clock::now();
        const bool retryAll = dataArrived_ || stopping;
        dataArrived_ = false;
        for (auto it = delayed_.begin(); it != delayed_.end();) {
            const bool expired = stopping || it->deadline <= now;
            if ((retryAll || expired) && it->operation(expired))
                it = delayed_.erase(it);
            else
                ++it;
        }
        if (stopping) return;
        if (delayed_.empty()) {
            changed_.wait(lock, [this] { return !running_ || !delayed_.empty(); });
        } else {
            const auto earliest = std::min_element(
                delayed_.begin(), delayed_.end(),
                [](const Delayed& a, const Delayed& b) { return a.deadline < b.deadline; });
            changed_.wait_until(lock, earliest->deadline,
                                [this] { return !running_ || dataArrived_; });
        }
    }
}

}  // namespace kafka::server
