//@ ch15
#include "kafka/clients/NetworkClient.h"

#include <algorithm>
#include <iostream>
#include <limits>
#include <set>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/protocol/Errors.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"
//> ch16
#include "kafka/common/requests/ApiVersionsRequest.h"
#include "kafka/common/requests/ApiVersionsResponse.h"
//< ch16
#include "kafka/common/requests/MetadataRequest.h"
#include "kafka/common/requests/MetadataResponse.h"
#include "kafka/common/requests/RequestHeader.h"
#include "kafka/common/requests/ResponseHeader.h"

namespace kafka::clients {

using common::protocol::ApiKeys;

NetworkClient::NetworkClient(std::unique_ptr<common::network::Selector> selector,
                             std::shared_ptr<Metadata> metadata, Settings settings,
                             std::shared_ptr<common::utils::Time> time)
    : selector_(std::move(selector)),
      metadata_(std::move(metadata)),
      settings_(std::move(settings)),
      log_(settings_.logContext.logger("NetworkClient")),
      time_(std::move(time)),
      connectionStates_(settings_.connectionStates),
      inFlightRequests_(settings_.maxInFlightRequestsPerConnection) {}

//> ch15 ready
bool NetworkClient::isReady(const common::Node& node, std::int64_t nowMs) {
    // A metadata refresh that is due goes first: until it is sent, no node counts as ready.
    return !isMetadataUpdateDue(nowMs) && canSendRequest(node.idString(), nowMs);
}

bool NetworkClient::ready(const common::Node& node, std::int64_t nowMs) {
    if (node.isEmpty())
        throw common::errors::IllegalArgumentException("Cannot connect to empty node " +
                                                       node.toString());
    if (isReady(node, nowMs)) return true;
    // Not ready: start connecting if the backoff allows. The batch waits for a later loop.
    if (connectionStates_.canConnect(node.idString(), nowMs)) initiateConnect(node, nowMs);
    return false;
}

bool NetworkClient::canSendRequest(const std::string& node, std::int64_t nowMs) const {
    /*> ch15-21 no-throttle-yet
    (void)nowMs;  // chapter 21 asks whether the broker throttles this client
    */
    return connectionStates_.isReady(node) &&
           //> ch21
           !connectionStates_.isThrottled(node, nowMs) &&
           //< ch21
           selector_->isChannelReady(node) && inFlightRequests_.canSendMore(node);
}

void NetworkClient::initiateConnect(const common::Node& node, std::int64_t nowMs) {
    const std::string id = node.idString();
    connectionStates_.connecting(id, nowMs);
    log_.debug("Initiating connection to node {}", node.toString());
    try {
        selector_->connect(id, node.host(), node.port());
    } catch (const common::errors::KafkaException& e) {
        // A name that does not resolve, say: this node is down for now; another may serve.
        log_.warn("Error connecting to node {}: {}", node.idString(), e.what());
        connectionStates_.disconnected(id, nowMs);
        metadata_->requestUpdate();
    }
}
//< ch15 ready

std::int64_t NetworkClient::connectionDelay(const common::Node& node, std::int64_t nowMs) {
    return connectionStates_.connectionDelay(node.idString(), nowMs);
}

bool NetworkClient::connectionFailed(const common::Node& node) const {
    return connectionStates_.isDisconnected(node.idString());
}

//> ch15 send
void NetworkClient::send(ClientRequest request, std::int64_t nowMs) {
    const std::string node = request.destination;
    if (!canSendRequest(node, nowMs))
        throw common::errors::IllegalStateException("Attempt to send a request to node " + node +
                                                    " which is not ready.");
    const auto api = request.request->apiKey();
    doSend(std::move(request), false, versionFor(node, api), nowMs);
}

void NetworkClient::doSend(ClientRequest request, bool isInternalRequest, std::int16_t version,
                           std::int64_t nowMs) {
    const auto api = request.request->apiKey();
    const common::requests::RequestHeader header{api, version, nextCorrelationId(),
                                                 settings_.clientId};
    /*> ch15-17 copied-frame
    // The frame: room for its size, the header, then the body, in the version chosen for this
    // broker, in one buffer allocated once. A produce request's record batches are copied
    // into it here, so the batches' buffers are free of the network.
    common::utils::Bytes frame;
    frame.reserve(4 + 64 + settings_.clientId.size() + request.request->sizeHint());
    frame.resize(4);
    common::protocol::Writable out(frame);
    header.write(out);
    request.request->write(out, version);
    log_.debug("Sending {} v{} request with correlation id {} to node {}",
               common::protocol::name(api), version, header.correlationId, request.destination);
    selector_->send(
        common::network::NetworkSend::withSizeInFront(request.destination, std::move(frame)));
    */
    //> ch17 gathered-frame
    // The frame: room for its size, the header, then the body, in the version chosen for this
    // broker. A produce request's record batches are not copied in: the Writable notes where
    // each goes, and the send writes them from the batches' own buffers (Kafka's SendBuilder).
    // The sender keeps the batches, and their buffers out of the pool, until this request
    // ends: answered, timed out, or its connection closed (chapter 24 holds an expired one).
    common::utils::Bytes frame;
    frame.reserve(4 + 64 + settings_.clientId.size() + request.request->sizeHint());
    frame.resize(4);
    std::vector<common::network::LentBytes> lent;
    common::protocol::Writable out(frame, lent);
    header.write(out);
    request.request->write(out, version);
    log_.debug("Sending {} v{} request with correlation id {} to node {}",
               common::protocol::name(api), version, header.correlationId, request.destination);
    selector_->send(
        common::network::NetworkSend::withSizeInFront(request.destination, std::move(frame), lent));
    //< ch17 gathered-frame

    InFlightRequest inFlight;
    inFlight.destination = request.destination;
    inFlight.correlationId = header.correlationId;
    inFlight.apiKey = api;
    inFlight.apiVersion = version;
    inFlight.expectResponse = request.expectResponse;
    inFlight.isInternalRequest = isInternalRequest;
    inFlight.request = std::move(request.request);
    inFlight.callback = std::move(request.callback);
    inFlight.createdTimeMs = request.createdTimeMs;
    inFlight.sendTimeMs = nowMs;
    inFlight.requestTimeoutMs = request.requestTimeoutMs;
    inFlightRequests_.add(std::move(inFlight));
}
//< ch15 send

std::int32_t NetworkClient::nextCorrelationId() {
    // Java's int wraps after 2^31 requests; a C++ int must not overflow (that is undefined
    // behaviour), so the wrap to 0 is written out.
    const std::int32_t id = correlation_;
    correlation_ = id == std::numeric_limits<std::int32_t>::max() ? 0 : id + 1;
    return id;
}

std::int16_t NetworkClient::versionFor(const std::string& node, ApiKeys api) const {
    /*> ch15-16 oldest-version
    (void)node;
    // Until chapter 16 asks each broker what it speaks, send the oldest version we know: every
    // broker from Kafka 2.1 to 4.x accepts it.
    return common::protocol::supportedVersions(api).min;
    */
    //> ch16 version-for
    const auto versions = apiVersions_.find(node);
    if (versions == apiVersions_.end())
        throw common::errors::IllegalStateException("No API versions known for node " + node);
    return versions->second.latestUsableVersion(api);
    //< ch16 version-for
}

//> ch15 poll
std::vector<ClientResponse> NetworkClient::poll(std::int64_t timeoutMs, std::int64_t nowMs) {
    const std::int64_t metadataTimeoutMs = maybeUpdateMetadata(nowMs);
    std::vector<ClientResponse> responses = std::move(abortedResponses_);
    abortedResponses_.clear();
    const std::int64_t waitMs =
        responses.empty()
            ? std::max<std::int64_t>(0, std::min({timeoutMs, metadataTimeoutMs,
                                                  std::int64_t{settings_.requestTimeoutMs}}))
            : 0;
    selector_->poll(waitMs);

    // What the selector did, in Kafka's order: sends, receives, lost connections, new ones.
    const std::int64_t updatedNowMs = time_->milliseconds();
    handleCompletedSends(responses, updatedNowMs);
    handleCompletedReceives(responses, updatedNowMs);
    handleDisconnections(responses, updatedNowMs);
    handleConnections();
    //> ch16
    handleInitiateApiVersionRequests(updatedNowMs);
    handleTimedOutConnections(responses, updatedNowMs);
    //< ch16
    //> ch25
    handleTimedOutRequests(responses, updatedNowMs);
    //< ch25
    // The callbacks run last, in the order the outcomes were collected.
    for (const auto& response : responses) {
        try {
            response.onComplete();
        } catch (const std::exception& e) {
            log_.error("Uncaught error in request completion: {}", e.what());
        } catch (...) {  // one request's callback must not rob the others of theirs
            log_.error("Uncaught error in request completion: not a std::exception");
        }
    }
    return responses;
}
//< ch15 poll

//> ch15 completed-sends
void NetworkClient::handleCompletedSends(std::vector<ClientResponse>& responses,
                                         std::int64_t nowMs) {
    for (const auto& send : selector_->completedSends()) {
        const std::string& node = send.destination();
        if (inFlightRequests_.isEmpty(node)) continue;  // closed since
        inFlightRequests_.lastSent(node).sendCompleted = true;
        // acks=0: no answer will come; the request is done once its last byte is written.
        if (!inFlightRequests_.lastSent(node).expectResponse) {
            auto request = inFlightRequests_.completeLastSent(node);
            responses.emplace_back(request.destination, request.correlationId,
                                   std::move(request.callback), nowMs, false, nullptr);
        }
    }
}

//< ch15 completed-sends

//> ch15 completed-receives
void NetworkClient::handleCompletedReceives(std::vector<ClientResponse>& responses,
                                            std::int64_t nowMs) {
    std::set<std::string> closed;  // nodes closed for a bad response in this poll
    for (const auto& receive : selector_->completedReceives()) {
        const std::string& node = receive.source();
        if (closed.contains(node)) continue;
        if (inFlightRequests_.isEmpty(node)) {
            closeWithError(responses, node, nowMs,
                           "a response came for which there are no in-flight requests");
            closed.insert(node);
            continue;
        }
        InFlightRequest request = inFlightRequests_.completeNext(node);
        //> ch17 answer-before-sent
        // An answer to a request whose last byte has not gone: the broker cannot have read
        // it. Only the connection's close stops the send reading the batches' buffers, so it
        // goes before the request completes and its batches let go of them.
        if (!request.sendCompleted) {
            completeAsDisconnected(responses, request, nowMs);
            closeWithError(responses, node, nowMs,
                           "a response came before its request was fully sent");
            closed.insert(node);
            continue;
        }
        //< ch17 answer-before-sent
        std::shared_ptr<const common::requests::AbstractResponse> body;
        try {
            body = parseResponse(request, receive.payload());
        } catch (const std::exception& e) {  // bytes that do not parse, an id out of step
            // The answer is lost with the connection: the request completes as disconnected.
            completeAsDisconnected(responses, request, nowMs);
            closeWithError(responses, node, nowMs, e.what());
            closed.insert(node);
            continue;
        }
        //> ch21 maybe-throttle
        // A broker that asks the client to hold back (a quota) gets no request until then.
        if (body->throttleTimeMs() > 0 && body->shouldClientThrottle(request.apiVersion))
            connectionStates_.throttle(node, nowMs + body->throttleTimeMs());
        //< ch21 maybe-throttle
        if (request.isInternalRequest) {
            handleInternalResponse(request, *body, nowMs);
            continue;
        }
        responses.emplace_back(request.destination, request.correlationId,
                               std::move(request.callback), nowMs, false, std::move(body));
    }
}

//< ch15 completed-receives

std::shared_ptr<const common::requests::AbstractResponse> NetworkClient::parseResponse(
    const InFlightRequest& request, std::span<const std::uint8_t> frame) const {
    const auto api = request.apiKey;
    common::protocol::Readable in(
        frame, common::protocol::name(api) + "Response v" + std::to_string(request.apiVersion));
    [[maybe_unused]] const auto header = common::requests::ResponseHeader::parse(in);
    //> ch21 correlation-check
    // Responses come back in the order of the requests; one that does not carry the oldest
    // request's correlation id means the stream is out of step, and nothing on this
    // connection can be trusted any more.
    if (header.correlationId != request.correlationId)
        throw common::errors::IllegalStateException(
            "Correlation id for response (" + std::to_string(header.correlationId) +
            ") does not match request (" + std::to_string(request.correlationId) + ")");
    //< ch21 correlation-check
    return common::requests::AbstractResponse::parse(api, in, request.apiVersion);
}

void NetworkClient::handleInternalResponse(const InFlightRequest& request,
                                           const common::requests::AbstractResponse& body,
                                           std::int64_t nowMs) {
    switch (request.apiKey) {
        case ApiKeys::kMetadata:
            handleMetadataResponse(body, nowMs);
            break;
        //> ch16
        case ApiKeys::kApiVersions:
            handleApiVersionsResponse(request, body, nowMs);
            break;
        //< ch16
        default:
            break;
    }
}

void NetworkClient::handleDisconnections(std::vector<ClientResponse>& responses,
                                         std::int64_t nowMs) {
    for (const auto& node : selector_->disconnected()) {
        log_.info("Node {} disconnected.", node);
        processDisconnection(responses, node, nowMs);
    }
}

void NetworkClient::handleConnections() {
    for (const auto& node : selector_->connected()) {
        log_.debug("Completed connection to node {}", node);
        /*> ch15-16 ready-on-connect
        connectionStates_.ready(node);
        */
        //> ch16 check-api-versions
        // Connected is not ready yet: first ask the broker which versions it speaks.
        connectionStates_.checkingApiVersions(node);
        nodesNeedingApiVersionsFetch_[node] =
            common::protocol::supportedVersions(ApiKeys::kApiVersions).max;
        //< ch16 check-api-versions
    }
}

//> ch16 api-versions
void NetworkClient::handleInitiateApiVersionRequests(std::int64_t nowMs) {
    for (auto it = nodesNeedingApiVersionsFetch_.begin();
         it != nodesNeedingApiVersionsFetch_.end();) {
        const auto& [node, version] = *it;
        if (!selector_->isChannelReady(node) || !inFlightRequests_.canSendMore(node)) {
            ++it;
            continue;
        }
        ClientRequest request;
        request.destination = node;
        request.request = std::make_shared<common::requests::ApiVersionsRequest>();
        request.createdTimeMs = nowMs;
        request.requestTimeoutMs = settings_.requestTimeoutMs;
        doSend(std::move(request), true, version, nowMs);
        it = nodesNeedingApiVersionsFetch_.erase(it);
    }
}

void NetworkClient::handleApiVersionsResponse(const InFlightRequest& request,
                                              const common::requests::AbstractResponse& body,
                                              std::int64_t nowMs) {
    const auto& response = dynamic_cast<const common::requests::ApiVersionsResponse&>(body);
    const std::string& node = request.destination;
    using common::protocol::Errors;
    if (response.error() == Errors::kUnsupportedVersion && request.apiVersion > 0) {
        // The broker is older than our ApiVersions request and answered in v0. Since Kafka 2.4
        // it lists its own range: ask again in the highest version both know. An older broker
        // lists nothing: ask again in v0, which every broker with ApiVersions knows.
        std::int16_t retryVersion = 0;
        for (const auto& api : response.apiVersions())
            if (api.apiKey == static_cast<std::int16_t>(ApiKeys::kApiVersions))
                retryVersion = std::min<std::int16_t>(api.maxVersion, request.apiVersion - 1);
        nodesNeedingApiVersionsFetch_[node] = std::max<std::int16_t>(retryVersion, 0);
        return;
    }
    if (response.error() != Errors::kNone) {
        closeWithError(abortedResponses_, node, nowMs,
                       "ApiVersions failed with " + common::protocol::errorName(response.error()));
        return;
    }
    apiVersions_.insert_or_assign(node, NodeApiVersions(response.apiVersions()));
    connectionStates_.ready(node);
}
//< ch16 api-versions

//> ch25 timed-out-requests
void NetworkClient::handleTimedOutRequests(std::vector<ClientResponse>& responses,
                                           std::int64_t nowMs) {
    // The oldest request to these nodes has waited past request.timeout.ms: the connection is
    // presumed dead. Closing it fails every request on it, and the sender may retry them; each
    // says that a timeout, not the broker, closed its connection.
    for (const auto& node : inFlightRequests_.nodesWithTimedOutRequests(nowMs)) {
        const auto first = responses.size();
        closeWithError(responses, node, nowMs, "request timed out");
        for (auto i = first; i < responses.size(); ++i) responses[i].markTimedOut();
    }
}
//< ch25 timed-out-requests

//> ch16 timed-out-connections
void NetworkClient::handleTimedOutConnections(std::vector<ClientResponse>& responses,
                                              std::int64_t nowMs) {
    // Still connecting after socket.connection.setup.timeout.ms: the address may drop packets,
    // and the kernel would wait minutes to say so. Give up now; another node may answer.
    for (const auto& node : connectionStates_.nodesWithConnectionSetupTimeout(nowMs))
        closeWithError(responses, node, nowMs,
                       "socket connection setup timeout (" +
                           std::to_string(connectionStates_.connectionSetupTimeoutMs(node)) +
                           " ms)");
}
//< ch16 timed-out-connections

void NetworkClient::closeWithError(std::vector<ClientResponse>& responses, const std::string& node,
                                   std::int64_t nowMs, const std::string& reason) {
    log_.warn("Disconnecting from node {}: {}", node, reason);
    selector_->close(node);
    processDisconnection(responses, node, nowMs);
}

void NetworkClient::completeAsDisconnected(std::vector<ClientResponse>& responses,
                                           InFlightRequest& request, std::int64_t nowMs) {
    if (request.isInternalRequest) {
        // The client's own request: no caller to tell, but a metadata refresh that will never
        // be answered must not be waited for (Kafka's metadataUpdater.handleFailedRequest).
        if (request.apiKey == ApiKeys::kMetadata) handleFailedMetadataRequest(nowMs);
        return;
    }
    // The broker may or may not have acted on it: the caller decides (chapter 23).
    responses.emplace_back(request.destination, request.correlationId, std::move(request.callback),
                           nowMs, true, nullptr);
}

void NetworkClient::handleFailedMetadataRequest(std::int64_t nowMs) {
    metadataFetchInProgress_ = false;
    metadata_->failedUpdate(nowMs);
}

void NetworkClient::processDisconnection(std::vector<ClientResponse>& responses,
                                         const std::string& node, std::int64_t nowMs) {
    connectionStates_.disconnected(node, nowMs);
    //> ch16
    apiVersions_.erase(node);
    nodesNeedingApiVersionsFetch_.erase(node);
    //< ch16
    for (auto& request : inFlightRequests_.clearAll(node))
        completeAsDisconnected(responses, request, nowMs);
    // The cluster may have changed: a broker gone is a reason to look again.
    metadata_->requestUpdate();
}

void NetworkClient::close(const std::string& nodeId) {
    selector_->close(nodeId);
    // Its requests complete as disconnected at the next poll.
    processDisconnection(abortedResponses_, nodeId, time_->milliseconds());
    connectionStates_.remove(nodeId);
}

int NetworkClient::inFlightRequestCount() const {
    return inFlightRequests_.count();
}

void NetworkClient::wakeup() {
    selector_->wakeup();
}

void NetworkClient::close() {
    selector_->close();
}

//> ch15 least-loaded-node
std::optional<common::Node> NetworkClient::leastLoadedNode(std::int64_t nowMs) {
    const auto cluster = metadata_->fetch();
    const auto& nodes = cluster->nodes();
    if (nodes.empty()) return std::nullopt;
    // Start somewhere else each time, so that ties do not always pick the same broker.
    const std::size_t offset = nodeIndexOffset_++ % nodes.size();
    std::optional<common::Node> leastLoaded, connecting, canConnect;
    int fewestInFlight = std::numeric_limits<int>::max();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const common::Node& node = nodes[(offset + i) % nodes.size()];
        const std::string id = node.idString();
        const int inFlight = inFlightRequests_.count(id);
        if (inFlight == 0 && canSendRequest(id, nowMs)) return node;  // connected and idle: best
        if (canSendRequest(id, nowMs)) {
            if (inFlight < fewestInFlight) {
                fewestInFlight = inFlight;
                leastLoaded = node;
            }
        } else if (connectionStates_.isPreparingConnection(id)) {
            connecting = node;
        } else if (connectionStates_.canConnect(id, nowMs)) {
            canConnect = node;
        }
    }
    if (leastLoaded) return leastLoaded;
    if (connecting) return connecting;
    return canConnect;
}

