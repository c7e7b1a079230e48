//@ ch04
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
//> ch38
#include <deque>
//< ch38
#include <memory>
#include <optional>
#include <vector>

#include "kafka/clients/producer/Callback.h"
#include "kafka/clients/producer/RecordMetadata.h"
#include "kafka/clients/producer/internals/FutureRecordMetadata.h"
#include "kafka/clients/producer/internals/ProduceRequestResult.h"
#include "kafka/common/TopicPartition.h"
#include "kafka/common/header/Header.h"
#include "kafka/common/utils/Bytes.h"
//> ch36
#include "kafka/common/utils/ProducerIdAndEpoch.h"
//< ch36
//> ch07
#include "kafka/common/record/MemoryRecordsBuilder.h"
//< ch07
//> ch38
#include "kafka/common/record/DefaultRecord.h"
//< ch38

namespace kafka::clients::producer::internals {

/// Records for one partition that travel to the broker together, and the promises made to
/// their senders. Each record's future and callback complete exactly once, when the whole
/// batch is acknowledged or fails (done()).
///
/// The records are encoded as they arrive into a record batch v2 (chapter 7), so that the
/// batch's size is known exactly and sending it is a copy of bytes already in place.
class ProducerBatch {
public:
    /// One record as the batch keeps it until chapter 7 encodes it.
    struct Record {
        std::int64_t timestamp;
        std::optional<common::utils::Bytes> key;
        std::optional<common::utils::Bytes> value;
        common::header::Headers headers;
    };

    ProducerBatch(common::TopicPartition topicPartition, std::int32_t batchSizeLimit,
                  std::int64_t createdMs);
    //> ch09
    /// A batch that writes into `recordsBuilder`, which the accumulator set up on a buffer it
    /// allocated outside the deque's lock (Kafka's constructor takes the builder the same way).
    ProducerBatch(common::TopicPartition topicPartition,
                  common::record::MemoryRecordsBuilder recordsBuilder, std::int64_t createdMs);
    //< ch09

    /// Adds the record if it fits, and returns its future; returns nothing when the batch is
    /// full. A batch's first record always fits, however large: it then travels alone.
    /// The key's and value's bytes are copied into the batch; the callback is taken only
    /// if the record fits.
    std::optional<RecordMetadataFuture> tryAppend(std::int64_t timestamp,
                                                  std::optional<common::utils::ByteView> key,
                                                  std::optional<common::utils::ByteView> value,
                                                  const common::header::Headers& headers,
                                                  Callback&& callback, std::int64_t nowMs);

    /// Completes every record's future and callback, in order: with base offset + index on
    /// success, with `error` otherwise. A second call does nothing: nothing completes twice.
    /// Returns false when the batch was already done.
    bool done(std::int64_t baseOffset, std::int64_t logAppendTime, std::exception_ptr error);

    const common::TopicPartition& topicPartition() const { return topicPartition_; }
    int recordCount() const;
    int estimatedSizeInBytes() const;
    bool isFull() const;
    /// done() has run (I/O thread: the one that calls done()).
    bool isDone() const { return done_; }
    std::int64_t createdMs() const { return createdMs_; }
    std::int64_t lastAppendTime() const { return lastAppendTime_; }
    //> ch12 batch-attempts
    /// How many times the batch was sent and came back to be retried (chapter 23).
    int attempts() const { return attempts_; }
    /// When the batch last came back for a retry, or was created if it never did: linger.ms
    /// and retry.backoff.ms both count from here.
    std::int64_t lastAttemptMs() const { return lastAttemptMs_; }
    /// The batch goes back to the head of its deque for another attempt (chapter 23), and
    /// waits `retryBackoffMs` from now before it may go.
    void reenqueued(std::int64_t nowMs, std::int64_t retryBackoffMs) {
        ++attempts_;
        lastAttemptMs_ = nowMs;
        retryBackoffMs_ = retryBackoffMs;
    }
    /// How long this batch, back for a retry, waits after its last attempt.
    std::int64_t retryBackoffMs() const { return retryBackoffMs_; }
    //< ch12 batch-attempts
    //> ch22
    /// Blocks until done() has run: flush() waits on every incomplete batch this way.
    /*> ch22-38 await-one-result
    void await() const { produceFuture_->await(); }
    */
    //> ch38
    /// A split batch (chapter 38) is done only when the batches its records moved to are:
    /// flush() may have taken this batch before it was split, and must not return before its
    /// records are stored (Kafka's KAFKA-9312).
    void await() const;
    //< ch38
    //< ch22
    //> ch24
    /// delivery.timeout.ms counts from the batch's creation, through lingering, retries and
    /// time in flight: past it, the batch fails whatever it is doing (chapter 24).
    bool hasReachedDeliveryTimeout(std::int64_t deliveryTimeoutMs, std::int64_t nowMs) const {
        return deliveryTimeoutMs <= nowMs - createdMs_;
    }
    //< ch24
    /// The records appended so far, in order (for tests and demos).
    std::vector<Record> records() const;
    //> ch07
    /// Closes the batch for appends and returns its record batch v2 bytes, as they will go
    /// into a produce request.
    const common::utils::Bytes& closeAndBuild();
    //< ch07
    //> ch36 batch-producer-state
    /// Stamps the batch with the producer's id, epoch and the sequence number of its first
    /// record, as it is drained for the first time (chapter 36). Its retries keep them.
    void setProducerState(const common::utils::ProducerIdAndEpoch& producerIdAndEpoch,
                          std::int32_t baseSequence) {
        recordsBuilder_.setProducerState(producerIdAndEpoch.producerId, producerIdAndEpoch.epoch,
                                         baseSequence);
    }
    /// Gives a batch that was already sent a new epoch and sequence: the producer bumped its
    /// epoch and numbers the partition's batches in flight again from 0.
    void resetProducerState(const common::utils::ProducerIdAndEpoch& producerIdAndEpoch,
                            std::int32_t baseSequence) {
        reopened_ = true;
        recordsBuilder_.reopenAndRewriteProducerState(producerIdAndEpoch.producerId,
                                                      producerIdAndEpoch.epoch, baseSequence);
    }
    std::int64_t producerId() const { return recordsBuilder_.producerId(); }
    std::int16_t producerEpoch() const { return recordsBuilder_.producerEpoch(); }
    std::int32_t baseSequence() const { return recordsBuilder_.baseSequence(); }
    bool hasSequence() const { return baseSequence() != kNoSequence; }
    /// The sequence number of the batch's last record: sequences wrap at 2^31 - 1 to 0.
    std::int32_t lastSequence() const;
    /// Whether resetProducerState() renumbered the batch after it was first sent.
    bool sequenceHasBeenReset() const { return reopened_; }

