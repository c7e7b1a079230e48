//@ ch11
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "kafka/clients/ClientRequest.h"
#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::clients {

/// What became of a ClientRequest (Kafka's ClientResponse): the broker's answer, or a
/// disconnect before one came, or, for a request that expects none, nothing at all.
class ClientResponse {
public:
    ClientResponse(std::string destination, std::int32_t correlationId,
                   RequestCompletionHandler callback, std::int64_t receivedTimeMs,
                   bool disconnected,
                   std::shared_ptr<const common::requests::AbstractResponse> responseBody)
        : destination_(std::move(destination)),
          correlationId_(correlationId),
          callback_(std::move(callback)),
          receivedTimeMs_(receivedTimeMs),
          disconnected_(disconnected),
          responseBody_(std::move(responseBody)) {}

    const std::string& destination() const { return destination_; }
    std::int32_t correlationId() const { return correlationId_; }
    std::int64_t receivedTimeMs() const { return receivedTimeMs_; }
    /// The connection closed before the answer came: the request may or may not have been
    /// carried out by the broker.
    bool wasDisconnected() const { return disconnected_; }
    //> ch25
    /// The client closed the connection itself, because this request or an older one on it
    /// went unanswered for request.timeout.ms (Kafka 3.5+, KAFKA-14317). Implies
    /// wasDisconnected().
    bool wasTimedOut() const { return timedOut_; }
    void markTimedOut() {
        disconnected_ = true;
        timedOut_ = true;
    }
    //< ch25
    bool hasResponse() const { return responseBody_ != nullptr; }
    const std::shared_ptr<const common::requests::AbstractResponse>& responseBody() const {
        return responseBody_;
    }

    /// Hands the outcome to whoever sent the request.
    void onComplete() const {
        if (callback_) callback_(*this);
    }

private:
    std::string destination_;
    std::int32_t correlationId_;
    RequestCompletionHandler callback_;
    std::int64_t receivedTimeMs_;
    bool disconnected_;
    //> ch25
    bool timedOut_ = false;
    //< ch25
    std::shared_ptr<const common::requests::AbstractResponse> responseBody_;
};

}  // namespace kafka::clients
