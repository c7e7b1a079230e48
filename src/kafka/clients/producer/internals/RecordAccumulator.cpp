//@ ch04
#include "kafka/clients/producer/internals/RecordAccumulator.h"

#include <algorithm>

#include "kafka/common/errors/Exceptions.h"
//> ch09
#include "kafka/common/record/AbstractRecords.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
//< ch09

namespace kafka::clients::producer::internals {

using common::errors::IllegalStateException;

namespace {
constexpr const char* kClosedMessage = "Cannot send after the producer is closed.";
//> ch10
constexpr std::int64_t kDefaultBufferMemory = 32 * 1024 * 1024;  // buffer.memory's default
//< ch10
}  // namespace

/*> ch04-10 constructor-without-pool
RecordAccumulator::RecordAccumulator(std::int32_t batchSize,
                                     std::shared_ptr<common::utils::Time> time)
    : batchSize_(batchSize), time_(std::move(time)) {}
*/
//> ch10
RecordAccumulator::RecordAccumulator(std::int32_t batchSize,
                                     std::shared_ptr<common::utils::Time> time)
    : RecordAccumulator(
          batchSize, std::make_shared<BufferPool>(kDefaultBufferMemory, batchSize, time), time) {}

RecordAccumulator::RecordAccumulator(std::int32_t batchSize, std::shared_ptr<BufferPool> free,
                                     std::shared_ptr<common::utils::Time> time)
    : batchSize_(batchSize), free_(std::move(free)), time_(std::move(time)) {}
//< ch10

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
    common::header::Headers headers, Callback callback, std::int64_t maxTimeToBlockMs,
    //> ch06
    bool abortOnNewBatch,
    //< ch06
    std::int64_t nowMs) {
    const auto dq = getOrCreateDeque(tp);
    std::unique_lock lock(dq->mutex);
    if (closed_) throw IllegalStateException(kClosedMessage);
    if (auto appended = tryAppend(*dq, timestamp, key, value, headers, callback, nowMs))
        return *appended;
    //> ch06
    if (abortOnNewBatch) {
        RecordAppendResult aborted;
        aborted.abortForNewBatch = true;
        return aborted;
    }
    //< ch06
    /*> ch04-09 new-batch-under-the-lock
    (void)maxTimeToBlockMs;  // nothing can block yet: the memory pool arrives in chapter 10
    auto batch = std::make_shared<ProducerBatch>(tp, batchSize_, nowMs);
    auto future = batch->tryAppend(timestamp, std::move(key), std::move(value), std::move(headers),
                                   std::move(callback), nowMs);
    dq->batches.push_back(std::move(batch));
    return RecordAppendResult{future, dq->batches.size() > 1 || dq->batches.back()->isFull(), true};
    */
    //> ch09 allocate-outside-the-lock
    // A new batch needs a buffer, and getting one may block until memory comes back (chapter
    // 10). Never wait while holding the partition's lock: the sender takes that lock to drain
    // the partition, and draining is what gives memory back.
    lock.unlock();
    const int size = std::max(
        batchSize_,
        common::record::AbstractRecords::estimateSizeInBytesUpperBound(key, value, headers));
    common::utils::Bytes buffer = allocateBuffer(size, maxTimeToBlockMs);
    lock.lock();
    //< ch09 allocate-outside-the-lock
    //> ch09 second-try-append
    std::shared_ptr<ProducerBatch> batch;
    try {
        if (closed_) throw IllegalStateException(kClosedMessage);
        // While this thread was allocating, another one may have started a batch with room
        // for this record: append there, and give the spare buffer back.
        if (auto appended = tryAppend(*dq, timestamp, key, value, headers, callback, nowMs)) {
            releaseBuffer(std::move(buffer), size);
            return *appended;
        }
        batch = std::make_shared<ProducerBatch>(
            tp, common::record::MemoryRecordsBuilder(std::move(buffer), batchSize_), nowMs);
        auto future = batch->tryAppend(timestamp, std::move(key), std::move(value),
                                       std::move(headers), std::move(callback), nowMs);
        dq->batches.push_back(batch);
        return RecordAppendResult{future, dq->batches.size() > 1 || batch->isFull(), true};
    } catch (...) {
        // Kafka's finally block: a buffer that did not end up in the deque goes back.
        releaseBuffer(batch ? batch->releaseBuffer() : std::move(buffer), size);
        throw;
    }
    //< ch09 second-try-append
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

//> ch09 allocate-buffer
/*> ch09-10 allocate-from-the-heap
// Until the pool arrives (chapter 10), a buffer comes straight from the heap and goes back to
// it when the last owner lets go: there is nothing to give back by hand.
common::utils::Bytes RecordAccumulator::allocateBuffer(int size, std::int64_t) {
    common::utils::Bytes buffer;
    buffer.reserve(static_cast<std::size_t>(size));
    return buffer;
}

void RecordAccumulator::releaseBuffer(common::utils::Bytes, int) {}
*/
//< ch09 allocate-buffer
//> ch10 allocate-from-the-pool
common::utils::Bytes RecordAccumulator::allocateBuffer(int size, std::int64_t maxTimeToBlockMs) {
    return free_->allocate(size, maxTimeToBlockMs);
}

void RecordAccumulator::releaseBuffer(common::utils::Bytes buffer, int size) {
    free_->deallocate(std::move(buffer), size);
}

void RecordAccumulator::deallocate(ProducerBatch& batch) {
    const auto size = static_cast<std::int32_t>(batch.initialCapacity());
    releaseBuffer(batch.releaseBuffer(), size);
}
//< ch10 allocate-from-the-pool

void RecordAccumulator::close() {
    closed_ = true;
    //> ch10
    free_->close();
    //< ch10
}

}  // namespace kafka::clients::producer::internals
