//@ ch16
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "kafka/common/requests/AbstractRequest.h"

namespace kafka::common::requests {

/// The broker's answer to ApiVersions (Kafka's ApiVersionsResponse): for each API it serves,
/// the lowest and highest version it speaks. A broker that does not know the version of the
/// ApiVersions request itself answers in version 0 with UNSUPPORTED_VERSION, and still lists
/// its own range, so that the client can ask again in a version both know.
class ApiVersionsResponse final : public AbstractResponse {
public:
    struct ApiVersion {
        std::int16_t apiKey = 0;
        std::int16_t minVersion = 0;
        std::int16_t maxVersion = 0;
    };

    ApiVersionsResponse(protocol::Errors error, std::vector<ApiVersion> apiVersions)
        : error_(error), apiVersions_(std::move(apiVersions)) {}

    protocol::ApiKeys apiKey() const override { return protocol::ApiKeys::kApiVersions; }
    protocol::Errors error() const { return error_; }
    const std::vector<ApiVersion>& apiVersions() const { return apiVersions_; }

    /// Versions 0 to 2.
    static std::shared_ptr<const ApiVersionsResponse> parse(protocol::Readable& in,
                                                            std::int16_t version) {
        const auto error = static_cast<protocol::Errors>(in.readInt16());
        std::vector<ApiVersion> apiVersions(
            static_cast<std::size_t>(in.readArrayLength("api_keys", 6)));
        for (auto& api : apiVersions) {
            api.apiKey = in.readInt16();
            api.minVersion = in.readInt16();
            api.maxVersion = in.readInt16();
        }
        // throttle_time_ms (v1+) is absent from the v0 answer to an unsupported version.
        if (version >= 1 && in.remaining() >= 4) in.readInt32();
        return std::make_shared<const ApiVersionsResponse>(error, std::move(apiVersions));
    }
    //> ch30
    /// Versions 0 to 2; a broker answers an unknown ApiVersions version in version 0.
    void write(protocol::Writable& out, std::int16_t version) const {
        out.writeInt16(protocol::code(error_));
        out.writeArrayLength(static_cast<std::int32_t>(apiVersions_.size()));
        for (const auto& api : apiVersions_) {
            out.writeInt16(api.apiKey);
            out.writeInt16(api.minVersion);
            out.writeInt16(api.maxVersion);
        }
        if (version >= 1) out.writeInt32(0);  // throttle_time_ms
    }
    //< ch30

private:
    protocol::Errors error_;
    std::vector<ApiVersion> apiVersions_;
};

}  // namespace kafka::common::requests
