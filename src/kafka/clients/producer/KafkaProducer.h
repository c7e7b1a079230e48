//@ ch02
#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>

#include "kafka/clients/ClientUtils.h"
#include "kafka/clients/producer/ProducerConfig.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/common/config/ConfigDef.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/serialization/Serializer.h"
#include "kafka/common/utils/KafkaThread.h"
#include "kafka/common/utils/LogContext.h"
#include "kafka/common/utils/Time.h"
//> ch03
#include "kafka/clients/Metadata.h"
//< ch03
//> ch04
#include "kafka/clients/producer/Callback.h"
#include "kafka/clients/producer/ProducerRecord.h"
#include "kafka/clients/producer/RecordMetadata.h"
#include "kafka/clients/producer/internals/FutureRecordMetadata.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/common/record/AbstractRecords.h"
//< ch04
//> ch06
#include "kafka/clients/producer/Partitioner.h"
//< ch06
//> ch11
#include "kafka/clients/KafkaClient.h"
//< ch11
//> ch25
#include "kafka/clients/producer/internals/SenderMetrics.h"
#include "kafka/common/metrics/Metrics.h"
//< ch25

namespace kafka::clients::producer {

namespace internals {
/// client.id, or "producer-N" for the N-th producer of this process without one.
std::string clientIdFor(const ProducerConfig& config);
//> ch04
/// Throws RecordTooLargeException when a record can never be sent.
void ensureValidRecordSize(std::int64_t size, std::int32_t maxRequestSize,
                           std::int64_t totalMemorySize);
/// A future that has already failed with `error`.
RecordMetadataFuture failedFuture(std::exception_ptr error);
/// The accumulator's settings, from the producer's configuration.
RecordAccumulator::Settings accumulatorSettings(const ProducerConfig& config);
//< ch04
//> ch11
/// The sender's settings, from the producer's configuration (its metrics come later).
Sender::Settings senderSettings(const ProducerConfig& config,
                                const common::utils::LogContext& logContext);
//< ch11
//> ch06
/// The partitioner partitioner.class names (the built-in one when empty).
std::unique_ptr<Partitioner> newPartitioner(const ProducerConfig& config);
//< ch06
/*> ch11-17 unconnected-client-declaration
/// The client a producer uses until it has a network client of its own (chapter 17): it
/// reaches no broker, so batches wait in the accumulator and poll() only waits.
std::shared_ptr<KafkaClient> newUnconnectedClient();
*/
//> ch17
/// The producer's NetworkClient, set up from its configuration (chapter 17).
std::shared_ptr<KafkaClient> newNetworkClient(const ProducerConfig& config,
                                              const std::string& clientId,
                                              const common::utils::LogContext& logContext,
                                              std::shared_ptr<Metadata> metadata,
                                              std::shared_ptr<common::utils::Time> time);
//< ch17
//> ch24
/// delivery.timeout.ms, checked against linger.ms + request.timeout.ms: a batch must be
/// allowed to linger and then wait for one answer. Set too low by the user, it is a
/// ConfigException naming the three keys; left at its default, it is raised to the sum.
std::int64_t deliveryTimeoutMs(const ProducerConfig& config);
//< ch24
}  // namespace internals

/// Kafka's producer: send() hands a record over and returns at once with a future; one
/// background thread, the Sender, batches records per partition and ships them to the
/// partitions' leaders. Thread-safe: many threads may share one producer, which is faster
/// than one producer each, because their records share batches.
///
/// The constructor is chapter 2; send() is chapters 4 to 6.
template <typename K, typename V>
class KafkaProducer {
public:
    using KeySerializer = std::unique_ptr<common::serialization::Serializer<K>>;
    using ValueSerializer = std::unique_ptr<common::serialization::Serializer<V>>;

    /// What a test may hand the producer instead of the real thing, as Kafka's own tests hand
    /// MockTime, a Metadata and a MockClient to its package-private constructor. Whatever is
    /// left empty, the producer builds from its configuration.
    struct Dependencies {
        std::shared_ptr<common::utils::Time> time = common::utils::Time::system();
        //> ch03
        std::shared_ptr<Metadata> metadata{};
        //< ch03
        //> ch11
        std::shared_ptr<KafkaClient> client{};
        //< ch11
    };

