// Chapter 10 demo: a BufferPool of 1024 bytes with batch.size 256 is drained, a thread blocks
// for 512 bytes, gathers them as buffers come back, and is woken to finish; then a wait that
// runs out of max.block.ms and gives back what it gathered, and close() waking a waiter. The books
// are printed at each step.
#include <chrono>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "kafka/clients/producer/internals/BufferExhaustedException.h"
#include "kafka/clients/producer/internals/BufferPool.h"

using kafka::clients::producer::internals::BufferExhaustedException;
using kafka::clients::producer::internals::BufferPool;
using kafka::clients::producer::internals::ByteBuffer;

namespace {

std::mutex printing;
std::int64_t inUse = 0;  // bytes the demo holds; only the main thread changes it

void say(const std::string& who, const std::string& what) {
    std::lock_guard lock(printing);
    std::cout << "[" << who << "] " << what << "\n";
}

// free list + unallocated + in use (+ gathered by a waiter) = total
void books(const BufferPool& pool) {
    const auto freeListBytes = static_cast<std::int64_t>(pool.freeSize()) * pool.poolableSize();
    const auto gathered = pool.totalMemory() - pool.availableMemory() - inUse;
    std::lock_guard lock(printing);
    std::cout << "         free list " << pool.freeSize() << " x " << pool.poolableSize() << " = "
              << std::setw(4) << freeListBytes << " | unallocated " << std::setw(4)
              << pool.unallocatedMemory() << " | in use " << std::setw(4) << inUse
              << " | gathered by waiters " << std::setw(3) << gathered
              << " | = " << freeListBytes + pool.unallocatedMemory() + inUse + gathered
              << " | waiters " << pool.queued() << "\n";
}

void waitUntil(const auto& condition) {
    while (!condition()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace

int main() {
    BufferPool pool(1024, 256, kafka::common::utils::Time::system());
    say("main", "a pool of 1024 bytes; batch.size (the poolable size) is 256");
    books(pool);

    std::vector<ByteBuffer> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(pool.allocate(256, 0));
        inUse += 256;
        say("main", "allocate(256) #" + std::to_string(i + 1));
        books(pool);
    }

    say("main", "a batch is sent and its buffer comes back: deallocate(256)");
    const void* returned = held.back().data();
    pool.deallocate(std::move(held.back()), 256);
    held.pop_back();
    inUse -= 256;
    books(pool);
    held.push_back(pool.allocate(256, 0));
    inUse += 256;
    say("main", std::string("allocate(256) again: ") + (held.back().data() == returned
                                                            ? "the same buffer, from the free list"
                                                            : "a different buffer"));
    books(pool);

    ByteBuffer senderBuffer;
    std::thread sender([&] {
        say("send", "allocate(512, max.block.ms=5000): the pool is empty, so this blocks");
        senderBuffer = pool.allocate(512, 5000);
        say("send", "woken with " + std::to_string(senderBuffer.capacity()) + " bytes");
    });
    waitUntil([&] { return pool.queued() == 1; });
    say("main", "one thread waits for memory");
    books(pool);

    for (int i = 0; i < 2; ++i) {
        say("main", "deallocate(256): the waiter takes it" +
                        std::string(i == 0 ? " and keeps waiting for the rest" : ", and has 512"));
        pool.deallocate(std::move(held.back()), 256);
        held.pop_back();
        inUse -= 256;
        if (i == 0) {
            waitUntil([&] { return pool.availableMemory() == 0; });
            books(pool);
        }
    }
    sender.join();
    inUse += 512;  // the sending thread's new batch holds it now
    books(pool);
    say("main", "that batch is sent too: deallocate(512), not pooled (it is not batch.size)");
    pool.deallocate(std::move(senderBuffer), 512);
    inUse -= 512;
    books(pool);

    // Empty the pool again, then wait on it in vain.
    while (pool.availableMemory() > 0) {
        const auto size =
            static_cast<std::int32_t>(std::min<std::int64_t>(256, pool.availableMemory()));
        held.push_back(pool.allocate(size, 0));
        inUse += size;
    }
    say("main", "the pool is empty again");
    books(pool);
    std::thread impatient([&] {
        say("send", "allocate(512, max.block.ms=300)");
        try {
            pool.allocate(512, 300);
        } catch (const BufferExhaustedException& e) {
            say("send", std::string("BufferExhaustedException: ") + e.what());
        }
    });
    waitUntil([&] { return pool.queued() == 1; });
    say("main", "deallocate(256): the waiter gathers it, and nothing more comes back");
    pool.deallocate(std::move(held.back()), 256);
    held.pop_back();
    inUse -= 256;
    waitUntil([&] { return pool.availableMemory() == 0; });
    books(pool);
    impatient.join();
    say("main", "the waiter gave up and gave its 256 bytes back (Kafka 0.10 lost them)");
    books(pool);

    std::thread late([&] {
        try {
            pool.allocate(512, 5000);
        } catch (const std::exception& e) {
            say("send", std::string("KafkaException: ") + e.what());
        }
    });
    waitUntil([&] { return pool.queued() == 1; });
    say("main", "a thread waits for 512 bytes; the producer closes: close()");
    books(pool);
    pool.close();
    late.join();
    books(pool);
    return 0;
}
