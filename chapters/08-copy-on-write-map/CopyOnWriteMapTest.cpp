// Chapter 8: the copy-on-write map: snapshots, putIfAbsent's one winner, and readers that never
// see a half-written map while writers run. The concurrent tests are meant for ThreadSanitizer.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/utils/CopyOnWriteMap.h"

namespace kafka::common::utils {
namespace {

using IntMap = CopyOnWriteMap<int, int>;

// What the accumulator stores: a shared deque per partition (batches are strings here).
using Deque = std::deque<std::string>;
using Batches = CopyOnWriteMap<TopicPartition, std::shared_ptr<Deque>>;

// Runs `body(i)` on `threads` threads that all start together, and joins them.
template <typename Body>
void runTogether(int threads, Body body) {
    std::latch start(threads);
    std::vector<std::jthread> workers;
    for (int i = 0; i < threads; ++i)
        workers.emplace_back([&, i] {
            start.arrive_and_wait();
            body(i);
        });
}

// Lets a writer make sure readers look at the map between two of its writes, so that the
// concurrent tests cannot pass by readers only ever seeing the first and the last map. Readers
// count the snapshots they checked; once `readers` + 1 more checks have finished since a write,
// at least one of them loaded its snapshot after that write (each reader has at most one check
// under way). Readers that stopped early (a failed ASSERT) no longer hold the writer up.
struct ReaderProgress {
    explicit ReaderProgress(int readers) : readers(readers), running(readers) {}

    void awaitACheckAfterThisWrite() const {
        const long target = checked.load() + readers + 1;
        while (checked.load() < target && running.load() > 0) std::this_thread::yield();
    }
    // A reader holds one of these while it reads; leaving, however it leaves, it stops counting.
    struct Reading {
        ~Reading() { --progress.running; }
        ReaderProgress& progress;
    };

