//@ ch11
#pragma once

#include <cstdint>
#include <map>
#include <span>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::common::requests {

/// "Append these record batches": one batch per partition, all for partitions the destination
/// broker leads, with the acknowledgement the producer wants (acks) and how long the broker
/// may take to get it (timeout). Chapter 17 puts it on the wire.
class ProduceRequest final : public AbstractRequest {
public:
    /// `partitionRecords` are views of each batch's record batch v2 bytes: the sender keeps
    /// the batches alive until the request is answered, so nothing is copied on the way.
    ProduceRequest(std::int16_t acks, std::int32_t timeoutMs,
                   std::map<TopicPartition, std::span<const std::uint8_t>> partitionRecords)
        : acks_(acks), timeoutMs_(timeoutMs), partitionRecords_(std::move(partitionRecords)) {}

    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kProduce; }
    /// 0: no answer at all; 1: the leader wrote it; -1: every in-sync replica has it.
    std::int16_t acks() const { return acks_; }
    std::int32_t timeoutMs() const { return timeoutMs_; }
    const std::map<TopicPartition, std::span<const std::uint8_t>>& partitionRecords() const {
        return partitionRecords_;
    }
    //> ch14
    /// Versions 3 to 8: one record batch v2 per partition, grouped by topic.
    void write(protocol::Writable& out, std::int16_t version) const override;
    std::size_t sizeHint() const override {
        std::size_t bytes = 64;
        for (const auto& [tp, records] : partitionRecords_) {
            /*> ch14-17 hint-with-records
            bytes += tp.topic.size() + records.size() + 16;
            */
            //> ch17 hint-without-records
            // The records are lent to the send, not copied into the frame (chapter 17).
            bytes += tp.topic.size() + 16;
            //< ch17 hint-without-records
        }
        return bytes;
    }
    //< ch14
    //> ch30
    /// The broker's side. The batches are views of `in`'s bytes, which must outlive the
    /// request; transactional_id is read and dropped (there are no transactions here).
    static std::shared_ptr<const ProduceRequest> parse(protocol::Readable& in,
                                                       std::int16_t version);
    //< ch30

private:
    std::int16_t acks_;
    std::int32_t timeoutMs_;
    std::map<TopicPartition, std::span<const std::uint8_t>> partitionRecords_;
};

}  // namespace kafka::common::requests
