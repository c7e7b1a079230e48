//@ ch04
#include "kafka/clients/producer/internals/ProducerBatch.h"

#include "kafka/common/record/AbstractRecords.h"

namespace kafka::clients::producer::internals {

using common::record::AbstractRecords;

namespace {
std::int32_t sizeOrMinusOne(const std::optional<common::utils::Bytes>& bytes) {
    return bytes ? static_cast<std::int32_t>(bytes->size()) : -1;
}
}  // namespace

ProducerBatch::ProducerBatch(common::TopicPartition topicPartition, std::int32_t batchSizeLimit,
                             std::int64_t createdMs)
    : topicPartition_(std::move(topicPartition)),
      batchSizeLimit_(batchSizeLimit),
      createdMs_(createdMs),
      lastAppendTime_(createdMs),
      estimatedSizeInBytes_(AbstractRecords::kRecordBatchOverhead) {}

//> ch04 batch-try-append
std::optional<RecordMetadataFuture> ProducerBatch::tryAppend(
    std::int64_t timestamp, std::optional<common::utils::Bytes> key,
    std::optional<common::utils::Bytes> value, common::header::Headers headers, Callback callback,
    std::int64_t nowMs) {
    const int recordSize = AbstractRecords::recordSizeUpperBound(key, value, headers);
    if (!records_.empty() && estimatedSizeInBytes_ + recordSize > batchSizeLimit_) {
        full_ = true;
        return std::nullopt;
    }
    estimatedSizeInBytes_ += recordSize;
    if (estimatedSizeInBytes_ >= batchSizeLimit_) full_ = true;
    lastAppendTime_ = nowMs;
    Thunk thunk{{}, std::move(callback), sizeOrMinusOne(key), sizeOrMinusOne(value)};
    RecordMetadataFuture future = thunk.promise.get_future().share();
    thunks_.push_back(std::move(thunk));
    records_.push_back({timestamp, std::move(key), std::move(value), std::move(headers)});
    return future;
}
//< ch04 batch-try-append

bool ProducerBatch::done(std::int64_t baseOffset, std::int64_t logAppendTime,
                         std::exception_ptr error) {
    if (done_) return false;
    done_ = true;
    for (std::size_t i = 0; i < thunks_.size(); ++i) {
        auto& thunk = thunks_[i];
        // With LogAppendTime the broker's clock stamps every record; else each keeps its own.
        const std::int64_t timestamp = logAppendTime >= 0 ? logAppendTime : records_[i].timestamp;
        const RecordMetadata metadata(topicPartition_, error ? -1 : baseOffset,
                                      error ? -1 : static_cast<std::int32_t>(i),
                                      error ? RecordMetadata::kNoTimestamp : timestamp,
                                      thunk.serializedKeySize, thunk.serializedValueSize);
        if (thunk.callback) thunk.callback(metadata, error);
        if (error)
            thunk.promise.set_exception(error);
        else
            thunk.promise.set_value(metadata);
    }
    return true;
}

}  // namespace kafka::clients::producer::internals
