//@ ch04
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kafka/clients/producer/Callback.h"
#include "kafka/clients/producer/RecordMetadata.h"
#include "kafka/clients/producer/internals/FutureRecordMetadata.h"
#include "kafka/clients/producer/internals/ProducerBatch.h"
#include "kafka/common/TopicPartition.h"
//> ch11
#include "kafka/common/Cluster.h"
#include "kafka/common/Node.h"
//< ch11
#include "kafka/common/header/Header.h"
#include "kafka/common/utils/Bytes.h"
#include "kafka/common/utils/Time.h"
//> ch08
#include "kafka/common/utils/CopyOnWriteMap.h"
//< ch08
//> ch10
#include "kafka/clients/producer/internals/BufferPool.h"
//< ch10
//> ch23
#include "kafka/common/utils/ExponentialBackoff.h"
//< ch23
//> ch36
#include "kafka/clients/producer/internals/TransactionManager.h"
//< ch36
//> ch38
#include "kafka/common/compress/Compression.h"
//< ch38

namespace kafka::clients::producer::internals {

/// The producer's waiting room: for every partition, a queue (deque) of batches. send() puts
/// records at the tail of their partition's queue; the I/O thread takes whole batches from the
/// head (chapter 17). Batching is why Kafka's producer is fast: one request carries many
/// records, and one record costs a few hundred nanoseconds of bookkeeping.
///
/// The map from partition to deque is read far more often than it changes, so it is a
/// copy-on-write map (chapter 8); each deque has its own lock. Chapters 7, 9 and 10 give the
/// batches the record format, the allocate-outside-the-lock dance and the buffer pool.
class RecordAccumulator {
public:
    /// What append() tells send(): the record's future, and whether the sender should be
    /// woken because a batch is full or a new one was started.
    struct RecordAppendResult {
        std::optional<RecordMetadataFuture> future;
        bool batchIsFull = false;
        bool newBatchCreated = false;
        //> ch06 abort-for-new-batch
        /// The record was not appended because it would have started a new batch, and the
        /// caller asked to hear about that first (the sticky partitioner, chapter 6).
        bool abortForNewBatch = false;
        //< ch06 abort-for-new-batch
    };

    //> ch11 ready-check-result
    /// What ready() tells the sender: the brokers that lead a partition with a batch ready to
    /// go, and when to look again if none is.
    struct ReadyCheckResult {
        std::set<common::Node> readyNodes;
        /// How long until a batch that is not ready yet becomes ready (linger.ms or
        /// retry.backoff.ms running out); the sender sleeps in poll() no longer than this.
        std::int64_t nextReadyCheckDelayMs = std::numeric_limits<std::int64_t>::max();
        //> ch13
        /// Topics with batches waiting for a partition whose leader is unknown: the sender
        /// asks for fresh metadata for them (chapter 13).
        std::set<std::string> unknownLeaderTopics;
        //< ch13
    };
    //< ch11 ready-check-result

    /// What the accumulator is told by the producer's configuration. The defaults are Kafka's,
    /// but for linger.ms: a bare accumulator (in a test) makes a batch ready at once, where the
    /// producer passes linger.ms (5 ms by default since Kafka 4.0).
    struct Settings {
        std::int32_t batchSize = 16'384;  // batch.size
        //> ch12
        std::int64_t lingerMs = 0;          // linger.ms: how long a batch waits for company
        std::int64_t retryBackoffMs = 100;  // retry.backoff.ms: how long a retried batch waits
        //< ch12
        //> ch23
        /// retry.backoff.max.ms: each retry of a batch waits twice as long as the one before,
        /// up to this (Kafka 3.7, KIP-580). Not above retryBackoffMs: a fixed backoff.
        std::int64_t retryBackoffMaxMs = 0;
        //< ch23
        //> ch24
        std::int64_t deliveryTimeoutMs = 120'000;  // delivery.timeout.ms: a batch's whole life
        //< ch24
        //> ch36
        /// The idempotent producer's sequence numbers (chapter 36); none when
        /// enable.idempotence is off. drain() stamps each batch from it.
        std::shared_ptr<TransactionManager> transactionManager{};
        //< ch36
        //> ch38
        /// compression.type and its level (chapter 38): every batch's records go through
        /// this codec. None when null.
        std::shared_ptr<const common::compress::Compression> compression{};
        //< ch38
    };

    RecordAccumulator(Settings settings, std::shared_ptr<common::utils::Time> time);
    //> ch10
    /// An accumulator whose batches take their buffers from `free` (Kafka names its pool so),
    /// the producer's one pool of buffer.memory bytes. The other constructor makes a pool of
    /// buffer.memory's default size, 32 MiB.
    RecordAccumulator(Settings settings, std::shared_ptr<BufferPool> free,
                      std::shared_ptr<common::utils::Time> time);
    //< ch10

