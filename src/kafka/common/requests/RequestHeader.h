//@ ch14
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kafka/common/protocol/ApiKeys.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"

namespace kafka::common::requests {

/// What comes before every request body (Kafka's RequestHeader, version 1): which API and
/// version the body is in, the correlation id the response will echo, and who is asking.
/// Version 2 adds a tagged-field section at the end; flexible request versions use it, and
/// the versions this course sends are not flexible (see ApiKeys.h).
struct RequestHeader {
    protocol::ApiKeys apiKey = protocol::ApiKeys::kProduce;
    std::int16_t apiVersion = 0;
    std::int32_t correlationId = 0;
    std::optional<std::string> clientId;

    void write(protocol::Writable& out) const {
        out.writeInt16(static_cast<std::int16_t>(apiKey));
        out.writeInt16(apiVersion);
        out.writeInt32(correlationId);
        out.writeNullableString(clientId);
    }

    static RequestHeader parse(protocol::Readable& in) {
        RequestHeader header;
        header.apiKey = static_cast<protocol::ApiKeys>(in.readInt16());
        header.apiVersion = in.readInt16();
        header.correlationId = in.readInt32();
        header.clientId = in.readNullableString("client_id");
        return header;
    }
};

}  // namespace kafka::common::requests
