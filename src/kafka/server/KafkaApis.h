//@ ch30
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "kafka/common/requests/FetchRequest.h"
#include "kafka/common/requests/FetchResponse.h"
#include "kafka/common/utils/LogContext.h"
#include "kafka/log/LogManager.h"
#include "kafka/network/RequestChannel.h"
#include "kafka/server/DelayedOperationPurgatory.h"
#include "kafka/server/KafkaConfig.h"
//> ch31
#include "kafka/server/ReplicaManager.h"
//< ch31
//> ch36
#include "kafka/coordinator/transaction/ProducerIdManager.h"
//< ch36

namespace kafka::server {

/// The broker's request handling (Kafka's KafkaApis): one handle() that looks at the API key
/// and does what the request asks, on a handler thread, then queues the response for the
/// Processor that owns the connection. This broker serves the five APIs a client needs to
/// produce and to consume without a group: ApiVersions, Metadata, Produce, ListOffsets and
/// Fetch.
class KafkaApis {
public:
    /// What the handlers work with; each chapter of the broker adds what it needs.
    struct Settings {
        std::shared_ptr<network::RequestChannel> requestChannel;
        std::shared_ptr<log::LogManager> logManager;
        KafkaConfig config;
        /// The port the listener is bound to, which Metadata answers give as this broker's.
        int port = 0;
        //> ch31
        /// The way into the partitions' logs for writes (chapter 31).
        std::shared_ptr<ReplicaManager> replicaManager{};
        //< ch31
    };

    explicit KafkaApis(Settings settings);
    ~KafkaApis();

    /// Handles one request. Whatever goes wrong, the request gets an answer: an error
    /// response where the protocol has one, or the closing of its connection.
    void handle(const std::shared_ptr<const network::RequestChannel::Request>& request);

    /// Answers the fetches still waiting for data, and stops waiting for more.
    void shutdown();

    /// The id Metadata answers give the cluster.
    static constexpr const char* kClusterId = "kafka-course-cluster";

private:
    using Request = network::RequestChannel::Request;

    void handleApiVersionsRequest(const std::shared_ptr<const Request>& request);
    void handleMetadataRequest(const std::shared_ptr<const Request>& request);
    void handleProduceRequest(const std::shared_ptr<const Request>& request);
    void handleListOffsetsRequest(const std::shared_ptr<const Request>& request);
    void handleFetchRequest(const std::shared_ptr<const Request>& request);
    //> ch36
    void handleInitProducerIdRequest(const std::shared_ptr<const Request>& request);
    //< ch36

    // What one read of a fetch's partitions found (Kafka's ReplicaManager.readFromLog).
    struct LogReadResult {
        std::map<common::TopicPartition, common::requests::FetchResponse::PartitionData> partitions;
        std::int64_t bytes = 0;
        bool anyError = false;
    };
    LogReadResult readFromLog(const common::requests::FetchRequest& fetch,
                              std::int32_t maxBytes) const;

    template <typename Response>
    void sendResponse(const std::shared_ptr<const Request>& request, const Response& response);
    void sendNoOpResponse(const std::shared_ptr<const Request>& request);
    void closeConnection(const std::shared_ptr<const Request>& request);

    const Settings settings_;
    // Kafka's logIdent: "[KafkaApi-0] " in front of every line, so that a cluster's logs say
    // which broker spoke.
    const common::utils::Logger log_ =
        common::utils::LogContext("[KafkaApi-" + std::to_string(settings_.config.brokerId()) + "] ")
            .logger("KafkaApis");
    DelayedOperationPurgatory fetchPurgatory_{"Fetch"};
    /*> ch36-37 producer-ids-in-memory
    coordinator::transaction::ProducerIdManager producerIdManager_;
    */
    //> ch37
    // Its blocks are written down in the first log directory, so ids survive a restart.
    coordinator::transaction::ProducerIdManager producerIdManager_{
        settings_.config.logDirs().front() / "producer-id-block"};
    //< ch37
};

}  // namespace kafka::server
