//@ ch04
#include "kafka/clients/producer/internals/RecordAccumulator.h"

#include <algorithm>

#include "kafka/common/errors/Exceptions.h"
//> ch09
#include "kafka/common/record/AbstractRecords.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
//< ch09
//> ch38
#include "kafka/common/record/CompressionRatioEstimator.h"
//< ch38

namespace kafka::clients::producer::internals {

using common::errors::IllegalStateException;

namespace {
constexpr const char* kClosedMessage = "Cannot send after the producer is closed.";
//> ch10
constexpr std::int64_t kDefaultBufferMemory = 32 * 1024 * 1024;  // buffer.memory's default
//< ch10
}  // namespace

/*> ch04-10 constructor-without-pool
RecordAccumulator::RecordAccumulator(Settings settings, std::shared_ptr<common::utils::Time> time)
    : settings_(settings), time_(std::move(time)) {}
*/
//> ch10
RecordAccumulator::RecordAccumulator(Settings settings, std::shared_ptr<common::utils::Time> time)
    : RecordAccumulator(
          settings, std::make_shared<BufferPool>(kDefaultBufferMemory, settings.batchSize, time),
          time) {}

RecordAccumulator::RecordAccumulator(Settings settings, std::shared_ptr<BufferPool> free,
                                     std::shared_ptr<common::utils::Time> time)
    : settings_(settings), free_(std::move(free)), time_(std::move(time)) {}
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
    if (auto existing = batches_.get(tp)) return std::move(*existing);
    auto created = std::make_shared<Deque>();
    if (auto winner = batches_.putIfAbsent(tp, created)) return *winner;
    return created;
    //< ch08 get-or-create-deque
}

// Appends to the partition's last batch if it has room. The deque's lock is held.
std::optional<RecordAccumulator::RecordAppendResult> RecordAccumulator::tryAppend(
    Deque& dq, std::int64_t timestamp, std::optional<common::utils::ByteView> key,
    std::optional<common::utils::ByteView> value, const common::header::Headers& headers,
    Callback& callback, std::int64_t nowMs) {
    if (dq.batches.empty()) return std::nullopt;
    auto& last = *dq.batches.back();
    auto future = last.tryAppend(timestamp, key, value, headers, std::move(callback), nowMs);
    if (!future) return std::nullopt;
    // A batch that is no longer the last one is as good as full: it will not grow.
    return RecordAppendResult{std::move(future), dq.batches.size() > 1 || last.isFull(), false};
}

//> ch04 append
RecordAccumulator::RecordAppendResult RecordAccumulator::append(
    const common::TopicPartition& tp, std::int64_t timestamp,
    std::optional<common::utils::ByteView> key, std::optional<common::utils::ByteView> value,
    const common::header::Headers& headers, Callback&& callback, std::int64_t maxTimeToBlockMs,
    bool abortOnNewBatch, std::int64_t nowMs) {
    /*> ch04-06 no-sticky-partition-yet
    (void)abortOnNewBatch;  // the sticky partitioner of chapter 6 asks for it
    */
    //> ch11
    // Counted while under way, so that a forced close can wait for this append to finish.
    ++appendsInProgress_;
    const struct Finished {
        std::atomic<int>& appends;
        ~Finished() { --appends; }
    } finished{appendsInProgress_};
    //< ch11
    const auto dq = getOrCreateDeque(tp);
    std::unique_lock lock(dq->mutex);
    if (closed_) throw IllegalStateException(kClosedMessage);
    if (auto appended = tryAppend(*dq, timestamp, key, value, headers, callback, nowMs))
        return std::move(*appended);
    //> ch06 abort-on-new-batch
    if (abortOnNewBatch) {
        RecordAppendResult aborted;
        aborted.abortForNewBatch = true;
        return aborted;
    }
    //< ch06 abort-on-new-batch
    /*> ch04-09 new-batch-under-the-lock
    (void)maxTimeToBlockMs;  // nothing can block yet: the memory pool arrives in chapter 10
    auto batch = std::make_shared<ProducerBatch>(tp, settings_.batchSize, nowMs);
    auto future = batch->tryAppend(timestamp, key, value, headers, std::move(callback), nowMs);
    dq->batches.push_back(std::move(batch));
    return RecordAppendResult{future, dq->batches.size() > 1 || dq->batches.back()->isFull(), true};
    */
    //> ch09 allocate-outside-the-lock
    // A new batch needs a buffer, and getting one may block until memory comes back (chapter
    // 10). Never wait while holding the partition's lock: the sender takes that lock to drain
    // the partition, and draining is what gives memory back.
    lock.unlock();
    // send() has refused any record larger than max.request.size: this fits in an int.
    const int size = static_cast<int>(std::max<std::int64_t>(
        settings_.batchSize,
        common::record::AbstractRecords::estimateSizeInBytesUpperBound(key, value, headers)));
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
            return std::move(*appended);
        }
        batch = std::make_shared<ProducerBatch>(tp, recordsBuilder(std::move(buffer)), nowMs);
        auto future = batch->tryAppend(timestamp, key, value, headers, std::move(callback), nowMs);
        dq->batches.push_back(batch);
        //> ch11
        {
            std::lock_guard incompleteLock(incompleteMutex_);
            incomplete_.insert(batch);
        }
        //< ch11
        return RecordAppendResult{std::move(future), dq->batches.size() > 1 || batch->isFull(),
                                  true};
    } catch (...) {
        // Kafka's finally block: a buffer that did not end up in the deque goes back.
        releaseBuffer(batch ? batch->releaseBuffer() : std::move(buffer), size);
        throw;
    }
    //< ch09 second-try-append
}
//< ch04 append