    /// Builds every part of the producer and starts its I/O thread. A bad configuration
    /// throws ConfigException naming the key and the value, before any thread starts.
    KafkaProducer(const common::config::Properties& props, KeySerializer keySerializer,
                  ValueSerializer valueSerializer)
        : KafkaProducer(ProducerConfig(props), std::move(keySerializer), std::move(valueSerializer),
                        Dependencies{}) {}

    /// The same, from a parsed configuration, with some of the parts supplied (tests).
    //> ch02 constructor
    KafkaProducer(ProducerConfig config, KeySerializer keySerializer,
                  ValueSerializer valueSerializer, Dependencies dependencies)
        : config_(std::move(config)),
          clientId_(internals::clientIdFor(config_)),
          logContext_("[Producer clientId=" + clientId_ + "] "),
          log_(logContext_.logger("KafkaProducer")),
          time_(std::move(dependencies.time)),
          keySerializer_(std::move(keySerializer)),
          valueSerializer_(std::move(valueSerializer)) {
        using C = ProducerConfig;
        // Addresses are checked now; names are resolved when connecting (chapter 15).
        const auto addresses =
            parseAndValidateAddresses(config_.getList(C::kBootstrapServers), C::kBootstrapServers);
        //> ch03
        if (dependencies.metadata) {
            metadata_ = std::move(dependencies.metadata);
        } else {
            metadata_ = std::make_shared<Metadata>(config_.getLong(C::kRetryBackoffMs),
                                                   config_.getLong(C::kMetadataMaxAgeMs),
                                                   config_.getLong(C::kMetadataMaxIdleMs), time_);
            // Until the first response, the cluster is just the bootstrap brokers.
            metadata_->update(common::Cluster::bootstrap(addresses), time_->milliseconds());
        }
        //< ch03
        //> ch06
        partitioner_ = internals::newPartitioner(config_);
        partitionerIgnoreKeys_ = config_.getBoolean(C::kPartitionerIgnoreKeys);
        //< ch06
        //> ch04
        maxRequestSize_ = config_.getInt(C::kMaxRequestSize);
        totalMemorySize_ = config_.getLong(C::kBufferMemory);
        maxBlockTimeMs_ = config_.getLong(C::kMaxBlockMs);
        /*> ch04-10 accumulator-without-pool
        accumulator_ = std::make_shared<internals::RecordAccumulator>(
            internals::accumulatorSettings(config_), time_);
        */
        //< ch04
        //> ch36 transaction-manager
        // enable.idempotence (chapter 36): one TransactionManager, which the accumulator uses
        // to number the batches and the sender to get the producer id.
        if (config_.idempotenceEnabled())
            transactionManager_ = std::make_shared<internals::TransactionManager>(logContext_);
        //< ch36 transaction-manager
        //> ch10 accumulator-with-pool
        // One pool of buffer.memory bytes for every batch of this producer (chapter 10).
        auto accumulatorSettings = internals::accumulatorSettings(config_);
        //> ch36
        accumulatorSettings.transactionManager = transactionManager_;
        //< ch36
        accumulator_ = std::make_shared<internals::RecordAccumulator>(
            std::move(accumulatorSettings),
            std::make_shared<internals::BufferPool>(totalMemorySize_, config_.getInt(C::kBatchSize),
                                                    time_),
            time_);
        //< ch10 accumulator-with-pool
        /*> ch02-11 sender-shell
        sender_ = std::make_shared<internals::Sender>(time_);
        */
        //> ch11 sender
        auto client = std::move(dependencies.client);
        /*> ch11-17 unconnected-client
        if (!client) client = internals::newUnconnectedClient();
        */
        //> ch17 network-client
        // The real network: one NetworkClient, over one Selector, to every broker.
        if (!client)
            client = internals::newNetworkClient(config_, clientId_, logContext_, metadata_, time_);
        //< ch17 network-client
        auto senderSettings = internals::senderSettings(config_, logContext_);
        //> ch25 metrics
        // What the producer measures, under Kafka's names: the sender's sensors, and gauges
        // read when asked (producer.metrics(), kafka-producer-perf-test --print-metrics).
        metrics_ = std::make_shared<common::metrics::Metrics>(
            common::metrics::MetricConfig{config_.getInt(C::kMetricsNumSamples),
                                          config_.getLong(C::kMetricsSampleWindowMs)},
            time_);
        registerBufferPoolMetrics();
        senderSettings.metrics =
            std::make_shared<internals::SenderMetrics>(metrics_, clientId_, metadata_);
        //< ch25 metrics
        //> ch36
        senderSettings.transactionManager = transactionManager_;
        //< ch36
        sender_ = std::make_shared<internals::Sender>(std::move(client), metadata_, accumulator_,
                                                      std::move(senderSettings), time_);
        //< ch11 sender
        ioThread_ = std::make_unique<common::utils::KafkaThread>(
            "kafka-producer-network-thread | " + clientId_, [sender = sender_] { sender->run(); });
        config_.logUnused();
    }
    //< ch02 constructor

