//@ ch30
#include "kafka/common/requests/ListOffsetsRequest.h"

#include "kafka/common/requests/RequestUtils.h"

namespace kafka::common::requests {

void ListOffsetsRequest::write(protocol::Writable& out, std::int16_t version) const {
    out.writeInt32(-1);                  // replica_id: a client, not a follower
    if (version >= 2) out.writeInt8(0);  // isolation_level: read uncommitted
    writeByTopic(out, partitions_, [version](protocol::Writable& o, const PartitionData& data) {
        if (version >= 4) o.writeInt32(data.currentLeaderEpoch);
        o.writeInt64(data.timestamp);
    });
}

std::shared_ptr<const ListOffsetsRequest> ListOffsetsRequest::parse(protocol::Readable& in,
                                                                    std::int16_t version) {
    in.readInt32();                   // replica_id
    if (version >= 2) in.readInt8();  // isolation_level: there are no transactions here
    std::map<TopicPartition, PartitionData> partitions;
    readByTopic(in, "topics", 4 + 8, [&](protocol::Readable& i, const TopicPartition& tp) {
        PartitionData data;
        if (version >= 4) data.currentLeaderEpoch = i.readInt32();
        data.timestamp = i.readInt64();
        partitions.insert_or_assign(tp, data);
    });
    return std::make_shared<const ListOffsetsRequest>(std::move(partitions));
}

}  // namespace kafka::common::requests
