//@ ch03
#pragma once

// Helpers shared by the chapters' tests (Kafka keeps its own in org.apache.kafka.test.TestUtils).

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kafka/common/Cluster.h"
//> ch04
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <thread>
//< ch04
//> ch11
#include <filesystem>
#include <fstream>

#include "kafka/clients/producer/RecordMetadata.h"
#include "kafka/clients/producer/internals/FutureRecordMetadata.h"
//< ch11

namespace kafka::test {

/// A cluster of one broker (id 1, localhost:9092) leading every partition of `topic`, except
/// those listed in `leaderless`, which have no leader (as during an election).
inline std::shared_ptr<const common::Cluster> singletonCluster(const std::string& topic,
                                                               int partitions,
                                                               std::set<int> leaderless = {}) {
    const common::Node broker(1, "localhost", 9092);
    std::vector<common::PartitionInfo> infos;
    for (int p = 0; p < partitions; ++p) {
        const auto leader = leaderless.contains(p) ? std::nullopt : std::optional(broker);
        infos.push_back({topic, p, leader, {broker}, {broker}});
    }
    return std::make_shared<common::Cluster>("test-cluster", std::vector<common::Node>{broker},
                                             std::move(infos));
}

//> ch04
/// Runs `body` (a call that must not hang: flush(), close()) and waits at most `limit` for it.
/// A call that does not return is a bug that would hang the whole test program, and no test
/// after it could run: the program says which call hung, and ends with exit code 1.
template <class Body>
void mustReturnWithin(std::chrono::seconds limit, const char* what, Body body) {
    auto finished = std::make_shared<std::promise<void>>();
    auto done = finished->get_future();
    std::thread([finished, body = std::move(body)]() mutable {
        body();
        finished->set_value();
    }).detach();
    if (done.wait_for(limit) == std::future_status::ready) return;
    std::fprintf(stderr, "FAILED: %s did not return within %lld s: it hangs\n", what,
                 static_cast<long long>(limit.count()));
    std::fflush(nullptr);
    std::_Exit(1);
}
//< ch04

//> ch10
/// Spins until `condition` holds (another thread changes it within a millisecond or so of real
/// time). The ten-second bound only turns a bug into a failure instead of a hang.
template <class Condition>
bool eventually(Condition condition) {
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!condition()) {
        if (std::chrono::steady_clock::now() > giveUp) return false;
        std::this_thread::yield();
    }
    return true;
}
//< ch10

//> ch11
/// The names of this process's threads, as Linux keeps them (the first 15 characters).
inline std::vector<std::string> threadNames() {
    std::vector<std::string> names;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        std::getline(comm, name);
        names.push_back(name);
    }
    return names;
}

/// What became of a record so far: "<not done>", "<no error>", or its error's message.
inline std::string outcomeOf(const clients::producer::RecordMetadataFuture& future) {
    if (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return "<not done>";
    try {
        future.get();
        return "<no error>";
    } catch (const std::exception& e) {
        return e.what();
    }
}
//< ch11

}  // namespace kafka::test
