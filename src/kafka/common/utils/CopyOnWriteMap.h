//@ ch08
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>

namespace kafka::common::utils {

/// A map for read-mostly data (Kafka's CopyOnWriteMap, chapter 8). The current contents are an
/// immutable `std::unordered_map` published through a `std::shared_ptr<const Map>`. A reader
/// loads that pointer atomically and looks the key up; it never takes the write lock, so it
/// never waits for a writer's copy. A writer takes the write lock, copies the whole map,
/// changes the copy and publishes it in one atomic store. A reader therefore holds either the
/// old map or the new one, never one half written, and the snapshot it holds stays valid (and
/// unchanged) for as long as it keeps it.
///
/// The shape of the traffic is what makes this right for RecordAccumulator's map from partition
/// to deque: it is read on every send() and on every pass of the Sender loop, and written only
/// when a partition is seen for the first time. A write costs O(n) (a full copy) and writers
/// are serialised; with a few hundred partitions and a handful of writes in a producer's life
/// that is a good trade for reads that never wait for a writer.
///
/// Values are returned by value, so V should be cheap to copy: the accumulator stores a
/// `std::shared_ptr` to each deque, which stays valid after the map has moved on.
template <typename K, typename V, typename Hash = std::hash<K>>
class CopyOnWriteMap {
public:
    using Map = std::unordered_map<K, V, Hash>;
    /// One published version of the map. It never changes; a write publishes a new one.
    using Snapshot = std::shared_ptr<const Map>;

    CopyOnWriteMap() : map_(std::make_shared<const Map>()) {}
    explicit CopyOnWriteMap(Map initial) : map_(std::make_shared<const Map>(std::move(initial))) {}

    // One map, one write lock: copying or moving the owner would split them.
    CopyOnWriteMap(const CopyOnWriteMap&) = delete;
    CopyOnWriteMap& operator=(const CopyOnWriteMap&) = delete;

    //> ch08 reads
    /// The map as it is now, to look at or iterate over as long as the caller likes. Later
    /// writes do not show in it, and iterating it never meets a map in the middle of a change
    /// (Java's version: no ConcurrentModificationException). Keep the returned pointer while
    /// iterating: `for (auto& e : *map.snapshot())` lets the pointer go before the loop starts
    /// (C++20 ends the temporary there), and a writer may then free the map under the loop.
    Snapshot snapshot() const { return load(); }

    /// The value for `key`, if any, as of the moment of the call. No lock is taken.
    std::optional<V> get(const K& key) const {
        const Snapshot map = load();
        const auto it = map->find(key);
        if (it == map->end()) return std::nullopt;
        return it->second;
    }

    bool containsKey(const K& key) const { return load()->contains(key); }
    std::size_t size() const { return load()->size(); }
    bool empty() const { return load()->empty(); }
    //< ch08 reads

    //> ch08 put
    /// Maps `key` to `value` and returns the value it replaced, if any. O(n): copies the map.
    std::optional<V> put(const K& key, V value) {
        const std::lock_guard lock(writeLock_);
        const Snapshot current = load();
        auto copy = std::make_shared<Map>(*current);
        std::optional<V> previous;
        if (const auto it = copy->find(key); it != copy->end()) previous = it->second;
        (*copy)[key] = std::move(value);
        publish(std::move(copy));
        return previous;
    }
    //< ch08 put

    /// Adds every entry of `entries` in one write: readers see all of them or none.
    void putAll(const Map& entries) {
        const std::lock_guard lock(writeLock_);
        auto copy = std::make_shared<Map>(*load());
        for (const auto& [key, value] : entries) (*copy)[key] = value;
        publish(std::move(copy));
    }

    //> ch08 put-if-absent
    /// Maps `key` to `value` only if `key` has no value yet. Returns the value already there
    /// (and leaves the map alone), or nothing if this call inserted. Two threads racing to
    /// create the same partition's deque thus agree on one: the loser gets the winner's.
    std::optional<V> putIfAbsent(const K& key, V value) {
        const std::lock_guard lock(writeLock_);
        const Snapshot current = load();
        if (const auto it = current->find(key); it != current->end()) return it->second;
        auto copy = std::make_shared<Map>(*current);
        copy->emplace(key, std::move(value));
        publish(std::move(copy));
        return std::nullopt;
    }
    //< ch08 put-if-absent

    /// Removes `key` and returns the value it had, if any. Nothing is copied if it had none.
    std::optional<V> remove(const K& key) {
        const std::lock_guard lock(writeLock_);
        const Snapshot current = load();
        const auto it = current->find(key);
        if (it == current->end()) return std::nullopt;
        std::optional<V> previous = it->second;
        auto copy = std::make_shared<Map>(*current);
        copy->erase(key);
        publish(std::move(copy));
        return previous;
    }

    /// Publishes an empty map. Snapshots taken before keep their entries.
    void clear() {
        const std::lock_guard lock(writeLock_);
        publish(std::make_shared<Map>());
    }

private:
    //> ch08 publish
    // Not std::atomic<std::shared_ptr>: libstdc++ 12 has it, but its spin lock (a bit in the
    // control-block pointer) is invisible to ThreadSanitizer, which then reports races inside
    // it (google/sanitizers#1558). These overloads hold a pool mutex for the pointer copy only,
    // never writeLock_, so no reader waits for a writer's O(n) copy. Each load still writes the
    // pool mutex and the reference count; chapter 8's benchmark shows what that costs.
    Snapshot load() const { return std::atomic_load_explicit(&map_, std::memory_order_acquire); }

    // Called with writeLock_ held: writers never race each other, only readers.
    void publish(std::shared_ptr<Map> next) {
        std::atomic_store_explicit(&map_, Snapshot(std::move(next)), std::memory_order_release);
    }

    Snapshot map_;          // only ever touched through load() and publish()
    std::mutex writeLock_;  // Java: synchronized on the map object
    //< ch08 publish
};

}  // namespace kafka::common::utils
