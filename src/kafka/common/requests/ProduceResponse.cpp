//@ ch14
#include "kafka/common/requests/ProduceResponse.h"
//> ch30
#include "kafka/common/requests/RequestUtils.h"
//< ch30

namespace kafka::common::requests {

namespace {

constexpr std::size_t kMinTopicSize = 2 + 4;              // empty name, no partitions
constexpr std::size_t kMinPartitionSize = 4 + 2 + 8 + 8;  // index, error, offset, time
constexpr std::size_t kMinRecordErrorSize = 4 + 2;        // batch_index, null message

}  // namespace

std::shared_ptr<const ProduceResponse> ProduceResponse::parse(protocol::Readable& in,
                                                              std::int16_t version) {
    std::map<TopicPartition, PartitionResponse> responses;
    const auto topics = in.readArrayLength("responses", kMinTopicSize);
    for (std::int32_t t = 0; t < topics; ++t) {
        const std::string topic = in.readString("topic name");
        const auto partitions = in.readArrayLength("partition_responses", kMinPartitionSize);
        for (std::int32_t p = 0; p < partitions; ++p) {
            const std::int32_t partition = in.readInt32();
            PartitionResponse response;
            response.error = static_cast<protocol::Errors>(in.readInt16());
            response.baseOffset = in.readInt64();
            response.logAppendTime = in.readInt64();  // v2+
            if (version >= 5) response.logStartOffset = in.readInt64();
            if (version >= 8) {
                const auto recordErrors = in.readArrayLength("record_errors", kMinRecordErrorSize);
                for (std::int32_t e = 0; e < recordErrors; ++e) {
                    [[maybe_unused]] const std::int32_t batchIndex = in.readInt32();
                    [[maybe_unused]] auto message =
                        in.readNullableString("batch_index_error_message");
                    //> ch31
                    response.recordErrors.push_back({batchIndex, std::move(message)});
                    //< ch31
                }
                response.errorMessage = in.readNullableString("error_message");
            }
            responses.insert_or_assign(TopicPartition{topic, partition}, std::move(response));
        }
    }
    const std::int32_t throttleTimeMs = in.readInt32();  // v1+
    return std::make_shared<const ProduceResponse>(std::move(responses), throttleTimeMs);
}

//> ch30
void ProduceResponse::write(protocol::Writable& out, std::int16_t version) const {
    writeByTopic(out, responses_, [version](protocol::Writable& o, const PartitionResponse& r) {
        o.writeInt16(protocol::code(r.error));
        o.writeInt64(r.baseOffset);
        o.writeInt64(r.logAppendTime);
        if (version >= 5) o.writeInt64(r.logStartOffset);
        if (version >= 8) {
            /*> ch30-31 no-record-errors
            o.writeArrayLength(0);  // record_errors
            */
            //> ch31 write-record-errors
            o.writeArrayLength(static_cast<std::int32_t>(r.recordErrors.size()));
            for (const auto& error : r.recordErrors) {
                o.writeInt32(error.batchIndex);
                o.writeNullableString(error.message);
            }
            //< ch31 write-record-errors
            o.writeNullableString(r.errorMessage);
        }
    });
    out.writeInt32(throttleTimeMs_);
}
//< ch30

}  // namespace kafka::common::requests
