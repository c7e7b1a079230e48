//@ ch06
#include "kafka/common/utils/Utils.h"
//> ch17

#include <fstream>

#include "kafka/common/errors/Exceptions.h"
//< ch17
//> ch34
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kafka/common/errors/ApiExceptions.h"
//< ch34

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

//> ch34 atomic-write
void Utils::atomicWriteFile(const std::filesystem::path& file, std::string_view content) {
    // As Kafka writes every checkpoint: a temporary file beside it, on the disk (fsync), renamed
    // over the old one, then the directory on the disk too, so that the rename itself survives
    // a power cut (its Utils.atomicMoveWithFallback flushes the parent directory).
    const auto temporary = file.string() + ".tmp";
    const auto fail = [&](const std::string& what, int error) {
        throw errors::KafkaStorageException("Cannot " + what + " " + file.string() + ": " +
                                            std::strerror(error));
    };
    const int fd = ::open(temporary.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) fail("create the temporary file of", errno);
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    const bool written = done == content.size() && ::fsync(fd) == 0;
    const int writeError = errno;
    ::close(fd);
    if (!written) fail("write", writeError);
    if (::rename(temporary.c_str(), file.c_str()) != 0) fail("rename over", errno);
    const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const bool synced = dir >= 0 && ::fsync(dir) == 0;
    const int syncError = errno;
    if (dir >= 0) ::close(dir);
    if (!synced) fail("sync the directory of", syncError);
}
//< ch34 atomic-write

}  // namespace kafka::common::utils
