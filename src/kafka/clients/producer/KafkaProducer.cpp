//@ ch02
#include "kafka/clients/producer/KafkaProducer.h"

#include <atomic>

//> ch06
#include "kafka/clients/producer/RoundRobinPartitioner.h"
#include "kafka/clients/producer/internals/DefaultPartitioner.h"
//< ch06

namespace kafka::clients::producer::internals {

std::string clientIdFor(const ProducerConfig& config) {
    // Kafka numbers its anonymous producers producer-1, producer-2, ... per process.
    static std::atomic<int> producerClientIdSequence{1};
    const std::string& configured = config.getString(ProducerConfig::kClientId);
    if (!configured.empty()) return configured;
    return "producer-" + std::to_string(producerClientIdSequence++);
}

//> ch04 ensure-valid-record-size
void ensureValidRecordSize(int size, std::int32_t maxRequestSize, std::int64_t totalMemorySize) {
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
    std::promise<RecordMetadata> promise;
    promise.set_exception(std::move(error));
    return promise.get_future().share();
}
//< ch04 ensure-valid-record-size

//> ch06
std::unique_ptr<Partitioner> newPartitioner(const ProducerConfig& config) {
    const std::string& name = config.getString(ProducerConfig::kPartitionerClass);
    if (name.ends_with("RoundRobinPartitioner")) return std::make_unique<RoundRobinPartitioner>();
    return std::make_unique<DefaultPartitioner>();
}
//< ch06

}  // namespace kafka::clients::producer::internals
