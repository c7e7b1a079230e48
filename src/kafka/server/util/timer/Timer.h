//@ ch35
#pragma once

#include <cstdint>
#include <memory>

#include "kafka/server/util/timer/TimerTask.h"

namespace kafka::server::util::timer {

/// A timer for many tasks, most of them cancelled before they run (Kafka's Timer interface; its
/// one implementation here is SystemTimer).
class Timer {
public:
    virtual ~Timer() = default;

    /// Runs `task` once its delay has passed, unless it is cancelled before.
    virtual void add(std::shared_ptr<TimerTask> task) = 0;
    /// Moves the clock to now, waiting up to `timeoutMs` for a task to expire, and hands the
    /// tasks that expired to the executor. Returns whether any bucket expired.
    virtual bool advanceClock(std::int64_t timeoutMs) = 0;
    /// The tasks waiting: added, and neither run nor cancelled.
    virtual int size() const = 0;
    /// Stops the executor once it has run what was handed to it; the tasks waiting never run.
    virtual void close() = 0;
};

}  // namespace kafka::server::util::timer