//> ch09 records-builder
common::record::MemoryRecordsBuilder RecordAccumulator::recordsBuilder(
    common::utils::Bytes buffer) const {
    /*> ch09-38 records-builder-without-codec
    return common::record::MemoryRecordsBuilder(std::move(buffer), settings_.batchSize);
    */
    //> ch38 records-builder-with-codec
    return common::record::MemoryRecordsBuilder(std::move(buffer), settings_.compression,
                                                settings_.batchSize);
    //< ch38 records-builder-with-codec
}
//< ch09 records-builder

//> ch11 ready
RecordAccumulator::ReadyCheckResult RecordAccumulator::ready(const common::Cluster& cluster,
                                                             std::int64_t nowMs) {
    /*> ch11-12 ready-without-a-clock
    (void)nowMs;  // every batch is ready at once until chapter 12
    */
    ReadyCheckResult result;
    //> ch12
    // Someone is blocked waiting for memory: send everything, because sending is what
    // frees memory.
    const bool exhausted = free_->queued() > 0;
    //< ch12
    const auto snapshot = batches_.snapshot();  // held for the whole loop
    for (const auto& [tp, dq] : *snapshot) {
        const auto leader = cluster.leaderFor(tp);
        std::lock_guard lock(dq->mutex);
        if (dq->batches.empty()) continue;
        if (!leader) {
            //> ch13 unknown-leader
            // Nowhere to send it: the sender asks for fresh metadata, and the batch waits.
            result.unknownLeaderTopics.insert(tp.topic);
            //< ch13 unknown-leader
            continue;
        }
        if (result.readyNodes.contains(*leader)) continue;  // one ready partition is enough
        //> ch20
        if (isMuted(tp)) continue;  // its previous batch is still in flight
        //< ch20
        /*> ch11-12 ready-when-queued
        // Until chapter 12, a batch is ready as soon as it exists.
        result.readyNodes.insert(*leader);
        */
        //> ch12 sendable
        const ProducerBatch& first = *dq->batches.front();
        // linger.ms counts from the batch's creation (its lastAttemptMs until it comes back for
        // a retry), not from its last append: a trickle of records cannot hold it back forever.
        const std::int64_t waitedMs = nowMs - first.lastAttemptMs();
        const bool backingOff = first.attempts() > 0 && waitedMs < first.retryBackoffMs();
        const std::int64_t timeToWaitMs = backingOff ? first.retryBackoffMs() : settings_.lingerMs;
        const bool full = dq->batches.size() > 1 || first.isFull();
        const bool expired = waitedMs >= timeToWaitMs;
        const bool sendable = full || expired || exhausted || closed_ || flushInProgress();
        if (sendable && !backingOff) {
            result.readyNodes.insert(*leader);
        } else {
            // Not yet: look again when its wait is over (the sender's poll timeout).
            result.nextReadyCheckDelayMs = std::min(
                result.nextReadyCheckDelayMs, std::max<std::int64_t>(timeToWaitMs - waitedMs, 0));
        }
        //< ch12 sendable
    }
    return result;
}
//< ch11 ready

//> ch11 drain
std::map<std::int32_t, std::vector<std::shared_ptr<ProducerBatch>>> RecordAccumulator::drain(
    const common::Cluster& cluster, const std::set<common::Node>& nodes, int maxSize,
    std::int64_t nowMs) {
    std::map<std::int32_t, std::vector<std::shared_ptr<ProducerBatch>>> batches;
    for (const auto& node : nodes)
        batches[node.id()] = drainBatchesForOneNode(cluster, node, maxSize, nowMs);
    return batches;
}

