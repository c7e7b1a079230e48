//@ ch15
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kafka/clients/ClusterConnectionStates.h"
#include "kafka/clients/InFlightRequests.h"
#include "kafka/clients/KafkaClient.h"
#include "kafka/clients/Metadata.h"
//> ch16
#include "kafka/clients/NodeApiVersions.h"
//< ch16
#include "kafka/common/network/Selector.h"
#include "kafka/common/protocol/ApiKeys.h"
#include "kafka/common/requests/AbstractRequest.h"
#include "kafka/common/utils/LogContext.h"
#include "kafka/common/utils/Time.h"

namespace kafka::clients {

/// The producer's client to the whole cluster (Kafka's NetworkClient): one Selector for every
/// broker connection, the book of connection states (reconnect backoff), the requests in
/// flight per broker, and the metadata updater that keeps the cluster view fresh. It turns
/// requests into frames (header and body in the version agreed with that broker) and frames
/// back into responses, and completes every request exactly once: answered, sent (acks=0),
/// disconnected or timed out.
///
/// Not thread-safe: the sender's I/O thread alone calls it, except wakeup().
class NetworkClient final : public KafkaClient {
public:
    struct Settings {
        std::string clientId;
        int maxInFlightRequestsPerConnection = 5;
        /// reconnect.backoff.ms and .max.ms; from chapter 16 the connection setup timeouts.
        ClusterConnectionStates::Settings connectionStates{};
        std::int32_t requestTimeoutMs = 30'000;
        /// Who is speaking in the log: "[Producer clientId=...] ".
        common::utils::LogContext logContext{};
    };

    NetworkClient(std::unique_ptr<common::network::Selector> selector,
                  std::shared_ptr<Metadata> metadata, Settings settings,
                  std::shared_ptr<common::utils::Time> time);

    bool isReady(const common::Node& node, std::int64_t nowMs) override;
    bool ready(const common::Node& node, std::int64_t nowMs) override;
    std::int64_t connectionDelay(const common::Node& node, std::int64_t nowMs) override;
    void send(ClientRequest request, std::int64_t nowMs) override;
    std::vector<ClientResponse> poll(std::int64_t timeoutMs, std::int64_t nowMs) override;
    int inFlightRequestCount() const override;
    void wakeup() override;
    void close() override;

    /// Closes the connection to one node; its requests in flight complete as disconnected.
    void close(const std::string& nodeId);
    /// The node with the fewest requests in flight among those the client may talk to now
    /// (connected, connecting, or not blacked out by a backoff): where metadata requests go.
    /*> ch15-36 least-loaded-node
    std::optional<common::Node> leastLoadedNode(std::int64_t nowMs);
    */
    //> ch36 least-loaded-node-override
    std::optional<common::Node> leastLoadedNode(std::int64_t nowMs) override;
    //< ch36 least-loaded-node-override
    /// The connection is down and inside its backoff.
    bool connectionFailed(const common::Node& node) const;
    const ClusterConnectionStates& connectionStates() const { return connectionStates_; }

private:
    bool canSendRequest(const std::string& node, std::int64_t nowMs) const;
    void initiateConnect(const common::Node& node, std::int64_t nowMs);
    void doSend(ClientRequest request, bool isInternalRequest, std::int16_t version,
                std::int64_t nowMs);
    std::int16_t versionFor(const std::string& node, common::protocol::ApiKeys api) const;
    std::int32_t nextCorrelationId();

    void handleCompletedSends(std::vector<ClientResponse>& responses, std::int64_t nowMs);
    void handleCompletedReceives(std::vector<ClientResponse>& responses, std::int64_t nowMs);
    void handleDisconnections(std::vector<ClientResponse>& responses, std::int64_t nowMs);
    void handleConnections();
    std::shared_ptr<const common::requests::AbstractResponse> parseResponse(
        const InFlightRequest& request, std::span<const std::uint8_t> frame) const;
    void handleInternalResponse(const InFlightRequest& request,
                                const common::requests::AbstractResponse& body, std::int64_t nowMs);
    //> ch16
    void handleInitiateApiVersionRequests(std::int64_t nowMs);
    void handleApiVersionsResponse(const InFlightRequest& request,
                                   const common::requests::AbstractResponse& body,
                                   std::int64_t nowMs);
    void handleTimedOutConnections(std::vector<ClientResponse>& responses, std::int64_t nowMs);
    //< ch16
    //> ch25
    void handleTimedOutRequests(std::vector<ClientResponse>& responses, std::int64_t nowMs);
    //< ch25
    /// Closes the connection for a reason of ours (a response that makes no sense, a timeout).
    void closeWithError(std::vector<ClientResponse>& responses, const std::string& node,
                        std::int64_t nowMs, const std::string& reason);
    /// A request in flight that will get no answer: its caller hears "disconnected"; for the
    /// client's own requests, the client stops waiting for them.
    void completeAsDisconnected(std::vector<ClientResponse>& responses, InFlightRequest& request,
                                std::int64_t nowMs);
    void handleFailedMetadataRequest(std::int64_t nowMs);
    /// The connection is gone: mark it, fail its requests in flight, refresh the metadata.
    void processDisconnection(std::vector<ClientResponse>& responses, const std::string& node,
                              std::int64_t nowMs);

    // The metadata updater (Kafka's DefaultMetadataUpdater): sends a MetadataRequest to the
    // least loaded node when the metadata asks for a refresh.
    std::int64_t maybeUpdateMetadata(std::int64_t nowMs);
    bool isMetadataUpdateDue(std::int64_t nowMs) const;
    void handleMetadataResponse(const common::requests::AbstractResponse& body, std::int64_t nowMs);

    std::unique_ptr<common::network::Selector> selector_;
    std::shared_ptr<Metadata> metadata_;
    const Settings settings_;
    const common::utils::Logger log_;
    std::shared_ptr<common::utils::Time> time_;
    ClusterConnectionStates connectionStates_;
    InFlightRequests inFlightRequests_;
    //> ch16
    std::map<std::string, NodeApiVersions> apiVersions_;
    // Connected nodes whose ApiVersions request is not sent yet, with the version to send.
    std::map<std::string, std::int16_t> nodesNeedingApiVersionsFetch_;
    //< ch16
    // Requests failed outside poll() (close(node)), completed at the next poll.
    std::vector<ClientResponse> abortedResponses_;
    std::int32_t correlation_ = 0;
    bool metadataFetchInProgress_ = false;
    std::size_t nodeIndexOffset_ = 0;  // where leastLoadedNode starts, moved on each call
};

}  // namespace kafka::clients
