//@ ch01
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "kafka/common/utils/Bytes.h"

namespace kafka::common::serialization {

/// Turns a key or a value into the bytes that travel to the broker. Kafka's producer only
/// ever moves bytes: serializing is the first thing send() does to a record's key and value
/// (chapter 4), so everything after it is independent of the application's types.
///
/// A null (empty optional) stays null: Kafka distinguishes a null key from an empty one.
template <typename T>
class Serializer {
public:
    virtual ~Serializer() = default;
    virtual std::optional<utils::Bytes> serialize(const std::string& topic,
                                                  const std::optional<T>& data) = 0;
    //> ch04 lends-its-input
    /// Whether serialize() would only hand `data` back unchanged. send() then reads the
    /// record's own bytes where they are, instead of a copy (Kafka's ByteArraySerializer
    /// returns the very array it is given). Only a serializer of bytes can say yes.
    virtual bool lendsItsInput() const { return false; }
    //< ch04 lends-its-input
};

//> ch01 big-endian
/// Writes an integer in network byte order (big-endian), as Java's DataOutput does.
template <typename Int>
utils::Bytes bigEndianBytes(Int value) {
    static_assert(std::is_integral_v<Int>);
    using Unsigned = std::make_unsigned_t<Int>;
    const auto bits = static_cast<Unsigned>(value);
    utils::Bytes out(sizeof(Int));
    for (std::size_t i = 0; i < sizeof(Int); ++i)
        out[i] = static_cast<std::uint8_t>(bits >> (8 * (sizeof(Int) - 1 - i)));
    return out;
}
//< ch01 big-endian

}  // namespace kafka::common::serialization
