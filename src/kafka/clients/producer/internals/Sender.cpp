//@ ch02
#include "kafka/clients/producer/internals/Sender.h"

namespace kafka::clients::producer::internals {

Sender::Sender(std::shared_ptr<common::utils::Time> time) : time_(std::move(time)) {}

void Sender::run() {
    while (isRunning()) runOnce();
}

void Sender::runOnce() {
    std::unique_lock lock(mutex_);
    // Nothing to send before chapter 11: wait for a wakeup or a close. Kafka's loop blocks
    // the same way, inside the selector's poll, until there is I/O or someone calls wakeup().
    wakeupCondition_.wait(lock, [this] { return wakeupPending_ || !running_; });
    wakeupPending_ = false;
    ++loops_;
}

void Sender::wakeup() {
    {
        std::lock_guard lock(mutex_);
        wakeupPending_ = true;
    }
    wakeupCondition_.notify_one();
}

void Sender::initiateClose() {
    {
        std::lock_guard lock(mutex_);
        running_ = false;
    }
    wakeupCondition_.notify_one();
}

void Sender::forceClose() {
    // Until there are batches to fail (chapter 11), a forced close is a close.
    initiateClose();
}

bool Sender::isRunning() const {
    std::lock_guard lock(mutex_);
    return running_;
}

std::int64_t Sender::loopCount() const {
    std::lock_guard lock(mutex_);
    return loops_;
}

}  // namespace kafka::clients::producer::internals
