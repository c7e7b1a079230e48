//@ ch11
#pragma once

#include <cstdint>
//> ch14
#include <memory>
//< ch14

#include "kafka/common/protocol/ApiKeys.h"
//> ch14
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"
//< ch14

namespace kafka::common::requests {

/// The body of a request, whatever its API (Kafka's AbstractRequest). A client hands it to the
/// network layer, which puts it on the wire in the version it agreed on with the broker
/// (chapter 16); until then it is plain data that a test double can look at.
class AbstractRequest {
public:
    virtual ~AbstractRequest() = default;
    /// Which API this is (Kafka's ApiKeys): on the wire, 0 for Produce, 3 for Metadata, 18
    /// for ApiVersions (chapter 16).
    virtual protocol::ApiKeys apiKey() const = 0;
    //> ch14
    /// Appends the body in the given version of its API (the header goes in front of it; see
    /// RequestHeader).
    virtual void write(protocol::Writable& out, std::int16_t version) const = 0;
    /// About how many bytes write() will append, so that the frame is allocated once: a
    /// produce request carries megabytes, and a growing buffer would copy them again.
    virtual std::size_t sizeHint() const { return 64; }
    //< ch14
};

/// The body of a response, whatever its API (Kafka's AbstractResponse).
class AbstractResponse {
public:
    virtual ~AbstractResponse() = default;
    virtual protocol::ApiKeys apiKey() const = 0;
    //> ch14
    /// Reads the body of a response to `api` in `version`, which the client knows from the
    /// request it answers: a response does not say which API it belongs to. Throws
    /// SchemaException for bytes that do not parse.
    static std::shared_ptr<const AbstractResponse> parse(protocol::ApiKeys api,
                                                         protocol::Readable& in,
                                                         std::int16_t version);
    //< ch14
    //> ch21
    /// How long the broker asks the client to hold back (a quota was exceeded), 0 if not.
    virtual std::int32_t throttleTimeMs() const { return 0; }
    /// Whether the client, rather than the broker, does the waiting (KIP-219): true from the
    /// version of each API in which the broker answers at once and leaves the wait to the
    /// client.
    virtual bool shouldClientThrottle(std::int16_t /*version*/) const { return false; }
    //< ch21
};

}  // namespace kafka::common::requests
