//@ ch03
#pragma once

// Helpers shared by the chapters' tests (Kafka keeps its own in org.apache.kafka.test.TestUtils).

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kafka/common/Cluster.h"

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

}  // namespace kafka::test