std::shared_ptr<ProducerBatch> RecordAccumulator::pollFirst(Deque& dq) {
    auto batch = std::move(dq.batches.front());
    dq.batches.pop_front();
    return batch;
}

std::shared_ptr<ProducerBatch> RecordAccumulator::takeFirst(Deque& dq) {
    auto batch = pollFirst(dq);
    batch->closeAndBuild();  // no more appends: the bytes that go on the wire are final
    return batch;
}

std::vector<std::shared_ptr<ProducerBatch>> RecordAccumulator::drainBatchesForOneNode(
    const common::Cluster& cluster, const common::Node& node, int maxSize, std::int64_t nowMs) {
    /*> ch11-17 drain-without-limits
    (void)maxSize;  // until chapter 17, a node's request takes every ready batch
    (void)nowMs;
    */
    std::vector<std::shared_ptr<ProducerBatch>> ready;
    const auto& parts = cluster.partitionsForNode(node.id());
    /*> ch11-17 drain-everything
    // Until chapter 17, a node gets the first batch of every partition it leads, however
    // large the request grows. (Nothing is retried before chapter 23, so no batch is backing
    // off yet.)
    for (const auto& part : parts) {
        const auto dq = batches_.get({part.topic, part.partition});
        if (!dq) continue;
        std::lock_guard lock((*dq)->mutex);
        if (!(*dq)->batches.empty()) ready.push_back(takeFirst(**dq));
    }
    */
    //> ch17 drain-fairly
    if (parts.empty()) return ready;
    int size = 0;
    // Start where the last request to this node left off, so that every partition takes its
    // turn at the front of the request.
    const std::size_t start = nodesDrainIndex_[node.id()] % parts.size();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::size_t index = (start + i) % parts.size();
        const common::TopicPartition tp{parts[index].topic, parts[index].partition};
        //> ch20
        if (isMuted(tp)) continue;
        //< ch20
        const auto dq = batches_.get(tp);
        if (!dq) continue;
        std::unique_lock lock((*dq)->mutex);
        if ((*dq)->batches.empty()) continue;
        const ProducerBatch& first = *(*dq)->batches.front();
        if (first.attempts() > 0 && nowMs - first.lastAttemptMs() < first.retryBackoffMs())
            continue;  // a retried batch waits out retry.backoff.ms
        if (size + first.estimatedSizeInBytes() > maxSize && !ready.empty()) {
            // The request is full. This partition opens the next one, so a large batch
            // cannot be passed over again and again. (A single batch larger than maxSize
            // still goes, alone: batch.size may be set above max.request.size.)
            nodesDrainIndex_[node.id()] = index;
            return ready;
        }
        //> ch36 drain-idempotent
        if (settings_.transactionManager && shouldStopDrainBatchesForPartition(first, tp)) {
            nodesDrainIndex_[node.id()] = index;  // this partition goes first next time
            return ready;
        }
        if (settings_.transactionManager && !first.hasSequence())
            stampProducerState((*dq)->batches.front());
        //< ch36 drain-idempotent
        size += first.estimatedSizeInBytes();
        auto batch = pollFirst(**dq);
        lock.unlock();
        // Out of the deque, the batch is this thread's alone: close it after letting the lock
        // go. Closing writes the header and the CRC over every byte of the batch (and, from
        // chapter 38, ends its codec's stream), while send() may be waiting for this lock to
        // append to the partition's next batch. Kafka does the same since 3.2 (KAFKA-13630).
        batch->closeAndBuild();
        ready.push_back(std::move(batch));
    }
    nodesDrainIndex_[node.id()] = (start + 1) % parts.size();
    //< ch17 drain-fairly
    return ready;
}
//< ch11 drain

//> ch36 drain-rules
bool RecordAccumulator::shouldStopDrainBatchesForPartition(const ProducerBatch& first,
                                                           const common::TopicPartition& tp) {
    auto& transactions = *settings_.transactionManager;
    // No producer id yet (or a fatal error): nothing can be numbered, so nothing goes.
    if (transactions.hasFatalError() || !transactions.producerIdAndEpoch().isValid()) return true;
    if (!first.hasSequence()) {
        // A new batch would be numbered in the new epoch from 0 while batches of the old one
        // are still out: wait for them.
        if (transactions.hasInflightBatches(tp) && transactions.hasStaleProducerIdAndEpoch(tp))
            return true;
        // An expired batch left the partition's sequence unknown: nothing new until it is
        // known.
        if (transactions.hasUnresolvedSequence(tp)) return true;
    }
    // A retried batch goes only when it is the lowest sequence in flight: the batches before
    // it must be through first, or the broker would see a gap. (In effect, one request in
    // flight for this partition while it retries.)
    const std::int32_t firstInFlightSequence = transactions.firstInFlightSequence(tp);
    return firstInFlightSequence != ProducerBatch::kNoSequence && first.hasSequence() &&
           first.baseSequence() != firstInFlightSequence;
}

