//@ ch30
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include "kafka/common/TopicPartition.h"
#include "kafka/log/LogManager.h"
#include "kafka/server/DelayedOperation.h"

namespace kafka::server {

/// A fetch that found less than its min.bytes and waits for more (Kafka's DelayedFetch). It
/// can complete once its partitions hold min.bytes past the offsets it asked for, counted by
/// position in each log, without reading a byte; or when one of them goes away or is
/// truncated below its offset (news the consumer must have at once); or at max.wait.ms. Only
/// then does it read, once, and answer.
class DelayedFetch : public DelayedOperation {
public:
    /// Where one partition's read starts, and the most it may take.
    struct PartitionStatus {
        std::int64_t fetchOffset = 0;
        std::int32_t maxBytes = 0;
    };

    DelayedFetch(std::int64_t maxWaitMs, std::int32_t minBytes,
                 std::map<common::TopicPartition, PartitionStatus> partitions,
                 std::shared_ptr<const log::LogManager> logs, std::function<void()> respond);

    bool tryComplete() override;

private:
    void onComplete() override;

    const std::int32_t minBytes_;
    const std::map<common::TopicPartition, PartitionStatus> partitions_;
    const std::shared_ptr<const log::LogManager> logs_;
    std::function<void()> respond_;  // reads and answers; let go once it has run
};

}  // namespace kafka::server