    /// Adds a record to the last batch of its partition, or to a new batch. Throws
    /// IllegalStateException after close(). With `abortOnNewBatch`, a record that would start
    /// a new batch is not appended, and the result says so: the sticky partitioner of chapter 6
    /// then moves on to another partition first.
    //> ch09
    ///
    /// When a new batch is needed its buffer is allocated outside the deque's lock, which may
    /// block for up to `maxTimeToBlockMs` (chapter 10: the pool may be exhausted). A record
    /// larger than batch.size gets a buffer, and a batch, of its own size.
    //< ch09
    ///
    /// The key and value are views: their bytes are read where they are and copied once,
    /// into the batch. The callback is taken only if the record is appended; after an abort
    /// for a new batch the caller still has it, for the next try.
    RecordAppendResult append(const common::TopicPartition& tp, std::int64_t timestamp,
                              std::optional<common::utils::ByteView> key,
                              std::optional<common::utils::ByteView> value,
                              const common::header::Headers& headers, Callback&& callback,
                              std::int64_t maxTimeToBlockMs, bool abortOnNewBatch,
                              std::int64_t nowMs);

    //> ch11
    /// The leaders of the partitions that have a batch ready to send (chapter 12 says when a
    /// batch is ready). Called by the sender on every loop.
    ReadyCheckResult ready(const common::Cluster& cluster, std::int64_t nowMs);

    /// Takes batches out of the deques for each of `nodes`, oldest first per partition, to go
    /// into one produce request per node of at most `maxSize` bytes (max.request.size). A
    /// drained batch is closed: its bytes are final. Called by the sender only.
    std::map<std::int32_t, std::vector<std::shared_ptr<ProducerBatch>>> drain(
        const common::Cluster& cluster, const std::set<common::Node>& nodes, int maxSize,
        std::int64_t nowMs);

    /// Whether any deque still holds a batch that was not drained.
    bool hasUndrained() const;
    /// Whether any batch, drained or not, is still waiting for its outcome.
    bool hasIncomplete() const;

    /// A forced close: fails every batch that is not done yet, in the deques or in flight,
    /// with "Producer is closed forcefully.", and gives its buffer back.
    void abortIncompleteBatches();
    /// Fails every batch that is not done yet with `error` and gives its buffer back: what a
    /// forced close does, and (chapter 36) what the idempotent producer does after a fatal
    /// error.
    void abortBatches(const std::exception_ptr& error);
    //< ch11
    //> ch12
    /// A batch that failed and may be retried goes back to the head of its deque, where it
    /// waits retry.backoff.ms before ready() offers it again (chapter 23 calls this).
    void reenqueue(const std::shared_ptr<ProducerBatch>& batch, std::int64_t nowMs);
    //> ch38 split-and-reenqueue-api
    /// The broker refused `bigBatch` as too large (MESSAGE_TOO_LARGE): its records go back to
    /// the head of their deque in batches of batch.size, in order, to be sent as if never
    /// tried (chapter 38). The topic's compression estimate is reset to the refused batch's
    /// ratio (at least 1), so that the batches that follow are not as large again. Returns
    /// how many batches it made. Called by the sender only.
    int splitAndReenqueue(const std::shared_ptr<ProducerBatch>& bigBatch);
    //< ch38 split-and-reenqueue-api
    //> ch20 mute-api
    /// With max.in.flight.requests.per.connection=1 the sender mutes a partition while a
    /// batch of it is in flight: ready() and drain() pass it by, so that its next batch
    /// cannot overtake one that may still be retried. I/O thread only.
    void mutePartition(const common::TopicPartition& tp) { muted_.insert(tp); }
    void unmutePartition(const common::TopicPartition& tp) { muted_.erase(tp); }
    bool isMuted(const common::TopicPartition& tp) const { return muted_.contains(tp); }
    //< ch20 mute-api

    /// flush(): while a flush is in progress every batch is ready, whatever linger.ms says.
    void beginFlush();
    bool flushInProgress() const { return flushesInProgress_.load() > 0; }
    //< ch12
    //> ch22
    /// Waits until every batch incomplete when it is called has its outcome, then ends the
    /// flush that beginFlush() started. Records sent meanwhile may or may not be waited for.
    void awaitFlushCompletion();
    //< ch22
    //> ch24
    /// Takes out of the deques every batch that has waited delivery.timeout.ms since it was
    /// created; the sender fails them. Also notes when the next batch will expire.
    std::vector<std::shared_ptr<ProducerBatch>> expiredBatches(std::int64_t nowMs);
    /// When the oldest batch still queued reaches delivery.timeout.ms (as of the last
    /// expiredBatches()); the sender sleeps no longer than that.
    std::int64_t nextExpiryTimeMs() const { return nextBatchExpiryTimeMs_; }
    /// Brings the next expiry time forward to `batch`'s, if it expires sooner: the sender tells
    /// it about the batches it has in flight. I/O thread only.
    void maybeUpdateNextBatchExpiryTime(const ProducerBatch& batch) {
        nextBatchExpiryTimeMs_ =
            std::min(nextBatchExpiryTimeMs_, batch.createdMs() + settings_.deliveryTimeoutMs);
    }
    std::int64_t deliveryTimeoutMs() const { return settings_.deliveryTimeoutMs; }
    //< ch24

