//@ ch02
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
//> ch11
#include <map>
//< ch11
#include <memory>
#include <mutex>
//> ch24
#include <set>
//< ch24
//> ch11
#include <vector>

#include "kafka/clients/ClientResponse.h"
#include "kafka/clients/KafkaClient.h"
#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/ProducerBatch.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/common/requests/ProduceResponse.h"
//< ch11
//> ch25
#include "kafka/clients/producer/internals/SenderMetrics.h"
//< ch25
//> ch36
#include "kafka/clients/producer/internals/TransactionManager.h"
//< ch36
#include "kafka/common/utils/LogContext.h"
#include "kafka/common/utils/Time.h"

namespace kafka::clients::producer::internals {

/// The body of the producer's only thread, "kafka-producer-network-thread | <client.id>".
/// Everything that touches the network happens here, so that send() never waits for a broker.
///
//> ch11 sender-doc
/// Each loop (runOnce) asks the accumulator which brokers lead a partition with a batch ready
/// to go, keeps those the client is ready to talk to, drains one request's worth of batches
/// for each, sends one produce request per broker, and polls the client, which does the I/O
/// and calls back with the answers. It sleeps in poll() until the next batch can be ready,
/// unless send() wakes it because a batch filled up.
//< ch11 sender-doc
class Sender {
public:
    /*> ch02-11 sender-shell-constructor
    explicit Sender(std::shared_ptr<common::utils::Time> time);
    */
    //> ch11 sender-settings
    /// What the sender is told by the producer's configuration. The defaults suit a bare
    /// sender in a test: it does not retry (the producer passes retries, Kafka's default being
    /// "forever", bounded by delivery.timeout.ms).
    struct Settings {
        /// max.in.flight.requests.per.connection == 1: one batch per partition in flight, so
        /// that a retry cannot reorder records (chapter 20).
        bool guaranteeMessageOrder = false;
        std::int32_t maxRequestSize = 1'048'576;  // max.request.size
        std::int16_t acks = -1;                   // acks: -1 is "all"
        std::int32_t requestTimeoutMs = 30'000;   // request.timeout.ms, sent in each request
        //> ch23
        std::int32_t retries = 0;  // retries
        //< ch23
        //> ch25
        std::shared_ptr<SenderMetrics> metrics{};  // none in tests that build a bare Sender
        //< ch25
        //> ch36
        /// The idempotent producer's state (chapter 36); none when enable.idempotence is off.
        std::shared_ptr<TransactionManager> transactionManager{};
        std::int64_t retryBackoffMs = 100;  // retry.backoff.ms, between InitProducerId tries
        //< ch36
        common::utils::LogContext logContext{};  // "[Producer clientId=...] "
    };

    Sender(std::shared_ptr<KafkaClient> client, std::shared_ptr<Metadata> metadata,
           std::shared_ptr<RecordAccumulator> accumulator, Settings settings,
           std::shared_ptr<common::utils::Time> time);
    //< ch11 sender-settings

    /// The thread's body: loops until closed. Returns when the thread should end.
    void run();
    /// Interrupts the current wait so that the loop looks at its work again; cheap, and
    /// safe from any thread.
    void wakeup();
    /// Graceful close: finish what has been accepted, then stop.
    void initiateClose();
    /// Forced close: stop now, failing what has not been sent.
    void forceClose();
    bool isRunning() const;
    /// How many times the loop has run: lets tests see that a wakeup was noticed.
    std::int64_t loopCount() const;
    //> ch11
    /// One loop: send what is ready, then poll. Public so that tests can drive the sender
    /// by hand on a fake clock, one step at a time, as Kafka's own tests do.
    void runOnce();
    /// Waits (in real time) up to `timeoutMs` for run() to return; true if it did.
    bool awaitTermination(std::int64_t timeoutMs);
    //< ch11

private:
    /*> ch02-11 sender-shell-members
    void runOnce();

    std::shared_ptr<common::utils::Time> time_;
    mutable std::mutex mutex_;
    std::condition_variable wakeupCondition_;
    bool running_ = true;
    bool wakeupPending_ = false;
    std::int64_t loops_ = 0;
    */
    //> ch11
    using BatchesByNode = std::map<std::int32_t, std::vector<std::shared_ptr<ProducerBatch>>>;

    std::int64_t sendProducerData(std::int64_t nowMs);
    void sendProduceRequests(const BatchesByNode& batches, std::int64_t nowMs);
    void sendProduceRequest(std::int64_t nowMs, std::int32_t destination,
                            const std::vector<std::shared_ptr<ProducerBatch>>& batches);
    void handleProduceResponse(
        const ClientResponse& response,
        const std::map<common::TopicPartition, std::shared_ptr<ProducerBatch>>& batches);
    void completeBatch(const std::shared_ptr<ProducerBatch>& batch,
                       const common::requests::ProduceResponse::PartitionResponse& response);
    /// The exception a failed batch completes with (null when it did not fail).
    static std::exception_ptr failure(
        const ProducerBatch& batch,
        const common::requests::ProduceResponse::PartitionResponse& response);
    //> ch23
    bool canRetry(const ProducerBatch& batch,
                  const common::requests::ProduceResponse::PartitionResponse& response,
                  std::int64_t nowMs) const;
    //< ch23
    //> ch24
    std::vector<std::shared_ptr<ProducerBatch>> expiredInFlightBatches(std::int64_t nowMs);
    /// Fails `batch` with a TimeoutException. Its buffer goes back to the pool now, unless
    /// `requestOut`: then its bytes may still be on their way to the broker, lent to the
    /// request's send (chapter 17), and the buffer waits for the request to end.
    void failExpiredBatch(const std::shared_ptr<ProducerBatch>& batch, std::int64_t nowMs,
                          bool requestOut = false);
    //< ch24
    //> ch36
    bool maybeSendAndPollTransactionalRequest();
    void sendInitProducerIdRequest(const common::Node& node, std::int64_t nowMs);
    void handleInitProducerIdResponse(const ClientResponse& response);
    void maybeAbortBatches(const std::exception_ptr& error);
    //< ch36

    const std::shared_ptr<KafkaClient> client_;
    const std::shared_ptr<Metadata> metadata_;
    const std::shared_ptr<RecordAccumulator> accumulator_;
    const Settings settings_;
    const std::shared_ptr<common::utils::Time> time_;
    const common::utils::Logger log_;

    std::atomic<bool> running_{true};
    std::atomic<bool> forceClose_{false};
    std::atomic<std::int64_t> loops_{0};
    std::mutex terminationMutex_;
    std::condition_variable terminated_;
    bool hasTerminated_ = false;
    //< ch11
    //> ch24
    // Batches sent and not answered yet, per partition, oldest first: delivery.timeout.ms
    // applies to them too (I/O thread only).
    std::map<common::TopicPartition, std::vector<std::shared_ptr<ProducerBatch>>> inFlightBatches_;
    // Batches that expired while their request was out: done for their callers, but their
    // buffers stay out of the pool until completeBatch sees the request end.
    std::set<std::shared_ptr<ProducerBatch>> expiredWhileOut_;
    //< ch24
    //> ch36
    // A retriable InitProducerId failure waits retry.backoff.ms before the next try.
    std::int64_t initProducerIdBackoffUntilMs_ = 0;
    //< ch36
};

}  // namespace kafka::clients::producer::internals
