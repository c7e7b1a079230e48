//@ ch30
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"

namespace kafka::common::requests {

/// Most requests and responses carry per-partition data as two nested arrays: topics, each
/// with a name and its partitions, each starting with its index. These two helpers write and
/// read that shape once, so that each API says only what one partition holds.

/// Writes `byPartition` as [topic name, [partition index, ...]], calling
/// `writePartition(out, value)` for what follows each index. The map is ordered by topic, so
/// each topic's partitions are neighbours.
template <typename Value, typename WritePartition>
void writeByTopic(protocol::Writable& out, const std::map<TopicPartition, Value>& byPartition,
                  WritePartition writePartition) {
    std::map<std::string, std::int32_t> partitionsPerTopic;
    for (const auto& [tp, value] : byPartition) ++partitionsPerTopic[tp.topic];
    out.writeArrayLength(static_cast<std::int32_t>(partitionsPerTopic.size()));
    auto it = byPartition.begin();
    for (const auto& [topic, count] : partitionsPerTopic) {
        out.writeString(topic);
        out.writeArrayLength(count);
        for (std::int32_t i = 0; i < count; ++i, ++it) {
            out.writeInt32(it->first.partition);
            writePartition(out, it->second);
        }
    }
}

/// Reads the same shape, calling `readPartition(in, topicPartition)` for what follows each
/// index. `minPartitionSize` is the smallest encoding of one partition, index included: the
/// counts are checked against the bytes left before anything is allocated for them.
template <typename ReadPartition>
void readByTopic(protocol::Readable& in, const char* field, std::size_t minPartitionSize,
                 ReadPartition readPartition) {
    const auto topics = in.readArrayLength(field, 2 + 4);  // empty name, no partitions
    for (std::int32_t t = 0; t < topics; ++t) {
        const std::string topic = in.readString("topic name");
        const auto partitions = in.readArrayLength("partitions", minPartitionSize);
        for (std::int32_t p = 0; p < partitions; ++p) {
            const std::int32_t partition = in.readInt32();
            readPartition(in, TopicPartition{topic, partition});
        }
    }
}

}  // namespace kafka::common::requests
