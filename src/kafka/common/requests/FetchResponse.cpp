//@ ch30
#include "kafka/common/requests/FetchResponse.h"

#include "kafka/common/requests/RequestUtils.h"

namespace kafka::common::requests {

void FetchResponse::write(protocol::Writable& out, std::int16_t version) const {
    out.writeInt32(0);  // throttle_time_ms
    if (version >= 7) {
        out.writeInt16(0);  // error_code: no session error
        out.writeInt32(0);  // session_id: none
    }
    writeByTopic(out, partitions_, [version](protocol::Writable& o, const PartitionData& data) {
        o.writeInt16(protocol::code(data.error));
        o.writeInt64(data.highWatermark);
        o.writeInt64(data.highWatermark);  // last_stable_offset: no transactions, so the same
        if (version >= 5) o.writeInt64(data.logStartOffset);
        o.writeArrayLength(0);                // aborted_transactions
        if (version >= 11) o.writeInt32(-1);  // preferred_read_replica: the leader itself
        o.writeBytes(data.records);
    });
}

std::shared_ptr<const FetchResponse> FetchResponse::parse(protocol::Readable& in,
                                                          std::int16_t version) {
    in.readInt32();  // throttle_time_ms
    if (version >= 7) {
        in.readInt16();  // error_code
        in.readInt32();  // session_id
    }
    std::map<TopicPartition, PartitionData> partitions;
    const std::size_t minPartitionSize = 4 + 2 + 8 + 8 + 4 + 4 + (version >= 5 ? 8 : 0);
    readByTopic(in, "responses", minPartitionSize,
                [&](protocol::Readable& i, const TopicPartition& tp) {
                    PartitionData data;
                    data.error = static_cast<protocol::Errors>(i.readInt16());
                    data.highWatermark = i.readInt64();
                    i.readInt64();  // last_stable_offset
                    if (version >= 5) data.logStartOffset = i.readInt64();
                    const auto aborted = i.readArrayLength("aborted_transactions", 8 + 8);
                    for (std::int32_t a = 0; a < aborted; ++a) {
                        i.readInt64();  // producer_id
                        i.readInt64();  // first_offset
                    }
                    if (version >= 11) i.readInt32();  // preferred_read_replica
                    const auto records = i.readBytes("records");
                    data.records.assign(records.begin(), records.end());
                    partitions.insert_or_assign(tp, std::move(data));
                });
    return std::make_shared<const FetchResponse>(std::move(partitions));
}

}  // namespace kafka::common::requests
