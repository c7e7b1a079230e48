//@ ch04
#include "kafka/clients/producer/internals/ProducerBatch.h"

#include "kafka/common/record/AbstractRecords.h"
#include "kafka/common/utils/LogContext.h"
//> ch07
#include "kafka/common/record/MemoryRecords.h"
//< ch07
//> ch36
#include "kafka/common/record/DefaultRecordBatch.h"
//< ch36
//> ch38
#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/CompressionRatioEstimator.h"
//< ch38

namespace kafka::clients::producer::internals {

using common::record::AbstractRecords;

namespace {
std::int32_t sizeOrMinusOne(std::optional<common::utils::ByteView> bytes) {
    return bytes ? static_cast<std::int32_t>(bytes->size()) : -1;
}

//> ch04 fire-callback
std::string topicPartitionOf(const RecordMetadata& metadata) {
    return metadata.topic() + "-" + std::to_string(metadata.partition());
}

// Runs the application's callback. Whatever it throws is its own bug, not the batch's: it is
// logged, and the next record's callback runs, as in Kafka's completeFutureAndFireCallbacks.
// Letting it escape would leave the batch half completed on the producer's only thread.
void fireCallback(const Callback& callback, const RecordMetadata& metadata,
                  const std::exception_ptr& error) {
    static const auto log = common::utils::LogContext().logger("ProducerBatch");
    try {
        callback(metadata, error);
    } catch (const std::exception& e) {
        log.error("Error executing user-provided callback on message for topic-partition '{}': {}",
                  topicPartitionOf(metadata), e.what());
    } catch (...) {
        log.error(
            "Error executing user-provided callback on message for topic-partition '{}': "
            "an exception that is not a std::exception",
            topicPartitionOf(metadata));
    }
}
//< ch04 fire-callback
}  // namespace

ProducerBatch::ProducerBatch(common::TopicPartition topicPartition, std::int32_t batchSizeLimit,
                             std::int64_t createdMs)
    : topicPartition_(std::move(topicPartition)),
      createdMs_(createdMs),
      lastAppendTime_(createdMs),
      /*> ch04-07 record-list-init
      batchSizeLimit_(batchSizeLimit),
      estimatedSizeInBytes_(AbstractRecords::kRecordBatchOverhead) {}
      */
      //> ch07
      recordsBuilder_(batchSizeLimit) {}
//< ch07

//> ch09
ProducerBatch::ProducerBatch(common::TopicPartition topicPartition,
                             common::record::MemoryRecordsBuilder recordsBuilder,
                             std::int64_t createdMs)
    : topicPartition_(std::move(topicPartition)),
      createdMs_(createdMs),
      lastAppendTime_(createdMs),
      recordsBuilder_(std::move(recordsBuilder)) {
    //> ch38 estimated-ratio
    // How many records fit is judged at the ratio this topic's batches have shown so far.
    recordsBuilder_.setEstimatedCompressionRatio(
        common::record::CompressionRatioEstimator::estimation(topicPartition_.topic,
                                                              recordsBuilder_.compressionType()));
    //< ch38 estimated-ratio
}
//< ch09

//> ch04 batch-try-append
std::optional<RecordMetadataFuture> ProducerBatch::tryAppend(
    std::int64_t timestamp, std::optional<common::utils::ByteView> key,
    std::optional<common::utils::ByteView> value, const common::header::Headers& headers,
    Callback&& callback, std::int64_t nowMs) {
    /*> ch04-07 estimate-size
    const auto recordSize = AbstractRecords::recordSizeUpperBound(key, value, headers);
    if (!records_.empty() && estimatedSizeInBytes_ + recordSize > batchSizeLimit_) {
        full_ = true;
        return std::nullopt;
    }
    estimatedSizeInBytes_ += recordSize;
    if (estimatedSizeInBytes_ >= batchSizeLimit_) full_ = true;
    */
    //> ch07 append-through-the-builder
    if (!recordsBuilder_.hasRoomFor(timestamp, key, value, headers)) {
        // A record that does not fit ends the batch: nothing will be appended to it again,
        // so it counts as full. Only appends are closed here; the header and its CRC wait
        // for the Sender's thread, so the application's thread never computes a CRC.
        recordsBuilder_.closeForRecordAppends();
        return std::nullopt;
    }
    recordsBuilder_.append(timestamp, key, value, headers);
    //< ch07 append-through-the-builder
    lastAppendTime_ = nowMs;
    RecordMetadataFuture future(produceFuture_, static_cast<std::int32_t>(thunks_.size()),
                                timestamp, sizeOrMinusOne(key), sizeOrMinusOne(value));
    thunks_.push_back({std::move(callback), timestamp, sizeOrMinusOne(key), sizeOrMinusOne(value)});
    /*> ch04-07 keep-record
    // The batch keeps its own copy: the views are the caller's bytes, valid during send().
    const auto own = [](std::optional<common::utils::ByteView> bytes) {
        return bytes ? std::optional<common::utils::Bytes>(std::in_place, bytes->begin(),
                                                           bytes->end())
                     : std::nullopt;
    };
    records_.push_back({timestamp, own(key), own(value), headers});
    */
    return future;
}
//< ch04 batch-try-append

/*> ch04-07 record-list-accessors
int ProducerBatch::recordCount() const { return static_cast<int>(records_.size()); }
int ProducerBatch::estimatedSizeInBytes() const { return estimatedSizeInBytes_; }
bool ProducerBatch::isFull() const { return full_; }
std::vector<ProducerBatch::Record> ProducerBatch::records() const { return records_; }
*/
//> ch07
int ProducerBatch::recordCount() const {
    return recordsBuilder_.numRecords();
}
int ProducerBatch::estimatedSizeInBytes() const {
    return recordsBuilder_.estimatedSizeInBytes();
}
bool ProducerBatch::isFull() const {
    return recordsBuilder_.isFull();
}

std::vector<ProducerBatch::Record> ProducerBatch::records() const {
    // Read back what was written: a closed copy of the builder is a complete batch.
    common::record::MemoryRecordsBuilder copy = recordsBuilder_;
    copy.close();
    std::vector<Record> records;
    for (const auto& batch : common::record::MemoryRecords::readableRecords(copy.build()).batches())
        for (const auto& record : batch.records())
            records.push_back({record.timestamp(), record.key(), record.value(), record.headers()});
    return records;
}

const common::utils::Bytes& ProducerBatch::closeAndBuild() {
    //> ch38
    const bool closing = !recordsBuilder_.isClosed();
    //< ch38
    recordsBuilder_.close();
    //> ch38 update-the-estimate
    // The ratio this batch really reached teaches the estimate for the next ones. (Kafka
    // updates it for uncompressed batches too, where it stays at 1; we skip the lock.)
    if (closing && recordsBuilder_.compression() && recordCount() > 0)
        common::record::CompressionRatioEstimator::updateEstimation(
            topicPartition_.topic, recordsBuilder_.compressionType(),
            recordsBuilder_.compressionRatio());
    //< ch38 update-the-estimate
    return recordsBuilder_.build();
}
//< ch07

//> ch38 await-the-split
void ProducerBatch::await() const {
    // The batch's own result, then every result its records moved to, and theirs in turn.
    std::vector<std::shared_ptr<const ProduceRequestResult>> pending{produceFuture_};
    while (!pending.empty()) {
        const auto result = pending.back();
        pending.pop_back();
        result->await();
        for (auto& moved : result->movedResults()) pending.push_back(std::move(moved));
    }
}
//< ch38 await-the-split

//> ch38 split
std::deque<std::shared_ptr<ProducerBatch>> ProducerBatch::split(int splitBatchSize) {
    const common::record::DefaultRecordBatch built(closeAndBuild());
    const auto records = built.records();  // decompressed
    if (records.size() != thunks_.size())
        throw common::errors::IllegalStateException(
            "Cannot split a batch of " + std::to_string(thunks_.size()) +
            " records whose bytes hold " + std::to_string(records.size()));
    std::deque<std::shared_ptr<ProducerBatch>> batches;
    for (std::size_t i = 0; i < records.size(); ++i) {
        // A new batch always takes its first record, however large.
        if (batches.empty() || !batches.back()->tryAppendForSplit(records[i], thunks_[i])) {
            if (!batches.empty()) batches.back()->recordsBuilder_.closeForRecordAppends();
            batches.push_back(createBatchOffAccumulatorForRecord(records[i], splitBatchSize));
            batches.back()->tryAppendForSplit(records[i], thunks_[i]);
        }
        // The record's future follows it to its new batch.
        produceFuture_->chain(static_cast<std::int32_t>(i),
                              {batches.back()->produceFuture_, batches.back()->recordCount() - 1});
    }
    if (!batches.empty()) batches.back()->recordsBuilder_.closeForRecordAppends();

    // This batch is done, with nothing left to call back: the thunks moved with the records.
    thunks_.clear();
    done_ = true;
    produceFuture_->set(-1, -1,
                        std::make_exception_ptr(common::errors::RecordBatchTooLargeException(
                            "The batch for " + topicPartition_.toString() + " was split")));
    produceFuture_->done();

    // The broker stored none of it: the new batches take its sequence numbers, in order, so
    // the partition's numbering has no gap.
    if (hasSequence()) {
        std::int32_t sequence = baseSequence();
        const common::utils::ProducerIdAndEpoch producerIdAndEpoch{producerId(), producerEpoch()};
        for (const auto& batch : batches) {
            batch->setProducerState(producerIdAndEpoch, sequence);
            sequence = common::record::DefaultRecordBatch::incrementSequence(sequence,
                                                                             batch->recordCount());
        }
    }
    return batches;
}

std::shared_ptr<ProducerBatch> ProducerBatch::createBatchOffAccumulatorForRecord(
    const common::record::DefaultRecord& record, int splitBatchSize) const {
    const auto size =
        std::max<std::int64_t>(splitBatchSize, AbstractRecords::estimateSizeInBytesUpperBound(
                                                   record.key(), record.value(), record.headers()));
    common::utils::Bytes buffer;
    buffer.reserve(static_cast<std::size_t>(size));
    auto batch = std::make_shared<ProducerBatch>(
        topicPartition_,
        common::record::MemoryRecordsBuilder(std::move(buffer), recordsBuilder_.compression(),
                                             splitBatchSize),
        createdMs_);
    batch->isSplitBatch_ = true;
    return batch;
}

bool ProducerBatch::tryAppendForSplit(const common::record::DefaultRecord& record, Thunk& thunk) {
    if (!recordsBuilder_.hasRoomFor(record.timestamp(), record.key(), record.value(),
                                    record.headers()))
        return false;
    recordsBuilder_.append(record.timestamp(), record.key(), record.value(), record.headers());
    thunks_.push_back(std::move(thunk));
    return true;
}
//< ch38 split

//> ch36 last-sequence
std::int32_t ProducerBatch::lastSequence() const {
    // The batch's records are numbered baseSequence, baseSequence + 1, ...
    return common::record::DefaultRecordBatch::incrementSequence(baseSequence(), recordCount() - 1);
}
//< ch36 last-sequence

//> ch04 batch-done
bool ProducerBatch::done(std::int64_t baseOffset, std::int64_t logAppendTime,
                         std::exception_ptr error) {
    if (done_) return false;
    done_ = true;
    produceFuture_->set(baseOffset, logAppendTime, error);
    for (std::size_t i = 0; i < thunks_.size(); ++i) {
        auto& thunk = thunks_[i];
        // With LogAppendTime the broker's clock stamps every record; else each keeps its own.
        const std::int64_t timestamp = logAppendTime >= 0 ? logAppendTime : thunk.timestamp;
        const RecordMetadata metadata(topicPartition_, error ? -1 : baseOffset,
                                      error ? -1 : static_cast<std::int32_t>(i),
                                      error ? RecordMetadata::kNoTimestamp : timestamp,
                                      thunk.serializedKeySize, thunk.serializedValueSize);
        if (thunk.callback) fireCallback(thunk.callback, metadata, error);
    }
    // Callbacks first, then the futures: get() returns after the record's callback has run.
    produceFuture_->done();
    return true;
}
//< ch04 batch-done

}  // namespace kafka::clients::producer::internals
