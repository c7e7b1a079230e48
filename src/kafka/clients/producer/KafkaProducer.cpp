//@ ch02
#include "kafka/clients/producer/KafkaProducer.h"

#include <atomic>
//> ch11
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <mutex>
//< ch11

//> ch06
#include "kafka/clients/producer/RoundRobinPartitioner.h"
#include "kafka/clients/producer/internals/DefaultPartitioner.h"
//< ch06
//> ch17
#include "kafka/clients/NetworkClient.h"
//< ch17

namespace kafka::clients::producer::internals {

std::string clientIdFor(const ProducerConfig& config) {
    // Kafka numbers its anonymous producers producer-1, producer-2, ... per process.
    static std::atomic<int> producerClientIdSequence{1};
    const std::string& configured = config.getString(ProducerConfig::kClientId);
    if (!configured.empty()) return configured;
    return "producer-" + std::to_string(producerClientIdSequence++);
}

//> ch04 ensure-valid-record-size
void ensureValidRecordSize(std::int64_t size, std::int32_t maxRequestSize,
                           std::int64_t totalMemorySize) {
    using common::errors::RecordTooLargeException;
    if (size > maxRequestSize)
        throw RecordTooLargeException(
            "The message is " + std::to_string(size) +
            " bytes when serialized which is larger than " + std::to_string(maxRequestSize) +
            ", which is the value of the max.request.size configuration.");
    if (size > totalMemorySize)
        throw RecordTooLargeException(
            "The message is " + std::to_string(size) +
            " bytes when serialized which is larger than the total memory buffer you have "
            "configured with the buffer.memory configuration.");
}

RecordMetadataFuture failedFuture(std::exception_ptr error) {
    // Kafka's FutureFailure: a result that is done before anyone asks.
    auto result = std::make_shared<ProduceRequestResult>(common::TopicPartition{"", -1});
    result->set(RecordMetadata::kUnknownOffset, RecordMetadata::kNoTimestamp, std::move(error));
    result->done();
    return RecordMetadataFuture(std::move(result), -1, RecordMetadata::kNoTimestamp,
                                RecordMetadata::kUnknownSize, RecordMetadata::kUnknownSize);
}
//< ch04 ensure-valid-record-size

//> ch38 configure-compression
// compression.type at its level: compression.gzip.level, .lz4.level or .zstd.level, as the
// codec has one (Kafka 3.8, KIP-390; before it every codec ran at its library's default).
std::shared_ptr<const common::compress::Compression> configureCompression(
    const ProducerConfig& config) {
    using C = ProducerConfig;
    using common::record::CompressionType;
    const auto type =
        *common::record::compressionTypeForName(config.getString(C::kCompressionType));
    std::optional<int> level;
    if (type == CompressionType::kGzip) level = config.getInt(C::kCompressionGzipLevel);
    if (type == CompressionType::kLz4) level = config.getInt(C::kCompressionLz4Level);
    if (type == CompressionType::kZstd) level = config.getInt(C::kCompressionZstdLevel);
    return common::compress::Compression::of(type, level);
}
//< ch38 configure-compression

//> ch04 accumulator-settings
RecordAccumulator::Settings accumulatorSettings(const ProducerConfig& config) {
    using C = ProducerConfig;
    RecordAccumulator::Settings settings;
    settings.batchSize = config.getInt(C::kBatchSize);
    //> ch12
    // Batches wait up to linger.ms for company; retried ones back off (chapter 12).
    settings.lingerMs = config.getLong(C::kLingerMs);
    settings.retryBackoffMs = config.getLong(C::kRetryBackoffMs);
    //< ch12
    //> ch23
    // Each retry waits longer, up to retry.backoff.max.ms (chapter 23).
    settings.retryBackoffMaxMs = config.getLong(C::kRetryBackoffMaxMs);
    //< ch23
    //> ch24
    // And none lives past delivery.timeout.ms (chapter 24).
    settings.deliveryTimeoutMs = deliveryTimeoutMs(config);
    //< ch24
    //> ch38
    // Every batch's records through the codec of compression.type (chapter 38).
    settings.compression = configureCompression(config);
    //< ch38
    return settings;
}
//< ch04 accumulator-settings

//> ch11 sender-settings
Sender::Settings senderSettings(const ProducerConfig& config,
                                const common::utils::LogContext& logContext) {
    using C = ProducerConfig;
    Sender::Settings settings;
    settings.guaranteeMessageOrder = config.getInt(C::kMaxInFlightRequestsPerConnection) == 1;
    settings.maxRequestSize = config.getInt(C::kMaxRequestSize);
    settings.acks = config.acks();
    settings.requestTimeoutMs = config.getInt(C::kRequestTimeoutMs);
    //> ch23
    settings.retries = config.getInt(C::kRetries);
    //< ch23
    //> ch36
    settings.retryBackoffMs = config.getLong(C::kRetryBackoffMs);
    //< ch36
    settings.logContext = logContext;
    return settings;
}
//< ch11 sender-settings

//> ch06
std::unique_ptr<Partitioner> newPartitioner(const ProducerConfig& config) {
    const std::string& name = config.getString(ProducerConfig::kPartitionerClass);
    if (name.ends_with("RoundRobinPartitioner")) return std::make_unique<RoundRobinPartitioner>();
    return std::make_unique<DefaultPartitioner>();
}
//< ch06

//> ch24 delivery-timeout
std::int64_t deliveryTimeoutMs(const ProducerConfig& config) {
    using C = ProducerConfig;
    const std::int64_t deliveryTimeout = config.getInt(C::kDeliveryTimeoutMs);
    const std::int64_t lingerAndRequest =
        config.getLong(C::kLingerMs) + config.getInt(C::kRequestTimeoutMs);
    if (deliveryTimeout >= lingerAndRequest) return deliveryTimeout;
    if (config.originals().contains(C::kDeliveryTimeoutMs))
        throw common::errors::ConfigException(
            std::string(C::kDeliveryTimeoutMs) + " should be equal to or larger than " +
            C::kLingerMs + " + " + C::kRequestTimeoutMs + " (" + std::to_string(lingerAndRequest) +
            "), but it is " + std::to_string(deliveryTimeout));
    return lingerAndRequest;
}
//< ch24 delivery-timeout

/*> ch11-17 unconnected-client
namespace {

// Talks to no broker: no node is ever ready, so the sender never drains a batch, and poll()
// sleeps until its timeout or a wakeup. Chapter 14 gives the producer its NetworkClient.
class UnconnectedClient final : public KafkaClient {
public:
    bool isReady(const common::Node&, std::int64_t) override { return false; }
    bool ready(const common::Node&, std::int64_t) override { return false; }
    std::int64_t connectionDelay(const common::Node&, std::int64_t) override {
        return std::numeric_limits<std::int64_t>::max();
    }
    void send(ClientRequest request, std::int64_t) override {
        throw common::errors::IllegalStateException("Attempt to send a request to node " +
                                                    request.destination + " which is not ready.");
    }
    // Waits in real time, as a selector does, whatever clock the producer runs on: the
    // timeout comes from the sender (linger.ms left, say), and only a wakeup cuts it short.
    std::vector<ClientResponse> poll(std::int64_t timeoutMs, std::int64_t) override {
        constexpr std::int64_t kLongestWaitMs = 24LL * 60 * 60 * 1000;  // "forever", in steps
        std::unique_lock lock(mutex_);
        woken_.wait_for(lock, std::chrono::milliseconds(std::min(timeoutMs, kLongestWaitMs)),
                        [this] { return wakeupPending_; });
        wakeupPending_ = false;
        return {};
    }
    int inFlightRequestCount() const override { return 0; }
    void wakeup() override {
        {
            std::lock_guard lock(mutex_);
            wakeupPending_ = true;
        }
        woken_.notify_one();
    }
    void close() override {}

private:
    std::mutex mutex_;
    std::condition_variable woken_;
    bool wakeupPending_ = false;
};

}  // namespace

std::shared_ptr<KafkaClient> newUnconnectedClient() {
    return std::make_shared<UnconnectedClient>();
}
*/

//> ch17 new-network-client
std::shared_ptr<KafkaClient> newNetworkClient(const ProducerConfig& config,
                                              const std::string& clientId,
                                              const common::utils::LogContext& logContext,
                                              std::shared_ptr<Metadata> metadata,
                                              std::shared_ptr<common::utils::Time> time) {
    using C = ProducerConfig;
    NetworkClient::Settings settings;
    settings.clientId = clientId;
    settings.logContext = logContext;
    settings.maxInFlightRequestsPerConnection = config.getInt(C::kMaxInFlightRequestsPerConnection);
    settings.connectionStates.reconnectBackoffMs = config.getLong(C::kReconnectBackoffMs);
    settings.connectionStates.reconnectBackoffMaxMs = config.getLong(C::kReconnectBackoffMaxMs);
    settings.connectionStates.connectionSetupTimeoutMs =
        config.getLong(C::kSocketConnectionSetupTimeoutMs);
    settings.connectionStates.connectionSetupTimeoutMaxMs =
        config.getLong(C::kSocketConnectionSetupTimeoutMaxMs);
    settings.requestTimeoutMs = config.getInt(C::kRequestTimeoutMs);
    // A client reads responses of any size (Kafka's NetworkReceive.UNLIMITED).
    common::network::Selector::Settings selector;
    selector.connectionMaxIdleMs = config.getLong(C::kConnectionsMaxIdleMs);
    selector.sendBufferBytes = config.getInt(C::kSendBufferBytes);
    selector.receiveBufferBytes = config.getInt(C::kReceiveBufferBytes);
    return std::make_shared<NetworkClient>(std::make_unique<common::network::Selector>(selector),
                                           std::move(metadata), std::move(settings),
                                           std::move(time));
}
//< ch17 new-network-client

}  // namespace kafka::clients::producer::internals
