//@ ch14
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "kafka/common/errors/Exceptions.h"

namespace kafka::common::protocol {

/// Reads the protocol's primitive types from bytes that came off the network (Kafka's Readable
/// over a ByteBufferAccessor). Nothing here trusts the bytes: every length and count is
/// checked against what is left before anything is read or allocated, and a read that cannot
/// be right throws SchemaException, saying what was read where. The caller fails that one
/// connection (chapter 14); one broken frame never brings down the others.
class Readable {
public:
    /// `what` names the thing being read ("MetadataResponse v8") in error messages.
    Readable(std::span<const std::uint8_t> bytes, std::string what)
        : bytes_(bytes), what_(std::move(what)) {}

    std::int8_t readInt8() { return static_cast<std::int8_t>(take(1)[0]); }
    bool readBoolean() { return readInt8() != 0; }
    std::int16_t readInt16() { return readBigEndian<std::int16_t>(); }
    std::int32_t readInt32() { return readBigEndian<std::int32_t>(); }
    std::int64_t readInt64() { return readBigEndian<std::int64_t>(); }

    /// STRING: int16 length then UTF-8. A negative length is an error here.
    std::string readString(const char* field) {
        auto value = readNullableString(field);
        if (!value) throw error(std::string("null ") + field + ", which may not be null");
        return *value;
    }
    /// NULLABLE_STRING: -1 is null; any other negative length is an error.
    std::optional<std::string> readNullableString(const char* field) {
        const std::int16_t length = readInt16();
        if (length == -1) return std::nullopt;
        if (length < 0) throw error(std::string(field) + " has length " + std::to_string(length));
        const auto chars = take(static_cast<std::size_t>(length), field);
        return std::string(chars.begin(), chars.end());
    }
    /// BYTES and RECORDS: int32 length then the bytes, as a view into the frame (which must
    /// outlive it). Null (-1) reads as empty.
    std::span<const std::uint8_t> readBytes(const char* field) {
        const std::int32_t length = readInt32();
        if (length == -1) return {};
        if (length < 0) throw error(std::string(field) + " has length " + std::to_string(length));
        return take(static_cast<std::size_t>(length), field);
    }
    //> ch14 array-length
    /// The int32 count in front of an ARRAY, checked against the bytes left: each element
    /// takes at least `minElementSize` bytes, so a count that cannot fit is refused before
    /// anything is allocated for it. A null array (-1) reads as empty.
    std::int32_t readArrayLength(const char* field, std::size_t minElementSize) {
        const std::int32_t count = readInt32();
        if (count == -1) return 0;
        if (count < 0) throw error(std::string(field) + " has count " + std::to_string(count));
        if (static_cast<std::size_t>(count) * minElementSize > remaining())
            throw error(std::string(field) + " has count " + std::to_string(count) +
                        ", more than the " + std::to_string(remaining()) + " bytes left can hold");
        return count;
    }
    //< ch14 array-length
    /// The same for an array where null means something else than empty (Metadata's topics:
    /// null asks for all of them, empty for none; the broker reads it in chapter 30).
    std::optional<std::int32_t> readNullableArrayLength(const char* field,
                                                        std::size_t minElementSize) {
        const std::size_t start = position_;
        if (readInt32() == -1) return std::nullopt;
        position_ = start;
        return readArrayLength(field, minElementSize);
    }

    std::size_t remaining() const { return bytes_.size() - position_; }
    std::size_t position() const { return position_; }

private:
    std::span<const std::uint8_t> take(std::size_t n, const char* field = "a field") {
        if (n > remaining())
            throw error(std::string(field) + " needs " + std::to_string(n) + " bytes at offset " +
                        std::to_string(position_) + ", but only " + std::to_string(remaining()) +
                        " are left");
        const auto taken = bytes_.subspan(position_, n);
        position_ += n;
        return taken;
    }

    template <typename Int>
    Int readBigEndian() {
        const auto bytes = take(sizeof(Int));
        std::make_unsigned_t<Int> bits = 0;
        for (const auto byte : bytes)
            bits = static_cast<std::make_unsigned_t<Int>>(bits << 8 | byte);
        return static_cast<Int>(bits);
    }

    errors::SchemaException error(const std::string& problem) const {
        return errors::SchemaException("Error reading " + what_ + ": " + problem);
    }

    std::span<const std::uint8_t> bytes_;
    std::size_t position_ = 0;
    std::string what_;
};

}  // namespace kafka::common::protocol
