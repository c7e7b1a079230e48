//@ ch11
#pragma once

#include <cstdint>
//> ch36
#include <optional>
//< ch36
#include <vector>

#include "kafka/clients/ClientRequest.h"
#include "kafka/clients/ClientResponse.h"
#include "kafka/common/Node.h"

namespace kafka::clients {

/// What the sender needs from the network (Kafka's KafkaClient interface): is a broker ready
/// for a request, send one, and poll for what happened. NetworkClient is the real one
/// (chapter 14); tests use MockClient, which answers as a test tells it to. Only the I/O
/// thread calls it, except wakeup().
class KafkaClient {
public:
    virtual ~KafkaClient() = default;

    /// Ready for a request right now: connected (and, from chapter 16, versions agreed) and
    /// below its limit of requests in flight.
    virtual bool isReady(const common::Node& node, std::int64_t nowMs) = 0;
    /// isReady(), and if the node is not connected, start connecting (chapter 15).
    virtual bool ready(const common::Node& node, std::int64_t nowMs) = 0;
    /// How long to wait before the node is worth asking about again: the rest of its reconnect
    /// backoff when it is disconnected, "forever" while a connection is under way (its
    /// completion will wake the poll).
    virtual std::int64_t connectionDelay(const common::Node& node, std::int64_t nowMs) = 0;

    /// Queues a request for its destination, which must be ready.
    virtual void send(ClientRequest request, std::int64_t nowMs) = 0;
    /// Does the I/O: sends, receives, connects, for at most `timeoutMs`; completes the
    /// requests that finished (their callbacks run here) and returns their responses.
    virtual std::vector<ClientResponse> poll(std::int64_t timeoutMs, std::int64_t nowMs) = 0;

    /// Requests sent and not answered yet, to every node.
    virtual int inFlightRequestCount() const = 0;
    //> ch36
    /// The broker with the fewest requests in flight among those worth talking to now, if
    /// any: where a request that any broker can answer goes (InitProducerId, chapter 36;
    /// NetworkClient also sends metadata requests there). A client that knows no broker has
    /// none.
    virtual std::optional<common::Node> leastLoadedNode(std::int64_t /*nowMs*/) {
        return std::nullopt;
    }
    //< ch36
    /// Makes a blocked poll() return now; safe from any thread.
    virtual void wakeup() = 0;
    virtual void close() = 0;
};

}  // namespace kafka::clients
