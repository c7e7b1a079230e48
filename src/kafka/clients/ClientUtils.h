//@ ch02
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kafka::clients {

/// A broker address as written in bootstrap.servers.
struct HostAndPort {
    std::string host;
    std::uint16_t port = 0;
    bool operator==(const HostAndPort&) const = default;
};

/// Kafka's ClientUtils.parseAndValidateAddresses: every entry must be host:port (or
/// [ipv6]:port); a malformed one is a ConfigException naming the key and the entry.
/// Names are resolved later, when a connection is made (chapter 15).
std::vector<HostAndPort> parseAndValidateAddresses(const std::vector<std::string>& urls,
                                                   const std::string& configName);

}  // namespace kafka::clients
