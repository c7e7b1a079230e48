//@ ch10
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "kafka/common/utils/Bytes.h"
#include "kafka/common/utils/Time.h"

namespace kafka::clients::producer::internals {

//> ch10 byte-buffer
/// A block of memory that one batch writes its records into: Java's ByteBuffer, as a
/// std::vector of bytes whose capacity is reserved up front. The vector's size is how much has
/// been written (Java's position) and its capacity is the buffer's size. reserve() allocates
/// without writing anything, so a fresh buffer's pages are first touched by the records
/// themselves, not by a memset; clear() forgets the contents and keeps the memory, which is
/// what lets the pool hand the same block out again. Move-only in practice: the pool and the
/// batches always move buffers, so one block is in one place at a time, with a batch or on
/// the free list.
using ByteBuffer = common::utils::Bytes;
//< ch10 byte-buffer

/// The producer's memory budget (Kafka's BufferPool, chapter 10). Every batch's buffer comes
/// from here, and all of them together never exceed `totalMemory` (buffer.memory): when the
/// budget is spent, allocate() blocks the sending thread for up to max.block.ms, which is how
/// a producer that outruns its brokers slows down its callers instead of growing without end.
///
/// Buffers of exactly `poolableSize` bytes (batch.size) are kept on a free list when they come
/// back and handed out again. Almost every batch is that size, so a producer in a steady state
/// reuses the same few buffers; in Java that spares the garbage collector, in C++ it spares
/// the allocator and the page faults of touching fresh memory. Buffers of any other size (a
/// record larger than batch.size gets a batch of its own size) are not kept: their bytes go
/// back to the unpooled budget, because a free list of odd sizes would rarely fit the next
/// request and would only fragment the budget.
///
/// The accounting, at every moment:
///
///     freeSize() * poolableSize + unallocatedMemory() + bytes handed out + bytes gathered
///     by waiters == totalMemory
///
/// Thread-safe: one mutex guards the counters, the free list and the waiters.
class BufferPool {
public:
    /// `totalMemory` is buffer.memory, `poolableSize` is batch.size. The clock is the one
    /// that max.block.ms is measured on; tests pass a MockTime.
    BufferPool(std::int64_t totalMemory, std::int32_t poolableSize,
               std::shared_ptr<common::utils::Time> time);

    BufferPool(const BufferPool&) = delete;
    BufferPool& operator=(const BufferPool&) = delete;

    /// A buffer of at least `size` bytes (exactly `size`, or a pooled one when `size` is
    /// poolableSize). Blocks until enough memory is returned, for up to `maxTimeToBlockMs`.
    /// Blocked callers are served first come, first served, one at a time.
    ///
    /// Throws IllegalArgumentException when `size` is negative or larger than the whole pool
    /// (it could never be satisfied), BufferExhaustedException when the time runs out, and
    /// KafkaException when the pool is closed before or while it waits. On every failure the
    /// memory gathered so far is given back.
    ByteBuffer allocate(std::int32_t size, std::int64_t maxTimeToBlockMs);

    /// Returns a buffer and credits `size` bytes back to the pool: the size that allocate()
    /// was asked for, which the caller remembers. The buffer goes on the free list when `size`
    /// is poolableSize and its capacity is still exactly that; otherwise it is freed. (In Kafka
    /// a buffer that outgrew its size, say by compression, has a larger capacity than the
    /// memory it was charged: only the charged bytes come back to the budget.) Wakes the first
    /// waiter only. Works after close(): batches that are aborted still give their memory back.
    void deallocate(ByteBuffer buffer, std::int32_t size);
    /// deallocate(buffer, buffer.capacity()).
    void deallocate(ByteBuffer buffer);

    /// Wakes every waiting allocate(), which then fails with KafkaException("Producer closed
    /// while allocating memory"); later allocate() calls fail the same way.
    void close();

    /// Memory that can be handed out without waiting: unpooled bytes plus free-list bytes.
    std::int64_t availableMemory() const;
    /// Memory that is neither handed out, nor gathered by a waiter, nor on the free list.
    std::int64_t unallocatedMemory() const;
    /// How many pooled buffers wait on the free list.
    std::size_t freeSize() const;
    /// How many threads are blocked in allocate(). More than zero means "memory is exhausted":
    /// the accumulator then treats every batch as ready to send (chapter 12).
    std::size_t queued() const;
    std::int32_t poolableSize() const { return poolableSize_; }
    std::int64_t totalMemory() const { return totalMemory_; }

private:
    // One blocked allocate(). It lives on the waiting thread's stack; the deque points to it.
    struct Waiter {
        std::condition_variable moreMemory;
        bool signalled = false;  // set (under the mutex) by whoever hands it a turn
    };

    std::optional<ByteBuffer> waitForMemory(std::unique_lock<std::mutex>& lock, std::int32_t size,
                                            std::int64_t maxTimeToBlockMs);
    ByteBuffer allocateOutsideLock(std::int32_t size);
    void freeUp(std::int64_t size);
    void signalFirstWaiter();
    void signalFirstWaiterIfMemoryLeft();
    std::int64_t availableMemoryLocked() const;

    const std::int64_t totalMemory_;
    const std::int32_t poolableSize_;
    const std::shared_ptr<common::utils::Time> time_;

    mutable std::mutex mutex_;
    std::deque<ByteBuffer> free_;            // only buffers of exactly poolableSize_ bytes
    std::int64_t nonPooledAvailableMemory_;  // neither handed out nor on the free list
    std::deque<Waiter*> waiters_;            // blocked allocate() calls, oldest first
    bool closed_ = false;
};

}  // namespace kafka::clients::producer::internals
