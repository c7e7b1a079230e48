//@ ch30
#include "kafka/server/DelayedOperationPurgatory.h"

#include <algorithm>

namespace kafka::server {

// The reaper starts last, once everything it reads is in place.
DelayedOperationPurgatory::DelayedOperationPurgatory(const std::string& name) {
    //> ch35
    timeoutTimer_ = std::make_unique<util::timer::SystemTimer>(name);
    //< ch35
    reaper_ = std::make_unique<common::utils::KafkaThread>("ExpirationReaper-" + name,
                                                           [this] { expireOperations(); });
}

// An operation that throws as it completes (no memory for its answer) is logged, and the
// thread that ran it goes on: a produce handler must still answer its producer, and the
// reaper must still see every later deadline. Returns whether `complete` ran to its end.
template <typename Completion>
bool DelayedOperationPurgatory::logFailure(const char* when, Completion complete) {
    try {
        complete();
        return true;
    } catch (const std::exception& e) {
        log_.error("An operation failed to complete {}: {}", when, e.what());
    } catch (...) {
        log_.error(
            "An operation failed to complete {} with an exception that is not a "
            "std::exception",
            when);
    }
    return false;
}

DelayedOperationPurgatory::~DelayedOperationPurgatory() {
    shutdown();
}

//> ch30 try-complete-else-watch
bool DelayedOperationPurgatory::tryCompleteElseWatch(
    const std::shared_ptr<DelayedOperation>& operation,
    const std::vector<common::TopicPartition>& keys) {
    // Watched under the operation's lock, right after the try that failed: a produce that
    // appends in between tries it again once it can take the lock, so nothing is missed.
    const bool completed = operation->safeTryCompleteOrElse([&] {
        for (const auto& key : keys) watch(key, operation);
        //> ch35
        if (!keys.empty()) ++estimatedTotalOperations_;
        //< ch35
    });
    if (completed) return true;
    /*> ch30-35
    {
        std::scoped_lock lock(timeoutMutex_);
        if (running_) {
            timeouts_.push(operation);
            timeoutChanged_.notify_one();
            return false;
        }
    }
    */
    //> ch35 timer-add
    // Watched, and now in the timer for its deadline too. A produce may complete it between
    // the two; completing cancels its timer task, which did not exist yet, so cancel again.
    if (!operation->isCompleted()) {
        timeoutTimer_->add(operation);
        if (operation->isCompleted()) operation->cancel();
    }
    if (running_) return false;
    //< ch35 timer-add
    // Shutting down: there is no reaper left to wait for.
    expire(*operation);
    return true;
}

int DelayedOperationPurgatory::checkAndComplete(const common::TopicPartition& key) {
    std::shared_ptr<Watchers> watchers;
    {
        std::scoped_lock lock(watchersMutex_);
        const auto it = watchersByKey_.find(key);
        if (it == watchersByKey_.end()) return 0;
        watchers = it->second;
    }
    std::vector<std::shared_ptr<DelayedOperation>> operations;
    {
        std::scoped_lock lock(watchers->mutex);
        operations.assign(watchers->operations.begin(), watchers->operations.end());
    }
    // Each one under its own lock, and none of the purgatory's.
    int completed = 0;
    for (const auto& operation : operations)
        if (tryCompleteGuarded(*operation)) ++completed;
    removeCompleted(key);
    return completed;
}
//< ch30 try-complete-else-watch

bool DelayedOperationPurgatory::tryCompleteGuarded(DelayedOperation& operation) {
    bool completed = false;
    if (!logFailure("on new data", [&] { completed = operation.safeTryComplete(); }))
        return operation.isCompleted();
    return completed;
}

void DelayedOperationPurgatory::expire(DelayedOperation& operation) {
    logFailure("at its deadline", [&] {
        if (operation.forceComplete()) operation.onExpiration();
    });
}

void DelayedOperationPurgatory::watch(const common::TopicPartition& key,
                                      const std::shared_ptr<DelayedOperation>& operation) {
    std::scoped_lock lock(watchersMutex_);
    auto& watchers = watchersByKey_[key];
    if (!watchers) watchers = std::make_shared<Watchers>();
    std::scoped_lock watchersLock(watchers->mutex);
    watchers->operations.push_back(operation);
}

// Completed operations leave their watchers, and a key nobody watches leaves the map, so
// that neither grows with every fetch ever parked. Called with watchersMutex_ held; returns
// the next key's entry.
auto DelayedOperationPurgatory::sweep(WatchersByKey::iterator it) -> WatchersByKey::iterator {
    std::unique_lock lock(it->second->mutex);
    it->second->operations.remove_if(
        [](const auto& operation) { return operation->isCompleted(); });
    const bool empty = it->second->operations.empty();
    lock.unlock();
    return empty ? watchersByKey_.erase(it) : std::next(it);
}

void DelayedOperationPurgatory::removeCompleted(const common::TopicPartition& key) {
    std::scoped_lock lock(watchersMutex_);
    if (const auto it = watchersByKey_.find(key); it != watchersByKey_.end()) sweep(it);
}

std::size_t DelayedOperationPurgatory::purgeCompleted() {
    std::scoped_lock lock(watchersMutex_);
    for (auto it = watchersByKey_.begin(); it != watchersByKey_.end();) it = sweep(it);
    std::size_t left = 0;
    for (const auto& [key, watchers] : watchersByKey_) {
        std::scoped_lock watchersLock(watchers->mutex);
        left += watchers->operations.size();
    }
    return left;
}

std::size_t DelayedOperationPurgatory::numDelayed() const {
    /*> ch30-35
    std::scoped_lock lock(timeoutMutex_);
    auto queued = timeouts_;  // a copy of pointers, to count those not completed
    std::size_t delayed = 0;
    for (; !queued.empty(); queued.pop())
        if (!queued.top()->isCompleted()) ++delayed;
    return delayed;
    */
    //> ch35
    return static_cast<std::size_t>(timeoutTimer_->size());  // completed ones left the timer
    //< ch35
}

std::size_t DelayedOperationPurgatory::watchedKeys() const {
    std::scoped_lock lock(watchersMutex_);
    return watchersByKey_.size();
}

void DelayedOperationPurgatory::shutdown() {
    /*> ch30-35
    {
        std::scoped_lock lock(timeoutMutex_);
        if (!running_) return;
        running_ = false;
        timeoutChanged_.notify_one();
    }
    reaper_->join();
    */
    //> ch35
    if (!running_.exchange(false)) return;
    timeoutTimer_->wakeup();
    reaper_->join();
    expireWatched();
    timeoutTimer_->close();
    //< ch35
}

/*> ch30-35 expiration-reaper
// The reaper: waits for the earliest deadline, and completes what reached it. An operation
// completed meanwhile by a produce is only dropped from the queue. The queue's lock is not
// held while an operation completes.
void DelayedOperationPurgatory::expireOperations() {
    std::unique_lock lock(timeoutMutex_);
    std::size_t removedSincePurge = 0;
    while (running_) {
        // An operation completed through one key is still listed under the others it watched
        // until something happens there: sweep them out now and then (Kafka's purgeInterval).
        if (removedSincePurge >= kPurgeInterval || (timeouts_.empty() && removedSincePurge > 0)) {
            removedSincePurge = 0;
            lock.unlock();
            purgeCompleted();
            lock.lock();
            continue;
        }
        if (timeouts_.empty()) {
            timeoutChanged_.wait(lock);
            continue;
        }
        const auto next = timeouts_.top();
        if (!next->isCompleted() && DelayedOperation::Clock::now() < next->deadline()) {
            timeoutChanged_.wait_until(lock, next->deadline());
            continue;
        }
        timeouts_.pop();
        ++removedSincePurge;
        lock.unlock();
        expire(*next);
        lock.lock();
    }
    // Shutting down: every waiting operation is answered now.
    for (; !timeouts_.empty(); timeouts_.pop()) {
        const auto operation = timeouts_.top();
        lock.unlock();
        expire(*operation);
        lock.lock();
    }
}
*/

//> ch35 reaper-on-the-timer
// The reaper of chapter 30 kept a heap of deadlines and slept until the earliest. Now the
// timer keeps them: the reaper advances its clock, which sleeps in the timer's delay queue
// until a bucket expires (at most kReaperWaitMs), and sometimes sweeps the watchers.
void DelayedOperationPurgatory::expireOperations() {
    while (running_) advanceClock(kReaperWaitMs);
}

void DelayedOperationPurgatory::advanceClock(std::int64_t timeoutMs) {
    timeoutTimer_->advanceClock(timeoutMs);
    // An operation completed through one key is still listed under the others it watched,
    // until something happens there. When there may be more than kPurgeInterval such
    // operations (Kafka's purgeInterval), or nothing waits in the timer any more, sweep them
    // out; what is left is counted again.
    const auto delayed = static_cast<std::int64_t>(numDelayed());
    const std::int64_t watched = estimatedTotalOperations_.load();
    if (watched - delayed > static_cast<std::int64_t>(kPurgeInterval) ||
        (delayed == 0 && watched > 0))
        estimatedTotalOperations_ = static_cast<std::int64_t>(purgeCompleted());
}
//< ch35 reaper-on-the-timer

//> ch35
// At shutdown, every operation still waiting is answered now, as at its deadline: a consumer
// gets its fetch's answer, not a connection closed under it.
void DelayedOperationPurgatory::expireWatched() {
    std::vector<std::shared_ptr<DelayedOperation>> waiting;
    {
        std::scoped_lock lock(watchersMutex_);
        for (const auto& [key, watchers] : watchersByKey_) {
            std::scoped_lock watchersLock(watchers->mutex);
            for (const auto& operation : watchers->operations)
                if (!operation->isCompleted()) waiting.push_back(operation);
        }
    }
    for (const auto& operation : waiting) expire(*operation);
}
//< ch35

}  // namespace kafka::server
