//@ ch11
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::clients {

class ClientResponse;

/// Called once, on the I/O thread, with the request's outcome: the broker's answer, a
/// disconnect, or (for a request that expects no answer) the fact that it was sent.
using RequestCompletionHandler = std::function<void(const ClientResponse&)>;

/// A request on its way to one broker, with what the client needs to send it and to route its
/// answer back (Kafka's ClientRequest).
struct ClientRequest {
    /// The broker's node id, as a string: the network layer's connection id.
    std::string destination;
    std::shared_ptr<const common::requests::AbstractRequest> request;
    /// Matches the answer to the request; the client numbers its requests 0, 1, 2, ...
    std::int32_t correlationId = 0;
    std::int64_t createdTimeMs = 0;
    /// False for a produce request with acks=0: the broker will not answer.
    bool expectResponse = true;
    std::int32_t requestTimeoutMs = 30'000;
    RequestCompletionHandler callback;
};

}  // namespace kafka::clients