    /*> ch02-11 destructor
    /// Closes gracefully, waiting as long as it takes (see close(timeout)).
    ~KafkaProducer() { close(); }
    */
    //> ch11 destructor
    /// Closes without waiting: records not delivered yet fail with "Producer is closed
    /// forcefully.", as librdkafka's destroy purges them. Call close() first to deliver them;
    /// a destructor that waited for brokers could block forever.
    ~KafkaProducer() { close(std::chrono::milliseconds(0)); }
    //< ch11 destructor

    KafkaProducer(const KafkaProducer&) = delete;
    KafkaProducer& operator=(const KafkaProducer&) = delete;

    //> ch04 send
    /// Hands the record to the producer and returns at once (unless metadata or memory must
    /// be waited for, up to max.block.ms). The future and the callback complete exactly once.
    ///
    /// Errors the protocol can name (ApiException: timeouts, a record too large, ...) are
    /// reported through the future and the callback, not thrown; serialization errors, an
    /// invalid partition and a closed producer are thrown, because retrying cannot fix them.
    RecordMetadataFuture send(const ProducerRecord<K, V>& record, Callback callback = nullptr) {
        return doSend(record, std::move(callback));
    }
    //< ch04 send

    //> ch22 flush
    /// Makes every record sent so far ready to go at once (whatever linger.ms says) and
    /// waits until each has its outcome, an offset or an error. Records sent by other threads
    /// meanwhile may or may not be waited for. Throws KafkaException when called from a
    /// callback.
    void flush() {
        // A callback runs on the I/O thread, and only that thread completes the batches a flush
        // waits for: it would wait for itself for ever. Kafka 4.0 refuses it too (KAFKA-10790).
        if (ioThread_->isCurrentThread()) {
            const std::string refused =
                "KafkaProducer.flush() invocation inside a callback is not permitted because it "
                "may lead to deadlock.";
            log_.error("{}", refused);
            throw common::errors::KafkaException(refused);
        }
        accumulator_->beginFlush();
        sender_->wakeup();
        accumulator_->awaitFlushCompletion();
    }
    //< ch22 flush

    //> ch06
    /// The partitions of a topic, waiting for its metadata if needed.
    std::vector<common::PartitionInfo> partitionsFor(const std::string& topic) {
        throwIfProducerClosed();
        const auto cluster =
            waitOnMetadata(topic, std::nullopt, time_->milliseconds(), maxBlockTimeMs_).cluster;
        return cluster->partitionsForTopic(topic);
    }
    //< ch06

    /// Closes the producer: no more sends; what was accepted is finished, and the I/O
    /// thread ends. Waits at most `timeout`; after that (or with a zero timeout) the close is
    /// forced, and what is still pending fails. Safe to call more than once, from several
    /// threads at once, and from a callback (chapter 11: there it is forced and returns at once).
    void close(std::chrono::milliseconds timeout = std::chrono::milliseconds::max()) {
        //> ch11 close-from-callback
        // A callback runs on the I/O thread, which cannot wait for itself to end: from there a
        // close is forced, and the thread is left to finish the loop it is in (Kafka's
        // KafkaProducer.close checks the same, "invokedFromCallback").
        if (ioThread_->isCurrentThread()) {
            if (timeout.count() > 0)
                log_.warn(
                    "Overriding close timeout {} ms to 0 ms in order to prevent useless "
                    "blocking due to self-join. This means you have incorrectly invoked "
                    "close with a non-zero timeout from the producer call-back.",
                    timeout.count());
            sender_->forceClose();
            return;
        }
        //< ch11 close-from-callback
        // One close at a time; a second caller waits for the first to finish, then finds
        // nothing left to do.
        std::lock_guard closing(closeMutex_);
        //> ch04
        accumulator_->close();
        //< ch04
        if (timeout.count() > 0)
            sender_->initiateClose();
        else
            sender_->forceClose();
        /*> ch02-11 untimed-join
        // std::thread has no timed join; until chapter 11 the sender ends promptly, so the
        // timeout only decides between a graceful and a forced close.
        */
        //> ch11 timed-close
        // Graceful for as long as `timeout` allows; then what is left fails.
        if (timeout.count() > 0 && timeout < std::chrono::milliseconds::max() &&
            !sender_->awaitTermination(timeout.count()))
            sender_->forceClose();
        //< ch11 timed-close
        ioThread_->join();
    }

