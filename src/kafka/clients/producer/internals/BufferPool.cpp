//@ ch10
#include "kafka/clients/producer/internals/BufferPool.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "kafka/clients/producer/internals/BufferExhaustedException.h"
#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients::producer::internals {

using common::errors::IllegalArgumentException;
using common::errors::IllegalStateException;
using common::errors::KafkaException;

namespace {

constexpr const char* kClosedMessage = "Producer closed while allocating memory";

}  // namespace

BufferPool::BufferPool(std::int64_t totalMemory, std::int32_t poolableSize,
                       std::shared_ptr<common::utils::Time> time)
    : totalMemory_(totalMemory),
      poolableSize_(poolableSize),
      time_(std::move(time)),
      nonPooledAvailableMemory_(totalMemory) {
    if (totalMemory < 0)
        throw IllegalArgumentException("buffer.memory must not be negative: " +
                                       std::to_string(totalMemory));
    // 0 is Kafka's "no batching": then no buffer is ever pooled.
    if (poolableSize < 0)
        throw IllegalArgumentException("batch.size (the poolable size) must not be negative: " +
                                       std::to_string(poolableSize));
}

//> ch10 allocate
ByteBuffer BufferPool::allocate(std::int32_t size, std::int64_t maxTimeToBlockMs) {
    // A request larger than the whole pool would wait forever; KafkaProducer turns this into
    // RecordTooLargeException before it gets here (its own check against buffer.memory).
    if (size < 0 || size > totalMemory_)
        throw IllegalArgumentException("Attempt to allocate " + std::to_string(size) +
                                       " bytes, but there is a hard limit of " +
                                       std::to_string(totalMemory_) + " on memory allocations.");

    std::optional<ByteBuffer> pooled;
    {
        std::unique_lock lock(mutex_);
        if (closed_) throw KafkaException(kClosedMessage);

        if (size == poolableSize_ && !free_.empty()) {
            // Fast path 1: the common case, a batch.size buffer that a sent batch gave back.
            pooled = std::move(free_.front());
            free_.pop_front();
        } else if (availableMemoryLocked() >= size) {
            // Fast path 2: enough memory, counting the free list. Only reserve it here: the
            // bytes themselves are allocated below, after the lock is released, so that other
            // threads are not held up while the allocator (and, for a large buffer, the
            // kernel) does its work.
            freeUp(size);
            nonPooledAvailableMemory_ -= size;
        } else {
            // Slow path: wait in line for memory to come back.
            pooled = waitForMemory(lock, size, maxTimeToBlockMs);
        }
        // Memory may be left after what this call took (a pooled buffer broken up for a
        // smaller request, say): let the next thread in line have a go at it.
        signalFirstWaiterIfMemoryLeft();
    }
    if (pooled) return std::move(*pooled);
    return allocateOutsideLock(size);
}
//< ch10 allocate

//> ch10 wait-for-memory
//> ch10 join-the-line
std::optional<ByteBuffer> BufferPool::waitForMemory(std::unique_lock<std::mutex>& lock,
                                                    std::int32_t size,
                                                    std::int64_t maxTimeToBlockMs) {
    // Join the tail of the line. Only the head of the line is ever signalled, so threads that
    // block are served in the order they blocked.
    Waiter me;
    waiters_.push_back(&me);
    const std::int64_t deadlineMs =
        common::utils::Time::deadlineMs(time_->milliseconds(), maxTimeToBlockMs);
    std::int64_t accumulated = 0;
    std::optional<ByteBuffer> pooled;
    //< ch10 join-the-line
    //> ch10 take-what-there-is
    try {
        while (accumulated < size) {
            // Through the injected clock, so that a MockTime test moves time by hand.
            const bool signalled =
                time_->waitUntil(lock, me.moreMemory, deadlineMs, [&] { return me.signalled; });
            me.signalled = false;
            if (closed_) throw KafkaException(kClosedMessage);
            if (!signalled)
                throw BufferExhaustedException(
                    "Failed to allocate " + std::to_string(size) +
                    " bytes within the configured max blocking time " +
                    std::to_string(maxTimeToBlockMs) +
                    " ms. Total memory: " + std::to_string(totalMemory_) +
                    " bytes. Available memory: " + std::to_string(availableMemoryLocked()) +
                    " bytes. Poolable size: " + std::to_string(poolableSize_) + " bytes");
            if (accumulated == 0 && size == poolableSize_ && !free_.empty()) {
                pooled = std::move(free_.front());
                free_.pop_front();
                accumulated = size;
            } else {
                // Take what there is, even if it is not enough yet, and keep our place in
                // line: memory returned bit by bit still adds up to a large request, which
                // would starve if it waited for all of it to be free at once.
                freeUp(size - accumulated);
                const std::int64_t got =
                    std::min<std::int64_t>(size - accumulated, nonPooledAvailableMemory_);
                nonPooledAvailableMemory_ -= got;
                accumulated += got;
            }
        }
        // Only the head is signalled, so the one that completes must be the head.
        if (waiters_.front() != &me)
            throw IllegalStateException("Wrong condition: this shouldn't happen.");
        waiters_.pop_front();
        //< ch10 take-what-there-is
        //> ch10 leave-the-line
    } catch (...) {
        // Timed out or closed: give back what was gathered, leave the line, and wake the next
        // waiter if that made memory available. Kafka 0.10 did neither: the gathered memory
        // was lost to the pool for good, and the next waiter slept on until its own timeout.
        pooled.reset();
        nonPooledAvailableMemory_ += accumulated;
        std::erase(waiters_, &me);
        signalFirstWaiterIfMemoryLeft();
        throw;
    }
    return pooled;
    //< ch10 leave-the-line
}
//< ch10 wait-for-memory

