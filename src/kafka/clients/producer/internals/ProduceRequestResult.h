//@ ch01
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
//> ch38
#include <map>
#include <memory>
#include <optional>
#include <vector>
//< ch38

#include "kafka/common/TopicPartition.h"

namespace kafka::clients::producer::internals {

/// The outcome of one batch, shared by the futures of all its records (Kafka's
/// ProduceRequestResult): the base offset and log-append time the broker answered, or the
/// error that failed the batch. It is set once, then done() releases whoever waits.
///
/// One per batch rather than one promise per record: a record's future is then a pointer and
/// an index, and completing a batch of a thousand records wakes waiters once, not a thousand
/// times. At a million records a second, a promise per record costs an allocation and a
/// system call each.
class ProduceRequestResult {
public:
    explicit ProduceRequestResult(common::TopicPartition topicPartition)
        : topicPartition_(std::move(topicPartition)) {}

    /// Records the outcome; done() then publishes it.
    void set(std::int64_t baseOffset, std::int64_t logAppendTime, std::exception_ptr error) {
        std::lock_guard lock(mutex_);
        baseOffset_ = baseOffset;
        logAppendTime_ = logAppendTime;
        error_ = std::move(error);
    }

    /// The outcome is final: every waiter wakes.
    void done() {
        {
            std::lock_guard lock(mutex_);
            completed_ = true;
        }
        completion_.notify_all();
    }

    void await() const {
        std::unique_lock lock(mutex_);
        completion_.wait(lock, [this] { return completed_; });
    }

    /// True once done() has run, false if `timeout` passed first.
    template <typename Rep, typename Period>
    bool await(std::chrono::duration<Rep, Period> timeout) const {
        std::unique_lock lock(mutex_);
        return completion_.wait_for(lock, timeout, [this] { return completed_; });
    }

    bool completed() const {
        std::lock_guard lock(mutex_);
        return completed_;
    }

    const common::TopicPartition& topicPartition() const { return topicPartition_; }
    // Read after await(): the mutex orders them after set().
    std::int64_t baseOffset() const {
        std::lock_guard lock(mutex_);
        return baseOffset_;
    }
    std::int64_t logAppendTime() const {
        std::lock_guard lock(mutex_);
        return logAppendTime_;
    }
    std::exception_ptr error() const {
        std::lock_guard lock(mutex_);
        return error_;
    }

    //> ch38 moved-records
    /// Where one record of this batch went when the batch was split (chapter 38): the
    /// smaller batch that now carries it, and its place there.
    struct MovedRecord {
        std::shared_ptr<const ProduceRequestResult> result;
        std::int32_t batchIndex;
    };
    /// Says where the record at `batchIndex` went; before done(), so that a future woken by
    /// done() finds it and follows the record (Kafka's FutureRecordMetadata.chain).
    void chain(std::int32_t batchIndex, MovedRecord movedTo) {
        std::lock_guard lock(mutex_);
        moved_.insert_or_assign(batchIndex, std::move(movedTo));
    }
    std::optional<MovedRecord> movedRecord(std::int32_t batchIndex) const {
        std::lock_guard lock(mutex_);
        const auto found = moved_.find(batchIndex);
        if (found == moved_.end()) return std::nullopt;
        return found->second;
    }
    /// Every result a record of this batch moved to (each once).
    std::vector<std::shared_ptr<const ProduceRequestResult>> movedResults() const {
        std::lock_guard lock(mutex_);
        std::vector<std::shared_ptr<const ProduceRequestResult>> results;
        for (const auto& [index, moved] : moved_)
            if (results.empty() || results.back() != moved.result) results.push_back(moved.result);
        return results;
    }
    //< ch38 moved-records

private:
    const common::TopicPartition topicPartition_;
    mutable std::mutex mutex_;
    mutable std::condition_variable completion_;
    bool completed_ = false;
    std::int64_t baseOffset_ = -1;
    std::int64_t logAppendTime_ = -1;
    std::exception_ptr error_;
    //> ch38
    std::map<std::int32_t, MovedRecord> moved_;  // only a split batch has any
    //< ch38
};

}  // namespace kafka::clients::producer::internals