void RecordAccumulator::stampProducerState(const std::shared_ptr<ProducerBatch>& batch) {
    auto& transactions = *settings_.transactionManager;
    const common::TopicPartition& tp = batch->topicPartition();
    // The first batch of a new epoch starts its partition's sequence again from 0.
    transactions.maybeUpdateProducerIdAndEpoch(tp);
    // A batch keeps its numbers from its first drain on: a retry must carry the same ones, or
    // the broker could not tell it from a new batch and would store it twice.
    batch->setProducerState(transactions.producerIdAndEpoch(), transactions.sequenceNumber(tp));
    transactions.incrementSequenceNumber(tp, batch->recordCount());
    transactions.addInFlightBatch(batch);
}

void RecordAccumulator::insertInSequenceOrder(Deque& dq,
                                              const std::shared_ptr<ProducerBatch>& batch) {
    if (!batch->hasSequence())
        throw common::errors::IllegalStateException(
            "Trying to re-enqueue a batch for " + batch->topicPartition().toString() +
            " which has no sequence although idempotence is enabled");
    // Retried batches of one partition can come back in any order (answers from a leader
    // that moved): each goes in front of the first batch with a higher sequence, or of the
    // first one not sent yet, so that the deque stays in sequence order.
    auto position = dq.batches.begin();
    while (position != dq.batches.end() && (*position)->hasSequence() &&
           (*position)->baseSequence() < batch->baseSequence())
        ++position;
    dq.batches.insert(position, batch);
}
//< ch36 drain-rules

//> ch11
bool RecordAccumulator::hasUndrained() const {
    const auto snapshot = batches_.snapshot();  // held for the whole loop
    for (const auto& [tp, dq] : *snapshot) {
        std::lock_guard lock(dq->mutex);
        if (!dq->batches.empty()) return true;
    }
    return false;
}

bool RecordAccumulator::hasIncomplete() const {
    std::lock_guard lock(incompleteMutex_);
    return !incomplete_.empty();
}
//< ch11

//> ch11 abort-incomplete
void RecordAccumulator::abortIncompleteBatches() {
    const auto error =
        std::make_exception_ptr(common::errors::KafkaException("Producer is closed forcefully."));
    // An append that passed its closed check just before close() can still add a batch:
    // abort until no append is under way, then once more for anything it added.
    do {
        abortBatches(error);
    } while (appendsInProgress_.load() > 0);
    abortBatches(error);
}

void RecordAccumulator::abortBatches(const std::exception_ptr& error) {
    std::vector<std::shared_ptr<ProducerBatch>> batches;
    {
        std::lock_guard lock(incompleteMutex_);
        batches.assign(incomplete_.begin(), incomplete_.end());
    }
    for (const auto& batch : batches) {
        const auto dq = getOrCreateDeque(batch->topicPartition());
        {
            std::lock_guard lock(dq->mutex);
            std::erase(dq->batches, batch);
        }
        batch->done(-1, -1, error);
        deallocate(batch);
    }
}
//< ch11 abort-incomplete

//> ch12 reenqueue
void RecordAccumulator::reenqueue(const std::shared_ptr<ProducerBatch>& batch, std::int64_t nowMs) {
    /*> ch12-23 fixed-retry-backoff
    batch->reenqueued(nowMs, settings_.retryBackoffMs);
    */
    //> ch23 exponential-retry-backoff
    // retry.backoff.ms × 2^(attempts so far), at most retry.backoff.max.ms, ±20 %: drawn once
    // for this attempt, so that ready() and drain() agree on it.
    batch->reenqueued(nowMs, retryBackoff_.backoff(batch->attempts()));
    //< ch23 exponential-retry-backoff
    const auto dq = getOrCreateDeque(batch->topicPartition());
    std::lock_guard lock(dq->mutex);
    //> ch36 reenqueue-in-sequence-order
    if (settings_.transactionManager) return insertInSequenceOrder(*dq, batch);
    //< ch36 reenqueue-in-sequence-order
    // At the head: the retried batch goes before anything appended since, which keeps the
    // partition's order when only one request is in flight at a time.
    dq->batches.push_front(batch);
}

