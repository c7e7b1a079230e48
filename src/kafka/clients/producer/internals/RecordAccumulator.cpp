//@ ch04
#include "kafka/clients/producer/internals/RecordAccumulator.h"

#include <algorithm>

#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients::producer::internals {

using common::errors::IllegalStateException;

RecordAccumulator::RecordAccumulator(std::int32_t batchSize,
                                     std::shared_ptr<common::utils::Time> time)
    : batchSize_(batchSize), time_(std::move(time)) {}

std::shared_ptr<RecordAccumulator::Deque> RecordAccumulator::getOrCreateDeque(
    const common::TopicPartition& tp) {
    /*> ch04-08 locked-get-or-create
    std::lock_guard lock(batchesMutex_);
    auto& dq = batches_[tp];
    if (!dq) dq = std::make_shared<Deque>();
    return dq;
    */
    //> ch08 get-or-create-deque
    // The common case reads a snapshot and takes no lock. On a miss, several threads may
    // race to create the deque: putIfAbsent lets exactly one win, and everyone uses its deque.
    if (auto existing = batches_.get(tp)) return *existing;
    auto created = std::make_shared<Deque>();
    if (auto winner = batches_.putIfAbsent(tp, created)) return *winner;
    return created;
    //< ch08 get-or-create-deque
}

// Appends to the partition's last batch if it has room. The deque's lock is held.
std::optional<RecordAccumulator::RecordAppendResult> RecordAccumulator::tryAppend(
    Deque& dq, std::int64_t timestamp, std::optional<common::utils::Bytes>& key,
    std::optional<common::utils::Bytes>& value, common::header::Headers& headers,
    Callback& callback, std::int64_t nowMs) {
    if (dq.batches.empty()) return std::nullopt;
    auto& last = *dq.batches.back();
    auto future = last.tryAppend(timestamp, key, value, headers, callback, nowMs);
    if (!future) return std::nullopt;
    // A batch that is no longer the last one is as good as full: it will not grow.
    return RecordAppendResult{future, dq.batches.size() > 1 || last.isFull(), false};
}

//> ch04 append
RecordAccumulator::RecordAppendResult RecordAccumulator::append(
    const common::TopicPartition& tp, std::int64_t timestamp,
    std::optional<common::utils::Bytes> key, std::optional<common::utils::Bytes> value,
    common::header::Headers headers, Callback callback, std::int64_t /*maxTimeToBlockMs*/,
    //> ch06
    bool abortOnNewBatch,
    //< ch06
    std::int64_t nowMs) {
    const auto dq = getOrCreateDeque(tp);
    std::lock_guard lock(dq->mutex);
    if (closed_) throw IllegalStateException("Cannot send after the producer is closed.");
    if (auto appended = tryAppend(*dq, timestamp, key, value, headers, callback, nowMs))
        return *appended;
    //> ch06
    if (abortOnNewBatch) {
        RecordAppendResult aborted;
        aborted.abortForNewBatch = true;
        return aborted;
    }
    //< ch06
    auto batch = std::make_shared<ProducerBatch>(tp, batchSize_, nowMs);
    auto future = batch->tryAppend(timestamp, std::move(key), std::move(value), std::move(headers),
                                   std::move(callback), nowMs);
    dq->batches.push_back(std::move(batch));
    return RecordAppendResult{future, dq->batches.size() > 1 || dq->batches.back()->isFull(), true};
}
//< ch04 append

std::vector<std::shared_ptr<ProducerBatch>> RecordAccumulator::batches(
    const common::TopicPartition& tp) const {
    /*> ch04-08 locked-lookup
    std::shared_ptr<Deque> dq;
    {
        std::lock_guard lock(batchesMutex_);
        const auto it = batches_.find(tp);
        if (it == batches_.end()) return {};
        dq = it->second;
    }
    */
    //> ch08
    const auto found = batches_.get(tp);
    if (!found) return {};
    const std::shared_ptr<Deque> dq = *found;
    //< ch08
    std::lock_guard lock(dq->mutex);
    return {dq->batches.begin(), dq->batches.end()};
}

std::vector<common::TopicPartition> RecordAccumulator::partitions() const {
    std::vector<common::TopicPartition> result;
    /*> ch04-08 locked-partitions
    std::lock_guard lock(batchesMutex_);
    for (const auto& [tp, dq] : batches_) result.push_back(tp);
    */
    //> ch08
    for (const auto& [tp, dq] : *batches_.snapshot()) result.push_back(tp);
    std::sort(result.begin(), result.end());  // a hash map has no order; callers expect one
    //< ch08
    return result;
}

void RecordAccumulator::close() {
    closed_ = true;
}

}  // namespace kafka::clients::producer::internals
