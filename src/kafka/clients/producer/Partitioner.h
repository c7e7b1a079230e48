//@ ch06
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kafka/common/Cluster.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::clients::producer {

/// Chooses the partition of a record that did not name one. It sees the serialized key and
/// value and the current cluster; send() calls it after serializing (chapter 4).
class Partitioner {
public:
    virtual ~Partitioner() = default;

    virtual std::int32_t partition(const std::string& topic,
                                   std::optional<common::utils::ByteView> keyBytes,
                                   std::optional<common::utils::ByteView> valueBytes,
                                   const common::Cluster& cluster) = 0;

    /// Called when the chosen partition's last batch was full and a new batch is about to be
    /// started: a sticky partitioner moves on to another partition here (KIP-480).
    virtual void onNewBatch(const std::string& /*topic*/, const common::Cluster& /*cluster*/,
                            std::int32_t /*prevPartition*/) {}
};

}  // namespace kafka::clients::producer
