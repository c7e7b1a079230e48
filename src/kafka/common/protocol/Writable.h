//@ ch14
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::common::protocol {

/// Writes the protocol's primitive types at the end of a byte buffer (Kafka's Writable over a
/// ByteBufferAccessor): fixed-width integers big-endian, strings with an int16 length, byte
/// arrays with an int32 length, arrays with an int32 count, and -1 for "null" in each of them.
/// These are the non-flexible encodings, which every Kafka from 0.10 to 4.x reads; the
/// versions this course speaks are all non-flexible (see ApiKeys.h).
class Writable {
public:
    explicit Writable(utils::Bytes& out) : out_(out) {}

    void writeInt8(std::int8_t value) { out_.push_back(static_cast<std::uint8_t>(value)); }
    void writeBoolean(bool value) { writeInt8(value ? 1 : 0); }
    void writeInt16(std::int16_t value) { writeBigEndian(value); }
    void writeInt32(std::int32_t value) { writeBigEndian(value); }
    void writeInt64(std::int64_t value) { writeBigEndian(value); }

    /// STRING: int16 length, then the UTF-8 bytes.
    void writeString(std::string_view value) {
        // Its length is an int16: a longer string cannot be written, and must not be written
        // wrong (a negative length breaks the whole frame for the broker).
        if (value.size() > static_cast<std::size_t>(std::numeric_limits<std::int16_t>::max()))
            throw errors::SchemaException("A STRING of " + std::to_string(value.size()) +
                                          " bytes is too long to be serialized (at most 32767)");
        writeInt16(static_cast<std::int16_t>(value.size()));
        out_.insert(out_.end(), value.begin(), value.end());
    }
    /// NULLABLE_STRING: as STRING, with length -1 for null.
    void writeNullableString(const std::optional<std::string>& value) {
        if (value)
            writeString(*value);
        else
            writeInt16(-1);
    }
    /// BYTES (and RECORDS): int32 length, then the bytes.
    void writeBytes(std::span<const std::uint8_t> value) {
        if (value.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
            throw errors::SchemaException("A BYTES field of " + std::to_string(value.size()) +
                                          " bytes is too long to be serialized (at most 2 GiB)");
        writeInt32(static_cast<std::int32_t>(value.size()));
        out_.insert(out_.end(), value.begin(), value.end());
    }
    /// The int32 count in front of an ARRAY's elements (-1: a null array).
    void writeArrayLength(std::int32_t count) { writeInt32(count); }

private:
    template <typename Int>
    void writeBigEndian(Int value) {
        const auto bits = static_cast<std::make_unsigned_t<Int>>(value);
        for (int shift = 8 * (sizeof(Int) - 1); shift >= 0; shift -= 8)
            out_.push_back(static_cast<std::uint8_t>(bits >> shift));
    }

    utils::Bytes& out_;
};

}  // namespace kafka::common::protocol
