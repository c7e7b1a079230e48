//@ ch30
#include "kafka/common/requests/ListOffsetsResponse.h"

#include "kafka/common/requests/RequestUtils.h"

namespace kafka::common::requests {

void ListOffsetsResponse::write(protocol::Writable& out, std::int16_t version) const {
    if (version >= 2) out.writeInt32(0);  // throttle_time_ms
    writeByTopic(out, partitions_, [version](protocol::Writable& o, const PartitionData& data) {
        o.writeInt16(protocol::code(data.error));
        o.writeInt64(data.timestamp);
        o.writeInt64(data.offset);
        if (version >= 4) o.writeInt32(data.leaderEpoch);
    });
}

std::shared_ptr<const ListOffsetsResponse> ListOffsetsResponse::parse(protocol::Readable& in,
                                                                      std::int16_t version) {
    if (version >= 2) in.readInt32();  // throttle_time_ms
    std::map<TopicPartition, PartitionData> partitions;
    readByTopic(in, "topics", 4 + 2 + 8 + 8, [&](protocol::Readable& i, const TopicPartition& tp) {
        PartitionData data;
        data.error = static_cast<protocol::Errors>(i.readInt16());
        data.timestamp = i.readInt64();
        data.offset = i.readInt64();
        if (version >= 4) data.leaderEpoch = i.readInt32();
        partitions.insert_or_assign(tp, data);
    });
    return std::make_shared<const ListOffsetsResponse>(std::move(partitions));
}

}  // namespace kafka::common::requests
