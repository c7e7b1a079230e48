//@ ch14
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kafka/clients/ClientRequest.h"
#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::clients {

/// A request handed to the network and not finished yet (Kafka's NetworkClient.InFlightRequest):
/// what was sent, to whom, under which correlation id, and when.
struct InFlightRequest {
    std::string destination;
    std::int32_t correlationId = 0;
    common::protocol::ApiKeys apiKey = common::protocol::ApiKeys::kProduce;
    std::int16_t apiVersion = 0;
    bool expectResponse = true;
    /// Sent by the client for itself (metadata, versions): its answer goes to the client, not
    /// to a caller.
    bool isInternalRequest = false;
    std::shared_ptr<const common::requests::AbstractRequest> request;
    RequestCompletionHandler callback;
    std::int64_t createdTimeMs = 0;
    /// When it was handed to the selector (not when its last byte left): request.timeout.ms
    /// counts from here (chapter 25).
    std::int64_t sendTimeMs = 0;
    std::int32_t requestTimeoutMs = 30'000;
    /// Every byte of it is on the wire. Until then no other request may follow it.
    bool sendCompleted = false;
};

/// The requests sent to each node and not answered yet (Kafka's InFlightRequests). Kafka's
/// brokers answer a connection's requests in the order they came, so each node's requests
/// wait in a queue: a response always belongs to the oldest one. At most
/// max.in.flight.requests.per.connection wait per node, and a new one may only follow once the
/// one before it has been sent completely. Not thread-safe: the I/O thread owns it.
class InFlightRequests {
public:
    explicit InFlightRequests(int maxInFlightRequestsPerConnection);

    /// The request joins the end of its node's queue.
    void add(InFlightRequest request);
    /// The oldest request to `node`, which the response just received answers. Throws
    /// IllegalStateException if there is none.
    InFlightRequest completeNext(const std::string& node);
    /// The newest request to `node`: the one a send that just completed carried.
    InFlightRequest& lastSent(const std::string& node);
    /// Removes and returns the newest request (one that expects no response, acks=0).
    InFlightRequest completeLastSent(const std::string& node);

    /// A request may follow: none in flight, or the last one completely sent and the queue
    /// below max.in.flight.requests.per.connection.
    bool canSendMore(const std::string& node) const;
    int count(const std::string& node) const;
    int count() const;
    bool isEmpty(const std::string& node) const;

    /// Every request to `node`, oldest first, removed (its connection is gone).
    std::vector<InFlightRequest> clearAll(const std::string& node);
    //> ch25
    /// Nodes whose oldest request was handed to the network more than its request timeout
    /// ago.
    std::vector<std::string> nodesWithTimedOutRequests(std::int64_t nowMs) const;
    //< ch25

private:
    std::deque<InFlightRequest>& queue(const std::string& node);

    const int maxInFlightRequestsPerConnection_;
    std::map<std::string, std::deque<InFlightRequest>> requests_;  // oldest first
    int inFlightRequestCount_ = 0;
};

}  // namespace kafka::clients
