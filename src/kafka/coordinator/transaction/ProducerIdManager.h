//@ ch36
#pragma once

#include <cstdint>
//> ch37
#include <filesystem>
//< ch37
#include <mutex>

namespace kafka::coordinator::transaction {

/// Hands out producer ids (Kafka's ProducerIdManager): each InitProducerId from an idempotent
/// producer gets a new one. In Kafka the ids must be unique across the whole cluster and its
/// whole life, so brokers take blocks of 1,000 ids from the controller (KRaft) or, before
/// Kafka 3.x, from ZooKeeper, and hand them out one by one.
//> ch37 durable-blocks-doc
/// This broker is a cluster of one: it writes the end of its current block to a file in its
/// first log directory before it hands out an id of the block, so that after a restart, even
/// a crash, it starts from the next block and never repeats an id.
//< ch37 durable-blocks-doc
class ProducerIdManager {
public:
    static constexpr std::int64_t kBlockSize = 1'000;

    /*> ch36-37 in-memory-only
    ProducerIdManager() = default;
    */
    //> ch37
    /// Blocks recorded in `blockFile` (created if missing).
    explicit ProducerIdManager(std::filesystem::path blockFile);
    //< ch37

    /// A producer id never handed out before by this manager.
    std::int64_t generateProducerId();

private:
    //> ch37
    void allocateNewBlock();
    //< ch37

    std::mutex mutex_;
    std::int64_t nextProducerId_ = 0;
    std::int64_t blockEnd_ = 0;  // the first id of the next block
    //> ch37
    std::filesystem::path blockFile_;
    //< ch37
};

}  // namespace kafka::coordinator::transaction