    const int readers;
    std::atomic<long> checked{0};
    std::atomic<int> running;
};

TEST(CopyOnWriteMap, GetReturnsTheValueOrNothing) {
    IntMap map;
    EXPECT_TRUE(map.empty());
    EXPECT_EQ(map.get(1), std::nullopt);
    EXPECT_EQ(map.put(1, 10), std::nullopt);
    EXPECT_EQ(map.get(1), 10);
    EXPECT_TRUE(map.containsKey(1));
    EXPECT_FALSE(map.containsKey(2));
    EXPECT_EQ(map.size(), 1u);
}

TEST(CopyOnWriteMap, PutReturnsTheValueItReplaced) {
    IntMap map;
    map.put(1, 10);
    EXPECT_EQ(map.put(1, 11), 10);
    EXPECT_EQ(map.get(1), 11);
    EXPECT_EQ(map.size(), 1u);
}

TEST(CopyOnWriteMap, ASnapshotTakenBeforeAPutDoesNotShowTheNewKey) {
    IntMap map;
    map.put(1, 10);
    const auto before = map.snapshot();
    map.put(2, 20);
    map.put(1, 11);
    EXPECT_EQ(before->size(), 1u);
    EXPECT_FALSE(before->contains(2));
    EXPECT_EQ(before->at(1), 10);  // nor the new value of an old key
    EXPECT_EQ(map.snapshot()->size(), 2u);
    EXPECT_NE(map.snapshot(), before);  // every write publishes a new map
}

TEST(CopyOnWriteMap, PutIfAbsentReturnsTheExistingValueAndLeavesTheMapAlone) {
    IntMap map;
    EXPECT_EQ(map.putIfAbsent(1, 10), std::nullopt);  // inserted
    const auto published = map.snapshot();
    EXPECT_EQ(map.putIfAbsent(1, 99), 10);  // already there: the old value comes back
    EXPECT_EQ(map.get(1), 10);
    EXPECT_EQ(map.snapshot(), published);  // nothing was copied or published
}

TEST(CopyOnWriteMap, RemoveReturnsTheValueAndOlderSnapshotsKeepIt) {
    IntMap map;
    map.put(1, 10);
    map.put(2, 20);
    const auto before = map.snapshot();
    EXPECT_EQ(map.remove(1), 10);
    EXPECT_EQ(map.remove(1), std::nullopt);
    EXPECT_FALSE(map.containsKey(1));
    EXPECT_EQ(map.size(), 1u);
    EXPECT_EQ(before->at(1), 10);
}

TEST(CopyOnWriteMap, ClearPublishesAnEmptyMapAndOlderSnapshotsKeepTheirEntries) {
    IntMap map({{1, 10}, {2, 20}});
    const auto before = map.snapshot();
    map.clear();
    EXPECT_TRUE(map.empty());
    EXPECT_EQ(map.get(1), std::nullopt);
    EXPECT_EQ(before->size(), 2u);
}

TEST(CopyOnWriteMap, PutAllShowsEveryEntryInOneWrite) {
    IntMap map;
    map.putAll({{1, 10}, {2, 20}, {3, 30}});
    EXPECT_EQ(map.size(), 3u);
    map.putAll({{3, 31}, {4, 40}});
    EXPECT_EQ(map.get(3), 31);
    EXPECT_EQ(map.size(), 4u);
}

// RecordAccumulator.getOrCreateDeque: every thread that races to create a partition's deque
// must end up appending to the same one, or batches would be lost in a deque nobody drains.
TEST(CopyOnWriteMap, ConcurrentPutIfAbsentHasOneWinnerAndEveryCallerGetsTheWinnersValue) {
    constexpr int kThreads = 8;
    constexpr int kRounds = 200;  // a fresh partition each round, so the race happens again
    for (int round = 0; round < kRounds; ++round) {
        Batches batches;
        const TopicPartition tp{"orders", round};
        std::vector<std::shared_ptr<Deque>> mine(kThreads);
        std::vector<std::shared_ptr<Deque>> got(kThreads);
        std::atomic<int> winners{0};
        runTogether(kThreads, [&](int i) {
            mine[i] = std::make_shared<Deque>();
            const auto previous = batches.putIfAbsent(tp, mine[i]);
            if (!previous) ++winners;
            got[i] = previous.value_or(mine[i]);
        });
        ASSERT_EQ(winners.load(), 1) << "round " << round;
        const auto stored = batches.get(tp);
        ASSERT_TRUE(stored.has_value());
        const int winner =
            static_cast<int>(std::find(mine.begin(), mine.end(), *stored) - mine.begin());
        ASSERT_LT(winner, kThreads) << "the stored deque is one of the callers'";
        for (int i = 0; i < kThreads; ++i)
            EXPECT_EQ(got[i], *stored) << "thread " << i << " in round " << round;
        EXPECT_EQ(batches.size(), 1u);
    }
}

// Two writers each add pairs {k, k + 1000} in one putAll, k stepping through their own keys
// (writer 0 the even ones, writer 1 the odd ones), always mapping both to k. Any map a reader
// can see must then be: an even number of entries; every k < 1000 paired with k + 1000, both
// valued k; and each writer's keys a prefix of its sequence. A map caught half-way through a
// copy, or one write lost to the other, breaks one of these. Snapshots also never shrink.
TEST(CopyOnWriteMap, ReadersNeverSeeAHalfWrittenMapWhileWritersAddPairs) {
    constexpr int kWriters = 2;
    constexpr int kReaders = 2;
    constexpr int kPairsPerWriter = 200;
    constexpr int kPartner = 1000;
    IntMap map;
    ReaderProgress progress(kReaders);
    std::atomic<int> writersDone{0};
    std::mutex sizesLock;
    std::set<std::size_t> sizesSeen;

    auto checkConsistent = [&](const IntMap::Map& seen) {
        if (seen.size() % 2 != 0) return ::testing::AssertionFailure() << "odd size";
        int count[kWriters] = {};
        for (const auto& [key, value] : seen) {
            const int k = key < kPartner ? key : key - kPartner;
            if (value != k) return ::testing::AssertionFailure() << key << " -> " << value;
            const auto partner = seen.find(key < kPartner ? key + kPartner : k);
            if (partner == seen.end())
                return ::testing::AssertionFailure() << key << " without its partner";
            if (key < kPartner) ++count[k % kWriters];
        }
        for (int w = 0; w < kWriters; ++w)
            for (int j = 0; j < count[w]; ++j)
                if (!seen.contains(w + j * kWriters))
                    return ::testing::AssertionFailure()
                           << "writer " << w << " has a gap at " << w + j * kWriters;
        return ::testing::AssertionSuccess();
    };

    runTogether(kWriters + kReaders, [&](int i) {
        if (i < kWriters) {
            for (int j = 0; j < kPairsPerWriter; ++j) {
                const int k = i + j * kWriters;
                map.putAll({{k, k}, {k + kPartner, k}});
                progress.awaitACheckAfterThisWrite();
            }
            ++writersDone;
            return;
        }
        std::set<std::size_t> sizes;
        {
            const ReaderProgress::Reading reading{progress};
            bool last = false;
            while (!last) {
                last = writersDone.load() == kWriters;  // one more look after the writers end
                const auto seen = map.snapshot();
                ASSERT_TRUE(checkConsistent(*seen));
                ASSERT_TRUE(sizes.empty() || seen->size() >= *sizes.rbegin())
                    << "a snapshot went back in time";
                sizes.insert(seen->size());
                ++progress.checked;
            }
            EXPECT_EQ(*sizes.rbegin(), 2u * kWriters * kPairsPerWriter);
        }
        const std::lock_guard lock(sizesLock);
        sizesSeen.insert(sizes.begin(), sizes.end());
    });
    EXPECT_EQ(map.size(), 2u * kWriters * kPairsPerWriter);  // no write was lost
    // Each writer waited for a look at the map after each of its writes, so the readers saw
    // at least one map per write of either writer, not just the first and the last.
    EXPECT_GE(sizesSeen.size(), static_cast<std::size_t>(kPairsPerWriter));
}

// The same property for updates of existing keys: a writer sets every key to the same new
// version in one putAll, so a reader that sees two different versions in one map saw it torn.
TEST(CopyOnWriteMap, ReadersNeverSeeAHalfUpdatedMap) {
    constexpr int kKeys = 64;
    constexpr int kVersions = 300;
    constexpr int kReaders = 2;
    IntMap::Map all;
    for (int k = 0; k < kKeys; ++k) all.emplace(k, 0);
    IntMap map(all);
    ReaderProgress progress(kReaders);
    std::atomic<bool> done{false};
    std::atomic<int> versionsSeen{0};
    runTogether(1 + kReaders, [&](int i) {
        if (i == 0) {
            for (int version = 1; version <= kVersions; ++version) {
                for (auto& entry : all) entry.second = version;
                map.putAll(all);
                progress.awaitACheckAfterThisWrite();
            }
            done = true;
            return;
        }
        const ReaderProgress::Reading reading{progress};
        int lastVersion = -1;
        while (!done.load()) {
            const auto seen = map.snapshot();
            ASSERT_EQ(seen->size(), static_cast<std::size_t>(kKeys));
            const int version = seen->at(0);
            for (const auto& [key, value] : *seen)
                ASSERT_EQ(value, version) << "key " << key << " is from another write";
            ASSERT_GE(version, lastVersion);
            if (version != lastVersion) ++versionsSeen;
            lastVersion = version;
            // get() reads whatever is current, so it can only be as new or newer.
            const auto now = map.get(kKeys - 1);
            ASSERT_TRUE(now.has_value());
            ASSERT_GE(*now, version);
            ++progress.checked;
        }
    });
    EXPECT_EQ(map.get(0), kVersions);
    EXPECT_GE(versionsSeen.load(), kVersions);  // a look between every two writes
}

// Iterating a snapshot is safe however long it takes: halfway through, the reader waits for a
// writer to publish a newer map, and still finishes with exactly the entries it started with,
// each once. (Iterating a std::unordered_map that another thread inserts into could skip
// entries, repeat them after a rehash, or crash; ThreadSanitizer would report the race.)
TEST(CopyOnWriteMap, IteratingASnapshotWhileWritersChangeTheMapSeesEachEntryOnce) {
    constexpr int kWrites = 400;
    constexpr int kReaders = 2;
    IntMap map;
    for (int k = 0; k < 100; ++k) map.put(k, k);
    ReaderProgress progress(kReaders);
    std::atomic<bool> aReaderIsHalfway{false};
    std::atomic<int> writersDone{0};
    std::atomic<int> changedMidIteration{0};
    runTogether(2 + kReaders, [&](int i) {
        if (i < 2) {  // writer 0 adds keys from 1000 up, writer 1 removes the first hundred
            // Start once a reader is in the middle of the first map, so at least one
            // iteration is certain to have the map change under it.
            while (!aReaderIsHalfway.load() && progress.running.load() > 0)
                std::this_thread::yield();
            for (int j = 0; j < kWrites; ++j) {
                if (i == 0) map.put(1000 + j, j);
                if (i == 1) map.remove(j % 100);
            }
            ++writersDone;
            return;
        }
        const ReaderProgress::Reading reading{progress};
        while (writersDone.load() < 2) {
            const auto seen = map.snapshot();
            const std::map<int, int> atTheStart(seen->begin(), seen->end());
            std::map<int, int> iterated;
            std::size_t visited = 0;
            for (const auto& [key, value] : *seen) {
                if (visited++ == seen->size() / 2) {
                    aReaderIsHalfway = true;
                    // `seen` keeps the old map alive, so a new one cannot share its address.
                    while (map.snapshot() == seen && writersDone.load() < 2)
                        std::this_thread::yield();
                    if (map.snapshot() != seen) ++changedMidIteration;
                }
                ASSERT_TRUE(iterated.emplace(key, value).second) << "key " << key << " twice";
            }
            ASSERT_EQ(iterated, atTheStart);
            ++progress.checked;
        }
    });
    EXPECT_EQ(map.size(), static_cast<std::size_t>(kWrites));  // the first hundred are gone
    EXPECT_GE(changedMidIteration.load(), 1);
}

// The values outlive the map version they came from: a deque got from the map stays usable
// after the map has been cleared, as the accumulator's deques must while the Sender drains.
TEST(CopyOnWriteMap, AValueGotFromTheMapOutlivesTheMapVersionItCameFrom) {
    Batches batches;
    const TopicPartition tp{"orders", 0};
    batches.putIfAbsent(tp, std::make_shared<Deque>());
    const auto deque = batches.get(tp);
    ASSERT_TRUE(deque.has_value());
    batches.clear();
    (*deque)->push_back("batch-1");
    EXPECT_EQ((*deque)->size(), 1u);
    EXPECT_FALSE(batches.containsKey(tp));
}

}  // namespace
}  // namespace kafka::common::utils
