//@ ch35
#include "kafka/server/util/timer/TimerTask.h"

#include "kafka/server/util/timer/TimerTaskEntry.h"

namespace kafka::server::util::timer {

void TimerTask::cancel() {
    std::shared_ptr<TimerTaskEntry> entry;
    {
        std::scoped_lock lock(mutex_);
        entry = entry_.lock();
        entry_.reset();
    }
    if (entry) entry->remove();
}

bool TimerTask::isCancelled() const {
    return timerTaskEntry() == nullptr;
}

void TimerTask::setTimerTaskEntry(const std::shared_ptr<TimerTaskEntry>& entry) {
    std::shared_ptr<TimerTaskEntry> previous;
    {
        std::scoped_lock lock(mutex_);
        previous = entry_.lock();
        entry_ = entry;
    }
    if (previous && previous != entry) previous->remove();
}

std::shared_ptr<TimerTaskEntry> TimerTask::timerTaskEntry() const {
    std::scoped_lock lock(mutex_);
    return entry_.lock();
}

}  // namespace kafka::server::util::timer
