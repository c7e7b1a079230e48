//@ ch30
#pragma once

#include <atomic>
/*> ch30-35
#include <chrono>
*/
#include <cstdint>
#include <functional>
#include <mutex>

//> ch35
#include "kafka/server/util/timer/TimerTask.h"
//< ch35

namespace kafka::server {

/// An answer that waits for a condition, up to a deadline (Kafka's DelayedOperation): a fetch
/// that waits for min.bytes, a produce that waits for the in-sync replicas. It completes
/// exactly once, either because tryComplete() found its condition met, or at its deadline;
/// whichever comes first runs onComplete(), which sends the answer.
/*> ch30-35
class DelayedOperation {
*/
//> ch35
///
/// It is a TimerTask: the purgatory's timer runs it at its deadline, and completing it
/// earlier cancels it there.
class DelayedOperation : public util::timer::TimerTask {
    //< ch35
public:
    /*> ch30-35
    using Clock = std::chrono::steady_clock;

    */
    explicit DelayedOperation(std::int64_t delayMs);
    virtual ~DelayedOperation() = default;
    DelayedOperation(const DelayedOperation&) = delete;
    DelayedOperation& operator=(const DelayedOperation&) = delete;

    /// Checks the condition, cheaply (no data is read), and if it holds calls
    /// forceComplete(). Returns true if it completed the operation.
    virtual bool tryComplete() = 0;

    /// Completes the operation now, whatever the condition: true for the one caller that
    /// did, which has run onComplete(); false for everyone after.
    bool forceComplete();
    bool isCompleted() const { return completed_; }

    /// tryComplete() under this operation's own lock, unless it is completed already. Two
    /// threads (a produce handler and another) never check one operation at once.
    bool safeTryComplete();
    /// As safeTryComplete(), and if the operation did not complete, runs `orElse` while
    /// still holding the lock: the purgatory watches the operation before any other thread
    /// can try it, so no new data slips in between the try and the watch.
    bool safeTryCompleteOrElse(const std::function<void()>& orElse);

    /*> ch30-35
    Clock::time_point deadline() const { return deadline_; }
    */
    //> ch35
    /// The timer's side: the deadline has come. Completes the operation unless it completed
    /// already.
    void run() override;
    //< ch35

protected:
    /// Sends the answer: runs once, on the thread that completed the operation.
    virtual void onComplete() = 0;

private:
    friend class DelayedOperationPurgatory;
    /// Called after onComplete() when it was the deadline that completed the operation.
    virtual void onExpiration() {}

    /*> ch30-35
    const Clock::time_point deadline_;
    */
    std::atomic<bool> completed_ = false;
    std::mutex lock_;
};

}  // namespace kafka::server
