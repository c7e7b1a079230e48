//@ ch16
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/protocol/ApiKeys.h"
#include "kafka/common/requests/ApiVersionsResponse.h"

namespace kafka::clients {

/// What one broker said it speaks, and the version to use with it for each API (Kafka's
/// NodeApiVersions): the highest version that both it and this client know. A 2.x broker and
/// a 4.x broker get different versions of the same request from the same client.
class NodeApiVersions {
public:
    explicit NodeApiVersions(
        const std::vector<common::requests::ApiVersionsResponse::ApiVersion>& apiVersions) {
        for (const auto& api : apiVersions) ranges_[api.apiKey] = {api.minVersion, api.maxVersion};
    }

    /// Throws UnsupportedVersionException when the ranges do not meet: the broker is too old
    /// (or too new) for this client.
    std::int16_t latestUsableVersion(common::protocol::ApiKeys api) const {
        const auto ours = common::protocol::supportedVersions(api);
        const auto found = ranges_.find(static_cast<std::int16_t>(api));
        if (found == ranges_.end())
            throw common::errors::UnsupportedVersionException("The broker does not support " +
                                                              common::protocol::name(api));
        const auto& theirs = found->second;
        const auto version = std::min(ours.max, theirs.max);
        if (version < std::max(ours.min, theirs.min))
            throw common::errors::UnsupportedVersionException(
                "The broker supports " + common::protocol::name(api) + " versions " +
                std::to_string(theirs.min) + " to " + std::to_string(theirs.max) +
                ", and this client " + std::to_string(ours.min) + " to " +
                std::to_string(ours.max));
        return version;
    }

private:
    std::map<std::int16_t, common::protocol::VersionRange> ranges_;
};

}  // namespace kafka::clients
