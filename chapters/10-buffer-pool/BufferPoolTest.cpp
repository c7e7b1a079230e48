// Chapter 10: the BufferPool. batch.size buffers are reused, buffer.memory is never exceeded,
// blocked allocations are served first come, first served within max.block.ms, and the
// accounting adds up after every step. Waits run on a fake clock: nothing here sleeps.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <future>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "kafka/clients/producer/internals/BufferExhaustedException.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/common/utils/MockTime.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::errors::IllegalArgumentException;
using common::errors::KafkaException;
using common::errors::TimeoutException;
using common::utils::MockTime;
using internals::BufferExhaustedException;
using internals::ByteBuffer;

static_assert(std::is_base_of_v<TimeoutException, BufferExhaustedException>,
              "running out of memory is a timeout: send() reports it through the future");

constexpr std::int64_t kTotal = 1024;
constexpr std::int32_t kPoolable = 256;
constexpr std::int64_t kForever = 60'000;  // max.block.ms the fake clock never reaches

// What an allocate() on another thread came to: a buffer, or the error it failed with, named.
// The error travels as text, not as an exception_ptr: libstdc++ counts an exception's
// references in code ThreadSanitizer does not see, and it would report the other thread
// destroying the exception that this one had read.
struct Outcome {
    ByteBuffer buffer;
    std::string error;  // "BufferExhaustedException: <what()>"; empty when it succeeded
};

bool ready(std::future<Outcome>& future) {
    return future.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
}

std::string errorOf(std::future<Outcome>& future) {
    return ready(future) ? future.get().error : "<still waiting>";
}

ByteBuffer bufferOf(std::future<Outcome>& future) {
    auto outcome = future.get();
    EXPECT_EQ(outcome.error, "");
    return std::move(outcome.buffer);
}

// A pool of 1024 bytes with a poolable size of 256, on a fake clock. The fixture keeps the
// test's side of the books: the bytes it holds.
class BufferPool : public ::testing::Test {
protected:
    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    internals::BufferPool pool{kTotal, kPoolable, time};
    std::int64_t inUse = 0;
    std::vector<std::jthread> threads;  // destroyed (joined) before the pool

    // A failed test must not leave a thread blocked in allocate() on a clock nobody moves.
    void TearDown() override { pool.close(); }

    // allocate() on a thread of its own, as a blocked send() would call it.
    std::future<Outcome> allocateInBackground(std::int32_t size, std::int64_t maxTimeToBlockMs) {
        std::packaged_task<Outcome()> task([this, size, maxTimeToBlockMs] {
            try {
                return Outcome{pool.allocate(size, maxTimeToBlockMs), ""};
            } catch (const BufferExhaustedException& e) {
                return Outcome{{}, std::string("BufferExhaustedException: ") + e.what()};
            } catch (const KafkaException& e) {
                return Outcome{{}, std::string("KafkaException: ") + e.what()};
            }
        });
        auto future = task.get_future();
        threads.emplace_back(std::move(task));
        return future;
    }

    ByteBuffer take(std::int32_t size) {
        auto buffer = pool.allocate(size, 0);
        inUse += size;
        return buffer;
    }

    void giveBack(ByteBuffer buffer, std::int32_t size) {
        inUse -= size;
        pool.deallocate(std::move(buffer), size);
    }

    std::vector<ByteBuffer> drain() {
        std::vector<ByteBuffer> held;
        for (int i = 0; i < 4; ++i) held.push_back(take(kPoolable));
        return held;
    }

    // Free-list bytes + unpooled bytes + bytes in use + bytes a waiter has gathered == total.
    void expectAccounting(std::int64_t gatheredByWaiters = 0) {
        const auto freeListBytes = static_cast<std::int64_t>(pool.freeSize()) * kPoolable;
        EXPECT_EQ(freeListBytes + pool.unallocatedMemory() + inUse + gatheredByWaiters, kTotal);
        EXPECT_EQ(pool.availableMemory(), freeListBytes + pool.unallocatedMemory());
    }
};

