//@ ch36
#pragma once

#include <atomic>
#include <cstdint>

namespace kafka::coordinator::transaction {

/// Hands out producer ids (Kafka's ProducerIdManager): each InitProducerId from an idempotent
/// producer gets a new one. In Kafka the ids must be unique across the whole cluster and its
/// whole life, so brokers take blocks of 1,000 ids from the controller (KRaft) or, before
/// Kafka 3.x, from ZooKeeper, and hand them out one by one. This broker is a cluster of one:
/// a counter is enough while it runs.
class ProducerIdManager {
public:
    explicit ProducerIdManager(std::int64_t firstProducerId = 0)
        : nextProducerId_(firstProducerId) {}

    /// A producer id never handed out before by this manager.
    std::int64_t generateProducerId() { return nextProducerId_.fetch_add(1); }

private:
    std::atomic<std::int64_t> nextProducerId_;
};

}  // namespace kafka::coordinator::transaction
