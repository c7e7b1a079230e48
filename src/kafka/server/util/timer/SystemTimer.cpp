//@ ch35
#include "kafka/server/util/timer/SystemTimer.h"

namespace kafka::server::util::timer {

SystemTimer::SystemTimer(const std::string& executorName, Settings settings)
    : delayQueue_(std::move(settings.time)),
      timingWheel_(settings.tickMs, settings.wheelSize, delayQueue_.hiResClockMs(), taskCounter_,
                   delayQueue_),
      executor_("executor-" + executorName, [this] { runExpiredTasks(); }) {}

SystemTimer::~SystemTimer() {
    close();
}

//> ch35 system-timer
void SystemTimer::add(std::shared_ptr<TimerTask> task) {
    std::shared_lock lock(lock_);
    const std::int64_t expirationMs = task->delayMs() + hiResClockMs();
    auto entry = std::make_shared<TimerTaskEntry>(task, expirationMs);
    task->setTimerTaskEntry(entry);
    addTimerTaskEntry(std::move(entry));
}

// Into the wheels; or, if its time has come already, to the executor, unless it was cancelled.
void SystemTimer::addTimerTaskEntry(std::shared_ptr<TimerTaskEntry> entry) {
    if (timingWheel_.add(entry)) return;
    if (!entry->cancelled()) submit(entry->timerTask());
}

bool SystemTimer::advanceClock(std::int64_t timeoutMs) {
    TimerTaskList* bucket = delayQueue_.poll(timeoutMs);
    if (bucket == nullptr) return false;
    std::unique_lock lock(lock_);
    // Every bucket that has expired: the wheels' clocks move to its tick, and each of its
    // entries is added again. One whose time has come goes to the executor; one that came
    // from a coarse wheel falls into a finer one, nearer its expiration.
    for (; bucket != nullptr; bucket = delayQueue_.poll(0)) {
        timingWheel_.advanceClock(bucket->expiration());
        bucket->flush(
            [this](std::shared_ptr<TimerTaskEntry> entry) { addTimerTaskEntry(std::move(entry)); });
    }
    return true;
}
//< ch35 system-timer

void SystemTimer::submit(std::shared_ptr<TimerTask> task) {
    std::scoped_lock lock(executorMutex_);
    if (closed_) return;
    expired_.push_back(std::move(task));
    executorWork_.notify_one();
}

// The executor's loop. A task that throws is logged, and the tasks after it still run.
void SystemTimer::runExpiredTasks() {
    std::unique_lock lock(executorMutex_);
    for (;;) {
        executorWork_.wait(lock, [this] { return closed_ || !expired_.empty(); });
        if (expired_.empty()) return;  // closed, and nothing left to run
        auto task = std::move(expired_.front());
        expired_.pop_front();
        lock.unlock();
        try {
            task->run();
        } catch (const std::exception& e) {
            log_.error("A timer task failed: {}", e.what());
        } catch (...) {
            log_.error("A timer task failed with an exception that is not a std::exception");
        }
        task.reset();  // let go of it before taking the lock again
        lock.lock();
    }
}

void SystemTimer::close() {
    {
        std::scoped_lock lock(executorMutex_);
        if (closed_) return;
        closed_ = true;
        executorWork_.notify_one();
    }
    delayQueue_.wakeup();
    executor_.join();
}

}  // namespace kafka::server::util::timer
