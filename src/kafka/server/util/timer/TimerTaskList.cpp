//@ ch35
#include "kafka/server/util/timer/TimerTaskList.h"

namespace kafka::server::util::timer {

//> ch35 bucket-add-remove
void TimerTaskList::add(const std::shared_ptr<TimerTaskEntry>& entry) {
    // Out of its old bucket first, outside this one's lock: taking the old bucket's lock while
    // holding this one's could deadlock with a thread moving another entry the other way.
    // Another thread may put it back in a bucket in between, hence the loop.
    for (bool added = false; !added;) {
        entry->remove();
        std::scoped_lock lock(mutex_, entry->mutex_);
        if (entry->list_.load() == nullptr) {
            entry->position_ = entries_.insert(entries_.end(), entry);
            entry->list_ = this;
            ++taskCounter_;
            added = true;
        }
    }
}

void TimerTaskList::remove(TimerTaskEntry& entry) {
    std::shared_ptr<TimerTaskEntry> removed;  // outlives the locks, one of which is the entry's
    std::scoped_lock lock(mutex_, entry.mutex_);
    if (entry.list_.load() != this) return;
    entry.list_ = nullptr;
    --taskCounter_;
    removed = std::move(*entry.position_);
    entries_.erase(entry.position_);
}
//< ch35 bucket-add-remove

void TimerTaskList::flush(const std::function<void(std::shared_ptr<TimerTaskEntry>)>& reinsert) {
    std::scoped_lock lock(mutex_);
    while (!entries_.empty()) {
        auto entry = entries_.front();
        {
            std::scoped_lock entryLock(entry->mutex_);
            entry->list_ = nullptr;
            --taskCounter_;
            entries_.pop_front();
        }
        reinsert(std::move(entry));
    }
    expiration_ = -1;
}

std::size_t TimerTaskList::size() const {
    std::scoped_lock lock(mutex_);
    return entries_.size();
}

}  // namespace kafka::server::util::timer