TEST_F(BufferPool, TheAccountingAddsUpAfterEveryStep) {
    expectAccounting();
    auto a = take(256);  // from unpooled memory
    expectAccounting();
    auto b = take(256);
    expectAccounting();
    auto c = take(100);  // an odd size
    expectAccounting();
    EXPECT_EQ(pool.unallocatedMemory(), 412);

    giveBack(std::move(a), 256);  // batch.size: kept on the free list
    EXPECT_EQ(pool.freeSize(), 1u);
    expectAccounting();
    auto d = take(256);  // fast path 1
    EXPECT_EQ(pool.freeSize(), 0u);
    expectAccounting();

    giveBack(std::move(d), 256);
    giveBack(std::move(b), 256);
    EXPECT_EQ(pool.freeSize(), 2u);
    expectAccounting();

    // 600 bytes: 412 unpooled are not enough, so one pooled buffer is broken up (fast path 2).
    auto e = take(600);
    EXPECT_EQ(pool.freeSize(), 1u);
    EXPECT_EQ(pool.unallocatedMemory(), 68);
    expectAccounting();

    giveBack(std::move(c), 100);  // an odd size goes back to unpooled memory
    EXPECT_EQ(pool.unallocatedMemory(), 168);
    expectAccounting();
    auto f = take(256);
    auto g = take(168);
    EXPECT_EQ(pool.availableMemory(), 0);
    expectAccounting();

    giveBack(std::move(e), 600);
    expectAccounting();
    giveBack(std::move(f), 256);
    expectAccounting();
    giveBack(std::move(g), 168);
    expectAccounting();
    EXPECT_EQ(pool.availableMemory(), kTotal);
    EXPECT_EQ(pool.freeSize(), 1u);
    EXPECT_EQ(pool.unallocatedMemory(), kTotal - kPoolable);
}

TEST_F(BufferPool, AReturnedBatchSizeBufferIsHandedOutAgain) {
    auto held = drain();
    EXPECT_EQ(pool.availableMemory(), 0);
    expectAccounting();

    std::uint8_t* returned = held.back().data();
    giveBack(std::move(held.back()), kPoolable);
    held.pop_back();
    EXPECT_EQ(pool.availableMemory(), kPoolable);
    EXPECT_EQ(pool.freeSize(), 1u);
    EXPECT_EQ(pool.unallocatedMemory(), 0);
    expectAccounting();

    auto again = take(kPoolable);
    EXPECT_EQ(again.data(), returned);  // the very same bytes, not a fresh allocation
    EXPECT_EQ(again.capacity(), static_cast<std::size_t>(kPoolable));
    EXPECT_EQ(pool.availableMemory(), 0);
    expectAccounting();
}

TEST_F(BufferPool, AnOddSizeBreaksUpPooledBuffersAndIsNotPooledItself) {
    auto held = drain();
    for (auto& buffer : held) giveBack(std::move(buffer), kPoolable);
    EXPECT_EQ(pool.freeSize(), 4u);
    EXPECT_EQ(pool.unallocatedMemory(), 0);

    auto big = take(512);
    EXPECT_EQ(big.capacity(), 512u);
    EXPECT_EQ(pool.freeSize(), 2u);
    EXPECT_EQ(pool.unallocatedMemory(), 0);
    expectAccounting();

    giveBack(std::move(big), 512);
    EXPECT_EQ(pool.freeSize(), 2u);
    EXPECT_EQ(pool.unallocatedMemory(), 512);
    expectAccounting();
}

TEST_F(BufferPool, ABufferThatOutgrewItsSizeIsNotPooled) {
    auto buffer = take(kPoolable);
    // As when compression grew a batch's buffer: its capacity no longer matches the size it
    // was charged. Only the charged bytes go back, and the buffer is not kept.
    buffer = ByteBuffer(300);
    giveBack(std::move(buffer), kPoolable);
    EXPECT_EQ(pool.freeSize(), 0u);
    EXPECT_EQ(pool.unallocatedMemory(), kTotal);
    expectAccounting();
}

TEST_F(BufferPool, AnAllocationLargerThanThePoolFailsAtOnce) {
    try {
        pool.allocate(static_cast<std::int32_t>(kTotal + 1), kForever);
        FAIL() << "allocate(totalMemory + 1) must not succeed";
    } catch (const IllegalArgumentException& e) {
        EXPECT_STREQ(e.what(),
                     "Attempt to allocate 1025 bytes, but there is a hard limit of 1024 on memory "
                     "allocations.");
    }
    EXPECT_EQ(time->waiters(), 0);  // it never waited
    EXPECT_EQ(pool.queued(), 0u);
    EXPECT_EQ(pool.availableMemory(), kTotal);

    auto whole = take(static_cast<std::int32_t>(kTotal));  // the whole pool is fine
    EXPECT_EQ(pool.availableMemory(), 0);
    expectAccounting();
}

