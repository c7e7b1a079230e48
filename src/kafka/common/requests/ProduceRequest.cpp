//@ ch14
#include "kafka/common/requests/ProduceRequest.h"
//> ch30
#include "kafka/common/requests/RequestUtils.h"
//< ch30

#include <string>
#include <vector>

namespace kafka::common::requests {

//> ch14 produce-request-write
void ProduceRequest::write(protocol::Writable& out, [[maybe_unused]] std::int16_t version) const {
    // The map is ordered by topic, then partition: each topic's partitions are neighbours.
    std::vector<std::vector<std::pair<std::int32_t, std::span<const std::uint8_t>>>> byTopic;
    std::vector<std::string> topics;
    for (const auto& [tp, records] : partitionRecords_) {
        if (topics.empty() || topics.back() != tp.topic) {
            topics.push_back(tp.topic);
            byTopic.emplace_back();
        }
        byTopic.back().emplace_back(tp.partition, records);
    }
    out.writeNullableString(std::nullopt);  // transactional_id (v3+): not transactional
    out.writeInt16(acks_);
    out.writeInt32(timeoutMs_);
    out.writeArrayLength(static_cast<std::int32_t>(topics.size()));
    for (std::size_t t = 0; t < topics.size(); ++t) {
        out.writeString(topics[t]);
        out.writeArrayLength(static_cast<std::int32_t>(byTopic[t].size()));
        for (const auto& [partition, records] : byTopic[t]) {
            out.writeInt32(partition);
            out.writeRecords(records);  // the batch exactly as the accumulator built it
        }
    }
}
//< ch14 produce-request-write

//> ch30
std::shared_ptr<const ProduceRequest> ProduceRequest::parse(protocol::Readable& in,
                                                            [[maybe_unused]] std::int16_t version) {
    in.readNullableString("transactional_id");
    const std::int16_t acks = in.readInt16();
    const std::int32_t timeoutMs = in.readInt32();
    std::map<TopicPartition, std::span<const std::uint8_t>> partitionRecords;
    readByTopic(in, "topic_data", 4 + 4, [&](protocol::Readable& i, const TopicPartition& tp) {
        partitionRecords.insert_or_assign(tp, i.readBytes("records"));
    });
    return std::make_shared<const ProduceRequest>(acks, timeoutMs, std::move(partitionRecords));
}
//< ch30

}  // namespace kafka::common::requests
