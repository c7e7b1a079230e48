//@ ch01
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <future>
#include <memory>
//> ch38
#include <algorithm>
#include <optional>
//< ch38

#include "kafka/clients/producer/RecordMetadata.h"
#include "kafka/clients/producer/internals/ProduceRequestResult.h"

namespace kafka::clients::producer::internals {

/// One record's future (Kafka's FutureRecordMetadata): its batch's shared result and the
/// record's place in the batch. get() waits for the batch, then returns the record's
/// metadata or throws the batch's error. Copies share the result, and it can be read many
/// times, as a std::shared_future can.
class FutureRecordMetadata {
public:
    FutureRecordMetadata() = default;
    FutureRecordMetadata(std::shared_ptr<const ProduceRequestResult> result,
                         std::int32_t batchIndex, std::int64_t createTimestamp,
                         std::int32_t serializedKeySize, std::int32_t serializedValueSize)
        : result_(std::move(result)),
          batchIndex_(batchIndex),
          createTimestamp_(createTimestamp),
          serializedKeySize_(serializedKeySize),
          serializedValueSize_(serializedValueSize) {}

    /// Blocks until the batch is done; the record's metadata, or its error thrown.
    RecordMetadata get() const {
        result_->await();
        //> ch38
        if (chained()) return followed().get();  // followed() has no chain left
        //< ch38
        if (const auto error = result_->error()) std::rethrow_exception(error);
        return value();
    }

    void wait() const {
        result_->await();
        //> ch38
        if (chained()) followed();
        //< ch38
    }

    template <typename Rep, typename Period>
    std::future_status wait_for(std::chrono::duration<Rep, Period> timeout) const {
        /*> ch01-38 wait-for-one-batch
        return result_->await(timeout) ? std::future_status::ready : std::future_status::timeout;
        */
        //> ch38 wait-for-the-chain
        // Each batch the record moved to in turn, all within the one timeout.
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (FutureRecordMetadata at = *this;;) {
            const auto left = std::max(deadline - std::chrono::steady_clock::now(),
                                       std::chrono::steady_clock::duration::zero());
            if (!at.result_->await(left)) return std::future_status::timeout;
            const auto next = at.chained();
            if (!next) return std::future_status::ready;
            at = *next;
        }
        //< ch38 wait-for-the-chain
    }

    bool valid() const { return result_ != nullptr; }
    bool isDone() const {
        //> ch38
        for (FutureRecordMetadata at = *this; at.result_->completed();) {
            const auto next = at.chained();
            if (!next) return true;
            at = *next;
        }
        return false;
        //< ch38
        /*> ch01-38 done-with-its-batch
        return result_->completed();
        */
    }

    /// The metadata as the batch's outcome makes it: the record's offset is the batch's base
    /// plus its index; with LogAppendTime the broker's clock stamps it. After an error, only
    /// the partition and the sizes are known.
    RecordMetadata value() const {
        //> ch38
        if (const auto next = chained()) {  // where the record is now, as far as is known
            FutureRecordMetadata at = *next;
            for (auto further = at.chained(); further; further = at.chained()) at = *further;
            return at.value();
        }
        //< ch38
        if (result_->error())
            return RecordMetadata(result_->topicPartition(), RecordMetadata::kUnknownOffset, -1,
                                  RecordMetadata::kNoTimestamp, serializedKeySize_,
                                  serializedValueSize_);
        const std::int64_t logAppendTime = result_->logAppendTime();
        return RecordMetadata(result_->topicPartition(), result_->baseOffset(), batchIndex_,
                              logAppendTime >= 0 ? logAppendTime : createTimestamp_,
                              serializedKeySize_, serializedValueSize_);
    }

private:
    //> ch38 chained
    // The record's future in the batch that carries it after a split, if its own batch was
    // split (chapter 38). It keeps the record's own timestamp and sizes.
    std::optional<FutureRecordMetadata> chained() const {
        const auto moved = result_->movedRecord(batchIndex_);
        if (!moved) return std::nullopt;
        return FutureRecordMetadata(moved->result, moved->batchIndex, createTimestamp_,
                                    serializedKeySize_, serializedValueSize_);
    }
    //< ch38 chained

    //> ch38
    // The future of the batch that carries the record in the end, each batch on the way
    // waited for before it is asked where the record went. A loop, not a recursion: a batch
    // refused again and again is split again and again, until its delivery timeout.
    FutureRecordMetadata followed() const {
        FutureRecordMetadata at = *this;
        at.result_->await();
        for (auto next = at.chained(); next; next = at.chained()) {
            at = *next;
            at.result_->await();
        }
        return at;
    }
    //< ch38

    std::shared_ptr<const ProduceRequestResult> result_;
    std::int32_t batchIndex_ = 0;
    std::int64_t createTimestamp_ = RecordMetadata::kNoTimestamp;
    std::int32_t serializedKeySize_ = RecordMetadata::kUnknownSize;
    std::int32_t serializedValueSize_ = RecordMetadata::kUnknownSize;
};

}  // namespace kafka::clients::producer::internals

namespace kafka::clients::producer {

/// What send() returns: get() blocks until the record is acknowledged, and then returns its
/// metadata or throws the error that failed it. Like Java's Future, it can be read many times.
using RecordMetadataFuture = internals::FutureRecordMetadata;

}  // namespace kafka::clients::producer
