//@ ch38
#pragma once

#include <cstdint>
#include <span>

namespace kafka::common::compress {

/// xxHash32 (Yann Collet's non-cryptographic hash, lz4-java's XXHash32): the LZ4 frame format
/// checks its header with it (the second byte of the hash of the frame descriptor), and may
/// check blocks and content with it. liblz4 keeps its copy private, so the course has its own;
/// it is short, and the frame header is the only place Kafka's LZ4 writer uses it.
std::uint32_t xxHash32(std::span<const std::uint8_t> input, std::uint32_t seed);

}  // namespace kafka::common::compress
