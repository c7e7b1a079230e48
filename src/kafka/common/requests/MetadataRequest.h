//@ ch14
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::common::requests {

/// "Tell me about these topics, and about the brokers" (Kafka's MetadataRequest). Any broker
/// can answer it, which is why the client sends it to the least loaded one. An empty list asks
/// for the brokers only; no list at all (std::nullopt) asks for every topic.
class MetadataRequest final : public AbstractRequest {
public:
    explicit MetadataRequest(std::optional<std::vector<std::string>> topics,
                             bool allowAutoTopicCreation = true)
        : topics_(std::move(topics)), allowAutoTopicCreation_(allowAutoTopicCreation) {}

    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kMetadata; }
    const std::optional<std::vector<std::string>>& topics() const { return topics_; }
    bool allowAutoTopicCreation() const { return allowAutoTopicCreation_; }

    /// Versions 1 to 8.
    void write(protocol::Writable& out, std::int16_t version) const override;
    //> ch30
    /// The broker's side: versions 0 to 8 (see KafkaApis for why 0).
    static std::shared_ptr<const MetadataRequest> parse(protocol::Readable& in,
                                                        std::int16_t version);
    //< ch30

private:
    std::optional<std::vector<std::string>> topics_;
    bool allowAutoTopicCreation_;
};

}  // namespace kafka::common::requests