    /// "kafka-producer-network-thread | <client.id>".
    std::string ioThreadName() const { return ioThread_->name(); }
    const std::string& clientId() const { return clientId_; }
    const ProducerConfig& config() const { return config_; }
    //> ch03
    const std::shared_ptr<Metadata>& metadata() const { return metadata_; }
    //< ch03
    //> ch04
    internals::RecordAccumulator& accumulator() { return *accumulator_; }
    //< ch04
    const internals::Sender& sender() const { return *sender_; }
    internals::Sender& sender() { return *sender_; }
    //> ch25
    /// Every metric's current value, by name (Kafka's producer.metrics()).
    std::map<common::metrics::MetricName, double> metrics() const { return metrics_->values(); }
    //< ch25

private:
    //> ch04
    // What waitOnMetadata found, and how long that took (charged to max.block.ms).
    struct ClusterAndWaitTime {
        std::shared_ptr<const common::Cluster> cluster;
        std::int64_t waitedOnMetadataMs;
    };

    //> ch04 throw-if-closed
    void throwIfProducerClosed() const {
        if (!sender_->isRunning())
            throw common::errors::IllegalStateException(
                "Cannot perform operation after producer has been closed");
    }
    //< ch04 throw-if-closed

    //> ch36 throw-if-fatal
    /// After a fatal error of the idempotent producer (a broker refused it an id for good, or
    /// fenced it), no send can keep its promise: refuse it, naming the cause.
    void throwIfFatalError() const {
        if (!transactionManager_ || !transactionManager_->hasFatalError()) return;
        std::string cause = "an unknown error";
        try {
            std::rethrow_exception(transactionManager_->lastError());
        } catch (const std::exception& e) {
            cause = e.what();
        } catch (...) {
        }
        throw common::errors::KafkaException(
            "Cannot perform send because at least one previous idempotent request has failed "
            "with errors: " +
            cause);
    }
    //< ch36 throw-if-fatal