TEST_F(BufferPool, ZeroMaxBlockFailsAtOnceWhenMemoryIsShort) {
    auto held = drain();
    try {
        pool.allocate(kPoolable, 0);
        FAIL() << "an exhausted pool must not hand out memory";
    } catch (const TimeoutException& e) {  // a BufferExhaustedException
        EXPECT_STREQ(e.what(),
                     "Failed to allocate 256 bytes within the configured max blocking time 0 ms. "
                     "Total memory: 1024 bytes. Available memory: 0 bytes. Poolable size: 256 "
                     "bytes");
    }
    EXPECT_EQ(pool.queued(), 0u);
    expectAccounting();
}

TEST_F(BufferPool, ABlockedAllocationTimesOutAfterMaxBlockMsAndGivesBackWhatItGathered) {
    auto held = drain();
    auto waiting = allocateInBackground(512, 10);
    ASSERT_TRUE(test::eventually([&] { return time->waiters() == 1; }));
    EXPECT_EQ(pool.queued(), 1u);

    // 256 bytes come back: the waiter takes them and waits for the other 256.
    giveBack(std::move(held.back()), kPoolable);
    held.pop_back();
    ASSERT_TRUE(test::eventually([&] { return pool.availableMemory() == 0; }));
    EXPECT_EQ(pool.queued(), 1u);
    expectAccounting(/*gatheredByWaiters=*/256);

    time->sleep(10);  // max.block.ms passes on the fake clock
    EXPECT_EQ(errorOf(waiting),
              "BufferExhaustedException: Failed to allocate 512 bytes within the configured max "
              "blocking time 10 ms. Total "
              "memory: 1024 bytes. Available memory: 0 bytes. Poolable size: 256 bytes");
    EXPECT_EQ(pool.queued(), 0u);
    // Kafka 0.10 lost these 256 bytes for good; they are back.
    EXPECT_EQ(pool.availableMemory(), 256);
    EXPECT_EQ(pool.unallocatedMemory(), 256);
    expectAccounting();
}