//< ch15 least-loaded-node

//> ch15 maybe-update-metadata
//> ch15 send-metadata-request
bool NetworkClient::isMetadataUpdateDue(std::int64_t nowMs) const {
    return !metadataFetchInProgress_ && metadata_->timeToNextUpdate(nowMs) == 0;
}

std::int64_t NetworkClient::maybeUpdateMetadata(std::int64_t nowMs) {
    const std::int64_t timeToNextUpdate = metadata_->timeToNextUpdate(nowMs);
    const std::int64_t waitForFetch = metadataFetchInProgress_ ? settings_.requestTimeoutMs : 0;
    const std::int64_t metadataTimeout = std::max(timeToNextUpdate, waitForFetch);
    if (metadataTimeout > 0) return metadataTimeout;

    const auto node = leastLoadedNode(nowMs);
    if (!node) return settings_.connectionStates.reconnectBackoffMs;  // every broker is backing off
    const std::string id = node->idString();
    if (canSendRequest(id, nowMs)) {
        const auto topics = metadata_->topics();
        ClientRequest request;
        request.destination = id;
        request.request = std::make_shared<common::requests::MetadataRequest>(
            std::vector<std::string>(topics.begin(), topics.end()));
        request.createdTimeMs = nowMs;
        request.requestTimeoutMs = settings_.requestTimeoutMs;
        try {
            doSend(std::move(request), true, versionFor(id, ApiKeys::kMetadata), nowMs);
        } catch (const common::errors::ApiException& e) {
            // A broker that speaks no Metadata version we know (UnsupportedVersionException,
            // chapter 16): try again after the backoff, as Kafka's doSend hands the error to
            // the metadata updater.
            log_.warn("Cannot send a metadata request to node {}: {}", id, e.what());
            handleFailedMetadataRequest(nowMs);
            return settings_.connectionStates.reconnectBackoffMs;
        }
        metadataFetchInProgress_ = true;
        return settings_.requestTimeoutMs;
    }
    // Not connected to it yet: connect, and look again once that is done (its completion
    // wakes the poll; the backoff bounds the wait in case it never completes).
    if (connectionStates_.canConnect(id, nowMs)) initiateConnect(*node, nowMs);
    return settings_.connectionStates.reconnectBackoffMs;
}
//< ch15 send-metadata-request

//> ch15 handle-metadata-response
void NetworkClient::handleMetadataResponse(const common::requests::AbstractResponse& body,
                                           std::int64_t nowMs) {
    metadataFetchInProgress_ = false;
    const auto& response = dynamic_cast<const common::requests::MetadataResponse&>(body);
    for (const auto& topic : response.topics())
        if (topic.error != common::protocol::Errors::kNone)
            log_.warn("Error while fetching metadata for topic {}: {}", topic.name,
                      common::protocol::errorName(topic.error));
    // No broker at all cannot be right (a broker answered): keep what we had.
    if (response.brokers().empty()) {
        metadata_->failedUpdate(nowMs);
        return;
    }
    metadata_->update(response.buildCluster(), nowMs);
}
//< ch15 handle-metadata-response
//< ch15 maybe-update-metadata

}  // namespace kafka::clients