    //> ch04 do-send
    RecordMetadataFuture doSend(const ProducerRecord<K, V>& record, Callback callback) {
        throwIfProducerClosed();
        //> ch36
        throwIfFatalError();
        //< ch36
        const std::int64_t nowMs = time_->milliseconds();
        common::TopicPartition tp{record.topic(), -1};
        try {
            // 1. Make sure we know the topic's partitions (chapter 5).
            const ClusterAndWaitTime clusterAndWaitTime =
                waitOnMetadata(record.topic(), record.partition(), nowMs, maxBlockTimeMs_);
            const std::int64_t remainingWaitMs =
                std::max<std::int64_t>(0, maxBlockTimeMs_ - clusterAndWaitTime.waitedOnMetadataMs);
            const common::Cluster& cluster = *clusterAndWaitTime.cluster;

            // 2. From here on, only bytes: views of what the serializers made, or of the
            // record's own bytes when its serializer lends them.
            std::optional<common::utils::Bytes> keyMade, valueMade;
            const auto serializedKey =
                serialize(*keySerializer_, record, record.key(), keyMade, "key");
            const auto serializedValue =
                serialize(*valueSerializer_, record, record.value(), valueMade, "value");

            // 3. Choose the partition (chapter 6).
            tp.partition = partition(record, serializedKey, serializedValue, cluster);
            log_.trace("Attempting to append a record to {}-{}", tp.topic, tp.partition);

            // 4. A record that can never be sent fails now, not after waiting for memory.
            const std::int64_t serializedSize =
                common::record::AbstractRecords::estimateSizeInBytesUpperBound(
                    serializedKey, serializedValue, record.headers());
            internals::ensureValidRecordSize(serializedSize, maxRequestSize_, totalMemorySize_);
            const std::int64_t timestamp = record.timestamp().value_or(nowMs);

            //> ch04 append-step
            // 5. Into the accumulator (chapters 7 to 10).
            // The callback is taken only if the record is appended.
            auto result = accumulator_->append(tp, timestamp, serializedKey, serializedValue,
                                               record.headers(), std::move(callback),
                                               remainingWaitMs, /*abortOnNewBatch=*/true, nowMs);
            //> ch06
            if (result.abortForNewBatch) {
                // The sticky partition's batch is full: move on, then append for real.
                const std::int32_t prevPartition = tp.partition;
                partitioner_->onNewBatch(record.topic(), cluster, prevPartition);
                tp.partition = partition(record, serializedKey, serializedValue, cluster);
                result = accumulator_->append(tp, timestamp, serializedKey, serializedValue,
                                              record.headers(), std::move(callback),
                                              remainingWaitMs, false, nowMs);
            }
            //< ch06
            //< ch04 append-step

            // 6. A full batch or a new one is worth waking the sender for; anything else can
            // wait for linger.ms, which keeps the I/O thread from waking on every record.
            if (result.batchIsFull || result.newBatchCreated) sender_->wakeup();
            return std::move(*result.future);
        } catch (const common::errors::ApiException&) {
            // Reported, not thrown: the caller learns through the future and the callback.
            const auto error = std::current_exception();
            if (callback)
                callback(RecordMetadata(tp, RecordMetadata::kUnknownOffset, -1,
                                        RecordMetadata::kNoTimestamp, -1, -1),
                         error);
            return internals::failedFuture(error);
        }
    }
    //< ch04 do-send

    //> ch04 serialize
    // The serialized bytes, as a view: of `made`, where the serializer's bytes are kept for
    // the length of send(), or of `data` itself when the serializer lends it.
    template <typename T>
    static std::optional<common::utils::ByteView> serialize(
        common::serialization::Serializer<T>& serializer, const ProducerRecord<K, V>& record,
        const std::optional<T>& data, std::optional<common::utils::Bytes>& made, const char* what) {
        if constexpr (std::is_same_v<T, common::utils::Bytes>)
            if (serializer.lendsItsInput()) return data;  // the caller's record outlives send()
        try {
            made = serializer.serialize(record.topic(), data);
            return made;
        } catch (const common::errors::SerializationException&) {
            throw;
        } catch (const std::exception& e) {
            throw common::errors::SerializationException(std::string("Can't serialize the ") +
                                                         what + " of a record for topic " +
                                                         record.topic() + ": " + e.what());
        }
    }
    //< ch04 serialize

    /*> ch04-05 wait-on-metadata-cached
    // The simplest honest version: use the metadata we have, or fail. Chapter 5 waits.
    ClusterAndWaitTime waitOnMetadata(const std::string& topic, std::optional<std::int32_t>,
                                      std::int64_t, std::int64_t) {
        auto cluster = metadata_->fetch();
        if (!cluster->partitionCountForTopic(topic))
            throw common::errors::TimeoutException("Topic " + topic +
                                                   " not present in metadata.");
        return {cluster, 0};
    }
    */
    //< ch04
    //> ch05 wait-on-metadata
    // Waits until the topic (and the record's partition, if it names one) is in the metadata,
    // asking the I/O thread for refreshes; the whole wait counts against max.block.ms.
    ClusterAndWaitTime waitOnMetadata(const std::string& topic,
                                      std::optional<std::int32_t> partition, std::int64_t nowMs,
                                      std::int64_t maxWaitMs) {
        auto cluster = metadata_->fetch();
        metadata_->add(topic, nowMs);
        std::optional<std::int32_t> partitionsCount = cluster->partitionCountForTopic(topic);
        // The common case: everything is known, nothing to wait for.
        if (partitionsCount && (!partition || *partition < *partitionsCount)) return {cluster, 0};

        auto timeoutMessage = [&] {
            const std::string waited =
                " not present in metadata after " + std::to_string(maxWaitMs) + " ms.";
            if (!partitionsCount) return "Topic " + topic + waited;
            return "Partition " + std::to_string(*partition) + " of topic " + topic +
                   " with partition count " + std::to_string(*partitionsCount) + " is" + waited;
        };
        std::int64_t remainingWaitMs = maxWaitMs;
        std::int64_t elapsed = 0;
        do {
            metadata_->add(topic, nowMs + elapsed);
            const int version = metadata_->requestUpdate();
            sender_->wakeup();
            try {
                metadata_->awaitUpdate(version, remainingWaitMs);
            } catch (const common::errors::TimeoutException&) {
                throw common::errors::TimeoutException(timeoutMessage());
            }
            cluster = metadata_->fetch();
            elapsed = time_->milliseconds() - nowMs;
            if (elapsed >= maxWaitMs) throw common::errors::TimeoutException(timeoutMessage());
            remainingWaitMs = maxWaitMs - elapsed;
            partitionsCount = cluster->partitionCountForTopic(topic);
        } while (!partitionsCount || (partition && *partition >= *partitionsCount));
        return {cluster, elapsed};
    }
    //< ch05 wait-on-metadata

