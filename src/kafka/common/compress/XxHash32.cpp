//@ ch38
#include "kafka/common/compress/XxHash32.h"

#include <bit>

namespace kafka::common::compress {

namespace {

// The five primes of the specification.
constexpr std::uint32_t kPrime1 = 0x9E3779B1u;
constexpr std::uint32_t kPrime2 = 0x85EBCA77u;
constexpr std::uint32_t kPrime3 = 0xC2B2AE3Du;
constexpr std::uint32_t kPrime4 = 0x27D4EB2Fu;
constexpr std::uint32_t kPrime5 = 0x165667B1u;

/// Input words are little-endian whatever the machine.
std::uint32_t readLittleEndian32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
           std::uint32_t{p[3]} << 24;
}

/// One lane's step: mix in a 4-byte word.
std::uint32_t round(std::uint32_t accumulator, std::uint32_t word) {
    return std::rotl(accumulator + word * kPrime2, 13) * kPrime1;
}

}  // namespace

std::uint32_t xxHash32(std::span<const std::uint8_t> input, std::uint32_t seed) {
    const std::uint8_t* p = input.data();
    const std::uint8_t* const end = p + input.size();
    std::uint32_t hash;
    if (input.size() >= 16) {
        // Four lanes, each fed every fourth word of the 16-byte stripes, then merged.
        std::uint32_t v1 = seed + kPrime1 + kPrime2;
        std::uint32_t v2 = seed + kPrime2;
        std::uint32_t v3 = seed;
        std::uint32_t v4 = seed - kPrime1;
        for (; end - p >= 16; p += 16) {
            v1 = round(v1, readLittleEndian32(p));
            v2 = round(v2, readLittleEndian32(p + 4));
            v3 = round(v3, readLittleEndian32(p + 8));
            v4 = round(v4, readLittleEndian32(p + 12));
        }
        hash = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) + std::rotl(v4, 18);
    } else {
        hash = seed + kPrime5;
    }
    hash += static_cast<std::uint32_t>(input.size());
    // The tail: whole words, then single bytes.
    for (; end - p >= 4; p += 4)
        hash = std::rotl(hash + readLittleEndian32(p) * kPrime3, 17) * kPrime4;
    for (; p < end; ++p) hash = std::rotl(hash + *p * kPrime5, 11) * kPrime1;
    // The avalanche: every input bit reaches every output bit.
    hash ^= hash >> 15;
    hash *= kPrime2;
    hash ^= hash >> 13;
    hash *= kPrime3;
    hash ^= hash >> 16;
    return hash;
}

}  // namespace kafka::common::compress
