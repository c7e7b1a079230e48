// Chapter 8 demo: readers look partitions up without waiting while a writer adds partitions.
// Each reader keeps the snapshots it saw; at the end we print what each one saw and when the
// map it held changed, so you can see old snapshots living on next to newer ones.
#include <atomic>
#include <chrono>
#include <deque>
#include <iostream>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/utils/CopyOnWriteMap.h"

using kafka::common::TopicPartition;
using kafka::common::utils::CopyOnWriteMap;

namespace {

using Deque = std::deque<std::string>;
using Batches = CopyOnWriteMap<TopicPartition, std::shared_ptr<Deque>>;

constexpr int kPartitions = 6;
constexpr int kReaders = 2;

struct Sighting {
    long lookups = 0;      // how many get() calls the reader had done at this point
    std::size_t size = 0;  // partitions in the snapshot it took
};

}  // namespace

int main() {
    Batches batches;
    batches.putIfAbsent({"orders", 0}, std::make_shared<Deque>());

    std::atomic<bool> writerDone{false};
    std::latch start(kReaders + 1);
    std::vector<std::vector<Sighting>> seen(kReaders);
    std::vector<long> hits(kReaders, 0);

    std::vector<std::jthread> readers;
    for (int r = 0; r < kReaders; ++r) {
        readers.emplace_back([&, r] {
            start.arrive_and_wait();
            long lookups = 0;
            std::shared_ptr<const Batches::Map> held;
            for (bool last = false; !last;) {
                last = writerDone.load();
                // What send() does on every record: find the partition's deque, no lock.
                if (batches.get({"orders", static_cast<int>(lookups % kPartitions)})) ++hits[r];
                ++lookups;
                // What the Sender loop does: iterate one consistent snapshot.
                auto snapshot = batches.snapshot();
                if (snapshot != held) {
                    seen[r].push_back({lookups, snapshot->size()});
                    held = std::move(snapshot);
                }
            }
            seen[r].push_back({lookups, held->size()});
        });
    }

    std::thread writer([&] {
        start.arrive_and_wait();
        for (int p = 1; p < kPartitions; ++p) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));  // partitions arrive slowly
            // What getOrCreateDeque does the first time a partition is seen.
            const auto existing = batches.putIfAbsent({"orders", p}, std::make_shared<Deque>());
            std::cout << "writer   published orders-" << p << " ("
                      << (existing ? "someone was first" : "new deque") << "), map now has "
                      << batches.size() << " partitions\n";
        }
        writerDone = true;
    });
    writer.join();
    readers.clear();  // joins them

    for (int r = 0; r < kReaders; ++r) {
        std::cout << "reader " << r << ": " << seen[r].back().lookups << " lookups, " << hits[r]
                  << " found a deque; the snapshots it held:\n";
        for (std::size_t i = 0; i + 1 < seen[r].size(); ++i)
            std::cout << "    from lookup " << seen[r][i].lookups << ": " << seen[r][i].size
                      << (seen[r][i].size == 1 ? " partition\n" : " partitions\n");
    }
    std::cout << "No reader waited for the writer's copy; each one moved to a newer map only\n"
                 "when it next asked, and never saw a map with a partition half added.\n";
    return 0;
}