    //> ch04
    /*> ch04-06 partition-explicit-only
    // Until the partitioner arrives (chapter 6): the record's own partition, or the first.
    std::int32_t partition(const ProducerRecord<K, V>& record,
                           std::optional<common::utils::ByteView>,
                           std::optional<common::utils::ByteView>, const common::Cluster&) {
        return record.partition().value_or(0);
    }
    */
    //< ch04
    //> ch06 partition
    // The record's own partition wins; otherwise the partitioner decides.
    std::int32_t partition(const ProducerRecord<K, V>& record,
                           std::optional<common::utils::ByteView> serializedKey,
                           std::optional<common::utils::ByteView> serializedValue,
                           const common::Cluster& cluster) {
        if (record.partition()) return *record.partition();
        const std::optional<common::utils::ByteView> key =
            partitionerIgnoreKeys_ ? std::nullopt : serializedKey;
        const std::int32_t chosen =
            partitioner_->partition(record.topic(), key, serializedValue, cluster);
        if (chosen < 0)
            throw common::errors::IllegalArgumentException(
                "The partitioner generated an invalid partition number: " + std::to_string(chosen) +
                ". Partition number should always be non-negative.");
        return chosen;
    }
    //< ch06 partition

    //> ch25
    // The pool's gauges, as Kafka's RecordAccumulator.registerMetrics has them.
    void registerBufferPoolMetrics() {
        auto name = [this](const std::string& metric) {
            return common::metrics::MetricName{
                metric, internals::SenderMetrics::kGroup, {{"client-id", clientId_}}};
        };
        metrics_->addGauge(name("waiting-threads"), [accumulator = accumulator_](std::int64_t) {
            return static_cast<double>(accumulator->bufferPool().queued());
        });
        metrics_->addGauge(name("buffer-total-bytes"), [accumulator = accumulator_](std::int64_t) {
            return static_cast<double>(accumulator->bufferPool().totalMemory());
        });
        metrics_->addGauge(
            name("buffer-available-bytes"), [accumulator = accumulator_](std::int64_t) {
                return static_cast<double>(accumulator->bufferPool().availableMemory());
            });
    }
    //< ch25

    ProducerConfig config_;
    std::string clientId_;
    common::utils::LogContext logContext_;
    common::utils::Logger log_;
    std::shared_ptr<common::utils::Time> time_;
    KeySerializer keySerializer_;
    ValueSerializer valueSerializer_;
    //> ch03
    std::shared_ptr<Metadata> metadata_;
    //< ch03
    //> ch06
    std::unique_ptr<Partitioner> partitioner_;
    bool partitionerIgnoreKeys_ = false;
    //< ch06
    //> ch04
    std::int32_t maxRequestSize_ = 0;
    std::int64_t totalMemorySize_ = 0;
    std::int64_t maxBlockTimeMs_ = 0;
    std::shared_ptr<internals::RecordAccumulator> accumulator_;
    //< ch04
    //> ch36
    std::shared_ptr<internals::TransactionManager> transactionManager_;  // null: not idempotent
    //< ch36
    //> ch25
    std::shared_ptr<common::metrics::Metrics> metrics_;
    //< ch25
    std::shared_ptr<internals::Sender> sender_;
    std::unique_ptr<common::utils::KafkaThread> ioThread_;
    std::mutex closeMutex_;
};

}  // namespace kafka::clients::producer
