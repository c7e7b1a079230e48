//@ ch34
#include "kafka/server/util/KafkaScheduler.h"

#include <exception>

namespace kafka::server::util {

KafkaScheduler::KafkaScheduler() = default;

KafkaScheduler::~KafkaScheduler() {
    shutdown();
}

void KafkaScheduler::startup() {
    std::scoped_lock lock(mutex_);
    if (thread_ || !running_) return;
    thread_ =
        std::make_unique<common::utils::KafkaThread>("kafka-scheduler-0", [this] { runTasks(); });
}

void KafkaScheduler::schedule(const std::string& name, std::function<void()> task,
                              std::int64_t delayMs, std::int64_t periodMs) {
    std::scoped_lock lock(mutex_);
    if (!running_) return;
    tasks_.emplace(Clock::now() + std::chrono::milliseconds(delayMs),
                   Task{name, std::move(task), std::chrono::milliseconds(periodMs)});
    changed_.notify_all();
}

void KafkaScheduler::shutdown() {
    {
        std::scoped_lock lock(mutex_);
        running_ = false;
        tasks_.clear();
        changed_.notify_all();
    }
    if (thread_) thread_->join();
}

// Wait for the earliest task's time, run it without the lock, put it back if it repeats.
void KafkaScheduler::runTasks() {
    std::unique_lock lock(mutex_);
    while (running_) {
        if (tasks_.empty()) {
            changed_.wait(lock);
            continue;
        }
        const auto next = tasks_.begin()->first;
        if (Clock::now() < next) {
            changed_.wait_until(lock, next);
            continue;
        }
        Task task = std::move(tasks_.begin()->second);
        tasks_.erase(tasks_.begin());
        lock.unlock();
        try {
            task.run();
        } catch (const std::exception& e) {
            log_.error("Uncaught exception in scheduled task '{}': {}", task.name, e.what());
        }
        lock.lock();
        if (running_ && task.period.count() > 0)
            tasks_.emplace(Clock::now() + task.period, std::move(task));
    }
}

}  // namespace kafka::server::util
