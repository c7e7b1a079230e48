//@ ch04
#pragma once

#include <cstdint>

namespace kafka::common::utils {

/// Kafka's ByteUtils: the variable-length integers of record batch v2. Chapter 7 writes and
/// reads them; here only their sizes are needed, to bound a record's size before it is written.
struct ByteUtils {
    /// Bytes of the zigzag varint encoding of `value` (1 to 5).
    static int sizeOfVarint(std::int32_t value) {
        auto v = (static_cast<std::uint32_t>(value) << 1) ^ static_cast<std::uint32_t>(value >> 31);
        int bytes = 1;
        while ((v & 0xffffff80u) != 0) {
            ++bytes;
            v >>= 7;
        }
        return bytes;
    }
};

}  // namespace kafka::common::utils
