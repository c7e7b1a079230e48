//@ ch06
#include "kafka/common/utils/Utils.h"
//> ch17

#include <fstream>

#include "kafka/common/errors/Exceptions.h"
//< ch17

namespace kafka::common::utils {

//> ch06 murmur2
std::int32_t Utils::murmur2(std::span<const std::uint8_t> data) {
    // Unsigned 32-bit arithmetic wraps exactly as Java's int does, and >> on an unsigned
    // value is Java's logical >>>.
    constexpr std::uint32_t seed = 0x9747b28c;
    constexpr std::uint32_t m = 0x5bd1e995;
    constexpr int r = 24;
    const auto length = static_cast<std::uint32_t>(data.size());

    std::uint32_t h = seed ^ length;
    const std::size_t blocks = data.size() / 4;
    for (std::size_t i = 0; i < blocks; ++i) {
        const std::size_t at = i * 4;
        std::uint32_t k = data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) |
                          (static_cast<std::uint32_t>(data[at + 3]) << 24);  // little-endian
        k *= m;
        k ^= k >> r;
        k *= m;
        h *= m;
        h ^= k;
    }

    const std::size_t tail = blocks * 4;
    switch (data.size() % 4) {
        case 3:
            h ^= static_cast<std::uint32_t>(data[tail + 2]) << 16;
            [[fallthrough]];
        case 2:
            h ^= static_cast<std::uint32_t>(data[tail + 1]) << 8;
            [[fallthrough]];
        case 1:
            h ^= data[tail];
            h *= m;
    }

    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return static_cast<std::int32_t>(h);
}
//< ch06 murmur2

//> ch17
config::Properties Utils::loadProps(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw errors::KafkaException("Cannot read the properties file " + path);
    auto trim = [](const std::string& text) {
        const auto first = text.find_first_not_of(" \t\r");
        if (first == std::string::npos) return std::string();
        return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
    };
    config::Properties properties;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        line = trim(line);
        if (line.empty() || line[0] == '#' || line[0] == '!') continue;
        const auto separator = line.find_first_of("=:");
        if (separator == std::string::npos)
            throw errors::KafkaException(path + ":" + std::to_string(number) +
                                         ": expected KEY=VALUE, got '" + line + "'");
        properties[trim(line.substr(0, separator))] = trim(line.substr(separator + 1));
    }
    return properties;
}
//< ch17

}  // namespace kafka::common::utils