TEST_F(BufferPool, BlockedAllocationWakesInFifoOrder) {
    auto held = drain();
    auto a = allocateInBackground(512, kForever);
    ASSERT_TRUE(test::eventually([&] { return time->waiters() == 1; }));
    auto b = allocateInBackground(256, kForever);
    ASSERT_TRUE(test::eventually([&] { return time->waiters() == 2; }));
    EXPECT_EQ(pool.queued(), 2u);

    // 256 bytes come back: exactly what B asked for, but A is first in line. A takes them,
    // keeps them, and waits for the rest; B does not jump the line.
    giveBack(std::move(held.back()), kPoolable);
    held.pop_back();
    ASSERT_TRUE(test::eventually([&] { return pool.availableMemory() == 0; }));
    EXPECT_EQ(pool.queued(), 2u);
    expectAccounting(/*gatheredByWaiters=*/256);

    // Another 256: A has its 512 and leaves the line; B is still waiting.
    giveBack(std::move(held.back()), kPoolable);
    held.pop_back();
    ASSERT_TRUE(ready(a));
    auto bufferA = bufferOf(a);
    inUse += 512;
    EXPECT_EQ(bufferA.capacity(), 512u);
    EXPECT_EQ(pool.queued(), 1u);
    EXPECT_EQ(b.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
    expectAccounting();

    // A third: B's turn, and it gets that very buffer.
    std::uint8_t* third = held.back().data();
    giveBack(std::move(held.back()), kPoolable);
    held.pop_back();
    ASSERT_TRUE(ready(b));
    auto bufferB = bufferOf(b);
    inUse += 256;
    EXPECT_EQ(bufferB.data(), third);
    EXPECT_EQ(pool.queued(), 0u);
    expectAccounting();
}

TEST_F(BufferPool, DeallocateWakesTheFirstWaiterOnly) {
    auto held = drain();
    std::vector<std::future<Outcome>> waiting;
    for (int i = 0; i < 3; ++i) {
        waiting.push_back(allocateInBackground(kPoolable, kForever));
        ASSERT_TRUE(test::eventually([&] { return time->waiters() == i + 1; }));
    }
    // Each returned buffer goes to exactly one waiter, the oldest; the others keep waiting.
    for (std::size_t i = 0; i < waiting.size(); ++i) {
        std::uint8_t* returned = held.back().data();
        giveBack(std::move(held.back()), kPoolable);
        held.pop_back();
        ASSERT_TRUE(ready(waiting[i])) << "waiter " << i << " was not served";
        auto buffer = bufferOf(waiting[i]);
        inUse += kPoolable;
        EXPECT_EQ(buffer.data(), returned);
        EXPECT_EQ(pool.queued(), waiting.size() - i - 1);
        for (std::size_t later = i + 1; later < waiting.size(); ++later)
            EXPECT_EQ(waiting[later].wait_for(std::chrono::seconds(0)),
                      std::future_status::timeout);
        expectAccounting();
    }
}

TEST_F(BufferPool, ATimedOutWaiterGivesBackWhatItGatheredAndWakesTheNext) {
    auto held = drain();
    auto a = allocateInBackground(512, 10);
    ASSERT_TRUE(test::eventually([&] { return time->waiters() == 1; }));
    auto b = allocateInBackground(256, kForever);
    ASSERT_TRUE(test::eventually([&] { return time->waiters() == 2; }));

    giveBack(std::move(held.back()), kPoolable);  // A gathers it
    held.pop_back();
    ASSERT_TRUE(test::eventually([&] { return pool.availableMemory() == 0; }));
    EXPECT_EQ(pool.queued(), 2u);

    // A gives up. In Kafka 0.10 its 256 bytes leaked and B slept on until its own timeout;
    // here they go back and B, now first in line, is woken to take them.
    time->sleep(10);
    EXPECT_TRUE(errorOf(a).starts_with("BufferExhaustedException: Failed to allocate 512 bytes"));
    ASSERT_TRUE(ready(b));
    auto bufferB = bufferOf(b);
    inUse += 256;
    EXPECT_EQ(bufferB.capacity(), 256u);
    EXPECT_EQ(pool.queued(), 0u);
    EXPECT_EQ(pool.availableMemory(), 0);
    expectAccounting();
}

TEST_F(BufferPool, ANewcomerThatNeedNotWaitCanOvertakeAWaiter) {
    std::vector<ByteBuffer> held;
    for (int i = 0; i < 3; ++i) held.push_back(take(kPoolable));  // 256 bytes left
    auto a = allocateInBackground(512, kForever);
    ASSERT_TRUE(test::eventually([&] { return time->waiters() == 1; }));
    // The waiter takes nothing until memory is returned, and the queue only orders threads
    // that block: a newcomer whose request fits takes the fast path past it.
    EXPECT_EQ(pool.availableMemory(), 256);
    held.push_back(take(kPoolable));
    EXPECT_EQ(pool.queued(), 1u);
    expectAccounting();

    for (int i = 0; i < 2; ++i) {
        giveBack(std::move(held.back()), kPoolable);
        held.pop_back();
    }
    ASSERT_TRUE(ready(a));
    EXPECT_EQ(bufferOf(a).capacity(), 512u);
    EXPECT_EQ(pool.queued(), 0u);
}

TEST_F(BufferPool, CloseFailsTheWaitersAndGivesBackWhatTheyGathered) {
    auto held = drain();
    auto a = allocateInBackground(512, kForever);
    ASSERT_TRUE(test::eventually([&] { return time->waiters() == 1; }));
    auto b = allocateInBackground(256, kForever);
    ASSERT_TRUE(test::eventually([&] { return time->waiters() == 2; }));
    giveBack(std::move(held.back()), kPoolable);  // A gathers it
    held.pop_back();
    ASSERT_TRUE(test::eventually([&] { return pool.availableMemory() == 0; }));

    pool.close();
    EXPECT_EQ(errorOf(a), "KafkaException: Producer closed while allocating memory");
    EXPECT_EQ(errorOf(b), "KafkaException: Producer closed while allocating memory");
    EXPECT_EQ(pool.queued(), 0u);
    EXPECT_EQ(pool.availableMemory(), 256);  // what A had gathered
    expectAccounting();

    EXPECT_THROW(pool.allocate(1, 0), KafkaException);
    // Batches aborted at close still give their memory back.
    for (auto& buffer : held) giveBack(std::move(buffer), kPoolable);
    EXPECT_EQ(pool.availableMemory(), kTotal);
    expectAccounting();
}

TEST_F(BufferPool, ReturningMoreThanWasTakenIsRejected) {
    auto buffer = take(kPoolable);
    giveBack(std::move(buffer), kPoolable);
    EXPECT_THROW(pool.deallocate(ByteBuffer(kPoolable), kPoolable), IllegalArgumentException);
    EXPECT_EQ(pool.availableMemory(), kTotal);
}

// Several threads allocate and return random sizes on the real clock. Every round ends at a
// barrier, where nobody is inside the pool: then the bytes the threads hold plus the pool's
// available memory must be the whole pool, to the byte. Run it under ThreadSanitizer.
TEST_F(BufferPool, TheAccountingHoldsWhileThreadsAllocateAndReturnRandomSizes) {
    constexpr int kThreads = 4;
    constexpr int kRounds = 100;
    constexpr int kOpsPerRound = 20;
    constexpr std::int64_t kStressTotal = 4096;
    internals::BufferPool shared(kStressTotal, kPoolable, common::utils::Time::system());

    std::vector<std::int64_t> heldBytes(kThreads, 0);  // each thread writes its own slot
    std::atomic<int> timeouts{0};
    std::atomic<int> served{0};
    std::barrier roundEnd(kThreads, [&]() noexcept {
        std::int64_t held = 0;
        for (auto bytes : heldBytes) held += bytes;
        EXPECT_EQ(shared.queued(), 0u);
        EXPECT_EQ(held + shared.availableMemory(), kStressTotal);
    });

    auto work = [&](int id) {
        std::mt19937 random(static_cast<std::uint32_t>(id) * 7919u + 1u);
        std::uniform_int_distribution<int> coin(0, 1);
        std::uniform_int_distribution<std::int32_t> anySize(1, 1100);
        const auto tag = static_cast<std::uint8_t>(id + 1);
        std::vector<std::pair<ByteBuffer, std::int32_t>> held;
        auto giveBackOne = [&] {
            auto& [buffer, size] = held.back();
            // Nobody else wrote into it while we held it.
            EXPECT_EQ(buffer.data()[0], tag);
            EXPECT_EQ(buffer.data()[size - 1], tag);
            heldBytes[id] -= size;
            shared.deallocate(std::move(buffer), size);
            held.pop_back();
        };
        for (int round = 0; round < kRounds; ++round) {
            for (int op = 0; op < kOpsPerRound; ++op) {
                if (held.size() == 3 || (!held.empty() && coin(random) == 0)) {
                    std::swap(held[random() % held.size()], held.back());
                    giveBackOne();
                    continue;
                }
                const std::int32_t size = coin(random) == 0 ? kPoolable : anySize(random);
                try {
                    auto buffer = shared.allocate(size, 5);
                    EXPECT_EQ(buffer.capacity(), static_cast<std::size_t>(size));
                    buffer.assign(static_cast<std::size_t>(size), tag);  // write every byte we own
                    heldBytes[id] += size;
                    held.emplace_back(std::move(buffer), size);
                    ++served;
                } catch (const BufferExhaustedException&) {
                    // Others hold the memory (maybe waiting at the barrier): let go, move on.
                    ++timeouts;
                    while (!held.empty()) giveBackOne();
                    break;
                }
            }
            roundEnd.arrive_and_wait();
        }
        while (!held.empty()) giveBackOne();
    };
    std::vector<std::thread> threads;
    for (int id = 0; id < kThreads; ++id) threads.emplace_back(work, id);
    for (auto& thread : threads) thread.join();

    EXPECT_EQ(shared.queued(), 0u);
    EXPECT_EQ(shared.availableMemory(), kStressTotal);
    EXPECT_EQ(static_cast<std::int64_t>(shared.freeSize()) * kPoolable + shared.unallocatedMemory(),
              kStressTotal);
    EXPECT_GT(served.load(), 0);
    RecordProperty("served", served.load());
    RecordProperty("timeouts", timeouts.load());
}

}  // namespace
}  // namespace kafka::clients::producer