//> ch38 split-and-reenqueue
int RecordAccumulator::splitAndReenqueue(const std::shared_ptr<ProducerBatch>& bigBatch) {
    // The estimate was too hopeful for this batch: start again from its real ratio, or from
    // 1 if it did better than that, so that the split does not have to happen again soon.
    common::record::CompressionRatioEstimator::setEstimation(
        bigBatch->topicPartition().topic, bigBatch->compressionType(),
        std::max(1.0F, bigBatch->compressionRatio()));
    auto batches = bigBatch->split(settings_.batchSize);
    const int numSplitBatches = static_cast<int>(batches.size());
    const auto dq = getOrCreateDeque(bigBatch->topicPartition());
    // Last first, each to the head: the deque then holds them in their records' order, ahead
    // of anything appended since.
    while (!batches.empty()) {
        auto batch = std::move(batches.back());
        batches.pop_back();
        {
            std::lock_guard incompleteLock(incompleteMutex_);
            incomplete_.insert(batch);
        }
        std::lock_guard lock(dq->mutex);
        if (settings_.transactionManager) {
            // Already numbered, with the big batch's sequences: tracked as in flight, and
            // placed by sequence as a retry is.
            settings_.transactionManager->addInFlightBatch(batch);
            insertInSequenceOrder(*dq, batch);
        } else {
            dq->batches.push_front(batch);
        }
    }
    return numSplitBatches;
}
//< ch38 split-and-reenqueue

void RecordAccumulator::beginFlush() {
    ++flushesInProgress_;
}
//< ch12 reenqueue

//> ch22 await-flush
void RecordAccumulator::awaitFlushCompletion() {
    // The flush ends however this returns, so that batches stop being ready before linger.ms.
    const struct FlushEnded {
        std::atomic<int>& flushes;
        ~FlushEnded() { --flushes; }
    } ended{flushesInProgress_};
    std::vector<std::shared_ptr<ProducerBatch>> batches;
    {
        std::lock_guard lock(incompleteMutex_);
        batches.assign(incomplete_.begin(), incomplete_.end());
    }
    for (const auto& batch : batches) batch->await();
}
//< ch22 await-flush

//> ch24 expired-batches
std::vector<std::shared_ptr<ProducerBatch>> RecordAccumulator::expiredBatches(std::int64_t nowMs) {
    std::vector<std::shared_ptr<ProducerBatch>> expired;
    nextBatchExpiryTimeMs_ = std::numeric_limits<std::int64_t>::max();
    const auto snapshot = batches_.snapshot();  // held for the whole loop
    for (const auto& [tp, dq] : *snapshot) {
        std::lock_guard lock(dq->mutex);
        // Oldest first: the walk stops at the first batch that still has time, because the
        // ones behind it are younger.
        while (!dq->batches.empty()) {
            const auto& first = dq->batches.front();
            if (!first->hasReachedDeliveryTimeout(settings_.deliveryTimeoutMs, nowMs)) {
                nextBatchExpiryTimeMs_ = std::min(nextBatchExpiryTimeMs_,
                                                  first->createdMs() + settings_.deliveryTimeoutMs);
                break;
            }
            expired.push_back(takeFirst(*dq));
        }
    }
    return expired;
}
//< ch24 expired-batches

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
    const auto snapshot = batches_.snapshot();
    for (const auto& [tp, dq] : *snapshot) result.push_back(tp);
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

void RecordAccumulator::deallocate(const std::shared_ptr<ProducerBatch>& batch) {
    //> ch11 once-per-batch
    {
        // Only once per batch: a second deallocate would credit the pool twice.
        std::lock_guard lock(incompleteMutex_);
        if (incomplete_.erase(batch) == 0)
            throw IllegalStateException(
                "Remove from the incomplete set failed. This should be impossible.");
    }
    //< ch11 once-per-batch
    //> ch38
    // A split batch's buffer came from the heap, not the pool: nothing to give back.
    if (batch->isSplitBatch()) return;
    //< ch38
    const auto size = static_cast<std::int32_t>(batch->initialCapacity());
    releaseBuffer(batch->releaseBuffer(), size);
}
//< ch10 allocate-from-the-pool

void RecordAccumulator::close() {
    closed_ = true;
    //> ch10
    free_->close();
    //< ch10
}

}  // namespace kafka::clients::producer::internals