//> ch10 allocate-outside-lock
ByteBuffer BufferPool::allocateOutsideLock(std::int32_t size) {
    try {
        ByteBuffer buffer;
        buffer.reserve(static_cast<std::size_t>(size));
        return buffer;
    } catch (...) {
        // The memory was reserved but never handed out (std::bad_alloc): put it back.
        std::lock_guard lock(mutex_);
        nonPooledAvailableMemory_ += size;
        signalFirstWaiter();
        throw;
    }
}
//< ch10 allocate-outside-lock

//> ch10 free-up
// Breaks pooled buffers up into unpooled memory until `size` bytes are unpooled, or the free
// list is empty. Takes from the back of the free list; allocate() reuses from the front.
void BufferPool::freeUp(std::int64_t size) {
    while (!free_.empty() && nonPooledAvailableMemory_ < size) {
        nonPooledAvailableMemory_ += static_cast<std::int64_t>(free_.back().capacity());
        free_.pop_back();
    }
}
//< ch10 free-up

//> ch10 deallocate
void BufferPool::deallocate(ByteBuffer buffer, std::int32_t size) {
    std::lock_guard lock(mutex_);
    if (size < 0 || availableMemoryLocked() + size > totalMemory_)
        throw IllegalArgumentException(
            "Deallocating " + std::to_string(size) + " bytes would give the pool more than its " +
            std::to_string(totalMemory_) + " bytes: was a buffer returned twice?");
    if (size == poolableSize_ && buffer.capacity() == static_cast<std::size_t>(size)) {
        buffer.clear();  // the next batch starts writing at the beginning
        free_.push_back(std::move(buffer));
    } else {
        nonPooledAvailableMemory_ += size;
    }
    // One returned buffer can serve at most the head of the line; waking everyone would only
    // let them fight over it, and the head would lose its turn.
    signalFirstWaiter();
}  // A buffer that was not pooled is freed here, once the lock is released.
//< ch10 deallocate

void BufferPool::deallocate(ByteBuffer buffer) {
    const auto size = static_cast<std::int32_t>(buffer.capacity());
    deallocate(std::move(buffer), size);
}

//> ch10 close
void BufferPool::close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (Waiter* waiter : waiters_) {
        waiter->signalled = true;
        waiter->moreMemory.notify_one();
    }
}
//< ch10 close

void BufferPool::signalFirstWaiter() {
    if (waiters_.empty()) return;
    waiters_.front()->signalled = true;
    waiters_.front()->moreMemory.notify_one();
}

void BufferPool::signalFirstWaiterIfMemoryLeft() {
    if (nonPooledAvailableMemory_ > 0 || !free_.empty()) signalFirstWaiter();
}

std::int64_t BufferPool::availableMemoryLocked() const {
    return nonPooledAvailableMemory_ + static_cast<std::int64_t>(free_.size()) * poolableSize_;
}

std::int64_t BufferPool::availableMemory() const {
    std::lock_guard lock(mutex_);
    return availableMemoryLocked();
}

std::int64_t BufferPool::unallocatedMemory() const {
    std::lock_guard lock(mutex_);
    return nonPooledAvailableMemory_;
}

std::size_t BufferPool::freeSize() const {
    std::lock_guard lock(mutex_);
    return free_.size();
}

std::size_t BufferPool::queued() const {
    std::lock_guard lock(mutex_);
    return waiters_.size();
}

}  // namespace kafka::clients::producer::internals
