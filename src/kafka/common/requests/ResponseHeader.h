//@ ch14
#pragma once

#include <cstdint>

#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"

namespace kafka::common::requests {

/// What comes before every response body (Kafka's ResponseHeader, version 0): the correlation
/// id of the request it answers. (Version 1, for flexible versions, adds tagged fields.)
struct ResponseHeader {
    std::int32_t correlationId = 0;

    void write(protocol::Writable& out) const { out.writeInt32(correlationId); }
    static ResponseHeader parse(protocol::Readable& in) { return {in.readInt32()}; }
};

}  // namespace kafka::common::requests
