//@ ch30
#include "kafka/common/requests/FetchRequest.h"

#include "kafka/common/requests/RequestUtils.h"

namespace kafka::common::requests {

void FetchRequest::write(protocol::Writable& out, std::int16_t version) const {
    out.writeInt32(-1);  // replica_id: a consumer, not a follower
    out.writeInt32(maxWaitMs_);
    out.writeInt32(minBytes_);
    out.writeInt32(maxBytes_);
    out.writeInt8(0);  // isolation_level: read uncommitted
    if (version >= 7) {
        out.writeInt32(0);   // session_id
        out.writeInt32(-1);  // session_epoch: a full fetch, no session
    }
    writeByTopic(out, partitions_, [version](protocol::Writable& o, const PartitionData& data) {
        if (version >= 9) o.writeInt32(data.currentLeaderEpoch);
        o.writeInt64(data.fetchOffset);
        if (version >= 5) o.writeInt64(data.logStartOffset);
        o.writeInt32(data.partitionMaxBytes);
    });
    if (version >= 7) out.writeArrayLength(0);  // forgotten_topics_data
    if (version >= 11) out.writeString("");     // rack_id
}

std::shared_ptr<const FetchRequest> FetchRequest::parse(protocol::Readable& in,
                                                        std::int16_t version) {
    in.readInt32();  // replica_id
    const std::int32_t maxWaitMs = in.readInt32();
    const std::int32_t minBytes = in.readInt32();
    const std::int32_t maxBytes = in.readInt32();
    in.readInt8();  // isolation_level: there are no transactions here
    if (version >= 7) {
        in.readInt32();  // session_id
        in.readInt32();  // session_epoch: every fetch is served in full
    }
    std::map<TopicPartition, PartitionData> partitions;
    const std::size_t minPartitionSize =
        4 + 8 + 4 + (version >= 5 ? 8 : 0) + (version >= 9 ? 4 : 0);
    readByTopic(in, "topics", minPartitionSize,
                [&](protocol::Readable& i, const TopicPartition& tp) {
                    PartitionData data;
                    if (version >= 9) data.currentLeaderEpoch = i.readInt32();
                    data.fetchOffset = i.readInt64();
                    if (version >= 5) data.logStartOffset = i.readInt64();
                    data.partitionMaxBytes = i.readInt32();
                    partitions.insert_or_assign(tp, data);
                });
    if (version >= 7) {
        // forgotten_topics_data only matters to sessions, which this broker does not keep.
        const auto topics = in.readArrayLength("forgotten_topics_data", 2 + 4);
        for (std::int32_t t = 0; t < topics; ++t) {
            in.readString("topic name");
            const auto count = in.readArrayLength("partitions", 4);
            for (std::int32_t p = 0; p < count; ++p) in.readInt32();
        }
    }
    if (version >= 11) in.readString("rack_id");
    return std::make_shared<const FetchRequest>(maxWaitMs, minBytes, maxBytes,
                                                std::move(partitions));
}

}  // namespace kafka::common::requests
