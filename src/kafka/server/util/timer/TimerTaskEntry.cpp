//@ ch35
#include "kafka/server/util/timer/TimerTaskEntry.h"

#include "kafka/server/util/timer/TimerTask.h"
#include "kafka/server/util/timer/TimerTaskList.h"

namespace kafka::server::util::timer {

TimerTaskEntry::TimerTaskEntry(std::shared_ptr<TimerTask> task, std::int64_t expirationMs)
    : task_(std::move(task)), expirationMs_(expirationMs) {}

bool TimerTaskEntry::cancelled() const {
    return task_->timerTaskEntry().get() != this;
}

void TimerTaskEntry::remove() {
    for (TimerTaskList* list = list_.load(); list != nullptr; list = list_.load())
        list->remove(*this);
}

}  // namespace kafka::server::util::timer