    static constexpr std::int32_t kNoSequence = -1;
    //< ch36 batch-producer-state
    //> ch38 batch-split-api
    /// The records' compressed size over their size, once the batch is closed (1 without
    /// compression).
    float compressionRatio() const { return recordsBuilder_.compressionRatio(); }
    common::record::CompressionType compressionType() const {
        return recordsBuilder_.compressionType();
    }
    /// The batch's records in new batches of at most `splitBatchSize` bytes each (estimated
    /// as any batch is), after the broker refused it as too large (Kafka's split, chapter 38).
    /// Each record's callback moves with it, and its future follows it: whoever waits on
    /// the old future gets the new batch's outcome. This batch is done afterwards, with no
    /// callback of its own left to run. The new batches keep its creation time (its delivery
    /// deadline) and, when it was numbered, its sequence numbers, in order.
    std::deque<std::shared_ptr<ProducerBatch>> split(int splitBatchSize);
    /// Made by split(): its buffer comes from the heap, not from the producer's pool.
    bool isSplitBatch() const { return isSplitBatch_; }
    //< ch38 batch-split-api
    //> ch09
    /// The size the batch's buffer was allocated with, which is what goes back to the pool.
    std::size_t initialCapacity() const { return recordsBuilder_.initialCapacity(); }
    /// Gives up the batch's buffer, once the batch is done with it (chapter 10 returns it to
    /// the pool). The batch has no records afterwards.
    common::utils::Bytes releaseBuffer() { return recordsBuilder_.releaseBuffer(); }
    //< ch09

private:
    // What a record's callback is told when the batch is done (its future shares the
    // batch's produceFuture_ instead).
    struct Thunk {
        Callback callback;
        std::int64_t timestamp;
        std::int32_t serializedKeySize;
        std::int32_t serializedValueSize;
    };

    common::TopicPartition topicPartition_;
    // The batch's outcome, which every record's future shares.
    std::shared_ptr<ProduceRequestResult> produceFuture_ =
        std::make_shared<ProduceRequestResult>(topicPartition_);
    std::int64_t createdMs_;
    std::int64_t lastAppendTime_;
    //> ch12
    int attempts_ = 0;
    std::int64_t lastAttemptMs_ = createdMs_;  // created is the first "attempt" to wait from
    std::int64_t retryBackoffMs_ = 0;
    //< ch12
    bool done_ = false;
    //> ch36
    bool reopened_ = false;
    //< ch36
    /*> ch04-07 record-list
    // Until chapter 7 the records wait as they came, and only their size is counted.
    std::int32_t batchSizeLimit_;
    int estimatedSizeInBytes_;
    bool full_ = false;
    std::vector<Record> records_;
    */
    //> ch07 records-builder
    // The records, already in their wire format: appending encodes them into the batch.
    common::record::MemoryRecordsBuilder recordsBuilder_;
    //< ch07 records-builder
    std::vector<Thunk> thunks_;
    //> ch38
    bool isSplitBatch_ = false;

    // A batch of split() for `record`: on the heap, batch.size or the record's size.
    std::shared_ptr<ProducerBatch> createBatchOffAccumulatorForRecord(
        const common::record::DefaultRecord& record, int splitBatchSize) const;
    // Appends a record of the batch being split, with its thunk; false when it does not fit.
    bool tryAppendForSplit(const common::record::DefaultRecord& record, Thunk& thunk);
    //< ch38
};

}  // namespace kafka::clients::producer::internals
