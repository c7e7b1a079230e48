//@ ch03
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kafka/common/Node.h"

namespace kafka::common {

/// One partition as the metadata describes it: who leads it (maybe nobody, during an
/// election), which brokers hold replicas, and which of those are in sync.
struct PartitionInfo {
    std::string topic;
    std::int32_t partition = 0;
    std::optional<Node> leader;
    std::vector<Node> replicas;
    std::vector<Node> inSyncReplicas;

    bool operator==(const PartitionInfo&) const = default;
};

}  // namespace kafka::common
