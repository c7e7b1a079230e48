//@ ch08
// Chapter 8: what a read costs in Kafka's copy-on-write map, next to the two obvious
// alternatives (a std::unordered_map behind a std::mutex, and behind a std::shared_mutex),
// on one thread and on two. Also what a write costs as the map grows: the copy is O(n).
//
//   g++ -std=c++20 -O2 -Isrc bench/CopyOnWriteMapBench.cpp -lbenchmark -lbenchmark_main
//       -lpthread -o /tmp/cowbench && /tmp/cowbench
#include <benchmark/benchmark.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "kafka/common/utils/CopyOnWriteMap.h"

namespace {

using kafka::common::utils::CopyOnWriteMap;

// About as many partitions as a producer writing to a few busy topics knows.
constexpr int kPartitions = 128;

using Map = std::unordered_map<int, long>;

Map filled(int entries) {
    Map map;
    for (int k = 0; k < entries; ++k) map.emplace(k, k);
    return map;
}

// The three maps under test, shared by every benchmark thread.
CopyOnWriteMap<int, long> copyOnWrite(filled(kPartitions));

struct MutexMap {
    std::optional<long> get(int key) {
        const std::lock_guard lock(mutex);
        const auto it = map.find(key);
        if (it == map.end()) return std::nullopt;
        return it->second;
    }
    std::mutex mutex;
    Map map = filled(kPartitions);
} mutexMap;

struct SharedMutexMap {
    std::optional<long> get(int key) {
        const std::shared_lock lock(mutex);
        const auto it = map.find(key);
        if (it == map.end()) return std::nullopt;
        return it->second;
    }
    std::shared_mutex mutex;
    Map map = filled(kPartitions);
} sharedMutexMap;

// What CopyOnWriteMap would cost with C++20's std::atomic<std::shared_ptr> (libstdc++ 12 has
// it, but ThreadSanitizer reports races inside it; see CopyOnWriteMap.h). For reference only.
struct AtomicSharedPtrMap {
    std::optional<long> get(int key) const {
        const auto snapshot = map.load(std::memory_order_acquire);
        const auto it = snapshot->find(key);
        if (it == snapshot->end()) return std::nullopt;
        return it->second;
    }
    std::atomic<std::shared_ptr<const Map>> map{std::make_shared<const Map>(filled(kPartitions))};
} atomicSharedPtrMap;

template <typename M>
void readLoop(benchmark::State& state, M& map) {
    int key = static_cast<int>(state.thread_index()) * 17;
    for (auto _ : state) {
        benchmark::DoNotOptimize(map.get(key));
        key = (key + 1) % kPartitions;
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_CopyOnWriteMapGet(benchmark::State& state) {
    readLoop(state, copyOnWrite);
}
void BM_MutexMapGet(benchmark::State& state) {
    readLoop(state, mutexMap);
}
void BM_SharedMutexMapGet(benchmark::State& state) {
    readLoop(state, sharedMutexMap);
}
void BM_AtomicSharedPtrMapGet(benchmark::State& state) {
    readLoop(state, atomicSharedPtrMap);
}

BENCHMARK(BM_CopyOnWriteMapGet)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_MutexMapGet)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_SharedMutexMapGet)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(BM_AtomicSharedPtrMapGet)->Threads(1)->Threads(2)->UseRealTime();

// The Sender's side of the story: it walks every partition on each pass. Here one thread calls
// get() (send()) while a background thread walks the whole map again and again, holding the
// map's lock while it does; the copy-on-write map's walker holds a snapshot and no lock.
long walkAll(const Map& map) {
    long sum = 0;
    for (const auto& [key, value] : map) sum += value;
    return sum;
}

template <typename M, typename Walk>
void readWhileWalking(benchmark::State& state, M& map, Walk walk) {
    std::atomic<bool> stop{false};
    std::atomic<long> walks{0};
    std::thread walker([&] {
        while (!stop.load(std::memory_order_relaxed)) {
            benchmark::DoNotOptimize(walk());
            walks.fetch_add(1, std::memory_order_relaxed);
        }
    });
    int key = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(map.get(key));
        key = (key + 1) % kPartitions;
    }
    stop = true;
    walker.join();
    state.SetItemsProcessed(state.iterations());
    state.counters["walks_per_second"] =
        benchmark::Counter(static_cast<double>(walks.load()), benchmark::Counter::kIsRate);
}

void BM_CopyOnWriteMapGetWhileWalking(benchmark::State& state) {
    readWhileWalking(state, copyOnWrite, [] { return walkAll(*copyOnWrite.snapshot()); });
}
void BM_MutexMapGetWhileWalking(benchmark::State& state) {
    readWhileWalking(state, mutexMap, [] {
        const std::lock_guard lock(mutexMap.mutex);
        return walkAll(mutexMap.map);
    });
}
void BM_SharedMutexMapGetWhileWalking(benchmark::State& state) {
    readWhileWalking(state, sharedMutexMap, [] {
        const std::shared_lock lock(sharedMutexMap.mutex);
        return walkAll(sharedMutexMap.map);
    });
}
BENCHMARK(BM_CopyOnWriteMapGetWhileWalking)->UseRealTime();
BENCHMARK(BM_MutexMapGetWhileWalking)->UseRealTime();
BENCHMARK(BM_SharedMutexMapGetWhileWalking)->UseRealTime();

// A write copies the whole map: put() on a map of n entries (the key is replaced, so n stays).
void BM_CopyOnWriteMapPut(benchmark::State& state) {
    const int entries = static_cast<int>(state.range(0));
    CopyOnWriteMap<int, long> map(filled(entries));
    long value = 0;
    for (auto _ : state) benchmark::DoNotOptimize(map.put(0, ++value));
    state.SetComplexityN(entries);
}
BENCHMARK(BM_CopyOnWriteMapPut)->RangeMultiplier(8)->Range(8, 4096)->Complexity(benchmark::oN);

}  // namespace
