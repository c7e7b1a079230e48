//@ ch16
#pragma once

#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::common::requests {

/// "Which versions of which APIs do you speak?" (Kafka's ApiVersionsRequest), the first request
/// on every new connection (chapter 16). Versions 0 to 2 have an empty body; 3 adds the
/// client's software name and version in the flexible encoding.
class ApiVersionsRequest final : public AbstractRequest {
public:
    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kApiVersions; }
    void write(protocol::Writable&, std::int16_t) const override {}
};

}  // namespace kafka::common::requests
