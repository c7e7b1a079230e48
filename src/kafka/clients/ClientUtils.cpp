//@ ch02
#include "kafka/clients/ClientUtils.h"

#include <charconv>

#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients {

std::vector<HostAndPort> parseAndValidateAddresses(const std::vector<std::string>& urls,
                                                   const std::string& configName) {
    std::vector<HostAndPort> addresses;
    for (const auto& url : urls) {
        auto invalid = [&](const std::string& why) {
            return common::errors::ConfigException("Invalid url in " + configName + ": " + url +
                                                   " (" + why + ")");
        };
        const auto colon = url.rfind(':');
        if (colon == std::string::npos || colon == 0) throw invalid("expected host:port");
        std::string host = url.substr(0, colon);
        if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
        const std::string portText = url.substr(colon + 1);
        unsigned port = 0;
        const auto [end, ec] =
            std::from_chars(portText.data(), portText.data() + portText.size(), port);
        if (ec != std::errc{} || end != portText.data() + portText.size() || portText.empty() ||
            port == 0 || port > 65535)
            throw invalid("the port must be a number from 1 to 65535");
        if (host.empty()) throw invalid("the host is empty");
        addresses.push_back({host, static_cast<std::uint16_t>(port)});
    }
    return addresses;
}

}  // namespace kafka::clients