    /// The batches waiting for a partition, oldest first (a copy, for tests and demos).
    std::vector<std::shared_ptr<ProducerBatch>> batches(const common::TopicPartition& tp) const;
    std::vector<common::TopicPartition> partitions() const;

    //> ch10
    /// Gives a finished batch's buffer back to the pool: the sender calls it once the batch
    /// is acknowledged or has failed (chapter 22).
    void deallocate(const std::shared_ptr<ProducerBatch>& batch);
    /// The pool every batch's buffer comes from.
    BufferPool& bufferPool() { return *free_; }
    //< ch10

    /// No more appends; what is queued stays for the sender to finish (or abort).
    //> ch10
    /// Closes the pool too, so that a send() blocked waiting for memory fails at once.
    //< ch10
    void close();
    bool isClosed() const { return closed_.load(); }

private:
    // One partition's queue, with the lock that guards it ("segmented locking": appends to
    // different partitions never wait for each other).
    struct Deque {
        std::mutex mutex;
        std::deque<std::shared_ptr<ProducerBatch>> batches;
    };

    std::shared_ptr<Deque> getOrCreateDeque(const common::TopicPartition& tp);
    //> ch11
    std::vector<std::shared_ptr<ProducerBatch>> drainBatchesForOneNode(
        const common::Cluster& cluster, const common::Node& node, int maxSize, std::int64_t nowMs);
    /// The partition's first batch, out of its deque (the caller holds the deque's lock).
    static std::shared_ptr<ProducerBatch> pollFirst(Deque& dq);
    /// pollFirst, and the batch closed: its bytes final, ready for the wire.
    static std::shared_ptr<ProducerBatch> takeFirst(Deque& dq);
    //< ch11
    //> ch36
    bool shouldStopDrainBatchesForPartition(const ProducerBatch& first,
                                            const common::TopicPartition& tp);
    void stampProducerState(const std::shared_ptr<ProducerBatch>& batch);
    static void insertInSequenceOrder(Deque& dq, const std::shared_ptr<ProducerBatch>& batch);
    //< ch36
    std::optional<RecordAppendResult> tryAppend(Deque& dq, std::int64_t timestamp,
                                                std::optional<common::utils::ByteView> key,
                                                std::optional<common::utils::ByteView> value,
                                                const common::header::Headers& headers,
                                                Callback& callback, std::int64_t nowMs);
    //> ch09
    common::utils::Bytes allocateBuffer(int size, std::int64_t maxTimeToBlockMs);
    void releaseBuffer(common::utils::Bytes buffer, int size);
    // A new batch's builder, writing into `buffer` (Kafka's recordsBuilder).
    common::record::MemoryRecordsBuilder recordsBuilder(common::utils::Bytes buffer) const;
    //< ch09

    const Settings settings_;
    //> ch10
    const std::shared_ptr<BufferPool> free_;
    //< ch10
    std::shared_ptr<common::utils::Time> time_;
    /*> ch04-08 locked-map
    // One lock for the map: every append takes it, if only to find its deque. Chapter 8
    // replaces it with a copy-on-write map, whose readers take no lock at all.
    mutable std::mutex batchesMutex_;
    std::map<common::TopicPartition, std::shared_ptr<Deque>> batches_;
    */
    //> ch08 batches-map
    // Read on every append and every sender loop, written only when a partition is seen for
    // the first time: the read-mostly case a copy-on-write map is for.
    common::utils::CopyOnWriteMap<common::TopicPartition, std::shared_ptr<Deque>> batches_;
    //< ch08 batches-map
    std::atomic<bool> closed_{false};
    //> ch11
    // Every batch created and not yet deallocated: in a deque, or drained and in flight.
    // What a forced close must fail.
    mutable std::mutex incompleteMutex_;
    std::set<std::shared_ptr<ProducerBatch>> incomplete_;
    // Appends under way: a forced close waits them out, so no batch escapes the abort.
    std::atomic<int> appendsInProgress_{0};
    //< ch11
    //> ch12
    std::atomic<int> flushesInProgress_{0};
    //< ch12
    //> ch23
    // Jittered, so not const; the I/O thread alone uses it (ready() and drain()).
    common::utils::ExponentialBackoff retryBackoff_{
        settings_.retryBackoffMs, 2,
        std::max(settings_.retryBackoffMs, settings_.retryBackoffMaxMs), 0.2};
    //< ch23
    //> ch24
    std::int64_t nextBatchExpiryTimeMs_ = std::numeric_limits<std::int64_t>::max();
    //< ch24
    //> ch17
    // Per node, the partition its next drain starts with (sender thread only).
    std::map<std::int32_t, std::size_t> nodesDrainIndex_;
    //> ch20
    std::set<common::TopicPartition> muted_;  // I/O thread only
    //< ch20
    //< ch17
};

}  // namespace kafka::clients::producer::internals
