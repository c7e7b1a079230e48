//@ ch11
#pragma once

#include <cstdint>

namespace kafka::common::requests {

/// The body of a request, whatever its API (Kafka's AbstractRequest). A client hands it to the
/// network layer, which puts it on the wire in the version it agreed on with the broker
/// (chapter 16); until then it is plain data that a test double can look at.
class AbstractRequest {
public:
    virtual ~AbstractRequest() = default;
    /// Kafka's API key: 0 for Produce, 3 for Metadata, 18 for ApiVersions (chapter 16).
    virtual std::int16_t apiKey() const = 0;
};

/// The body of a response, whatever its API (Kafka's AbstractResponse).
class AbstractResponse {
public:
    virtual ~AbstractResponse() = default;
    virtual std::int16_t apiKey() const = 0;
};

}  // namespace kafka::common::requests
