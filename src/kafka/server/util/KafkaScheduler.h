//@ ch34
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "kafka/common/utils/KafkaThread.h"
#include "kafka/common/utils/LogContext.h"

namespace kafka::server::util {

/// The broker's background work on a timetable (Kafka's KafkaScheduler): retention checks,
/// checkpoints, flushes. Tasks run one after the other on one thread, "kafka-scheduler-0"
/// (Kafka runs background.threads of them, 10 by default). A task that throws is logged and
/// keeps its schedule; shutdown() waits for the task running, if any, and runs no other.
class KafkaScheduler {
public:
    KafkaScheduler();
    ~KafkaScheduler();
    KafkaScheduler(const KafkaScheduler&) = delete;
    KafkaScheduler& operator=(const KafkaScheduler&) = delete;

    /// Starts the thread. Tasks may be scheduled before: they wait for it.
    void startup();
    /// Runs `task` once after `delayMs`, then every `periodMs` if it is positive.
    void schedule(const std::string& name, std::function<void()> task, std::int64_t delayMs,
                  std::int64_t periodMs = -1);
    /// Stops the thread after the task it is running; the others never run again.
    void shutdown();

private:
    using Clock = std::chrono::steady_clock;
    struct Task {
        std::string name;
        std::function<void()> run;
        std::chrono::milliseconds period;
    };

    void runTasks();

    std::mutex mutex_;
    std::condition_variable changed_;
    std::multimap<Clock::time_point, Task> tasks_;  // by when they run next
    bool running_ = true;
    std::unique_ptr<common::utils::KafkaThread> thread_;
    const common::utils::Logger log_ = common::utils::LogContext().logger("KafkaScheduler");
};

}  // namespace kafka::server::util
