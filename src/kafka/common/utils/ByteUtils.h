//@ ch04
#pragma once

#include <cstdint>
//> ch07
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/Bytes.h"
//< ch07

namespace kafka::common::utils {

//> ch07 varints
/// Java's java.nio.BufferUnderflowException: a read wanted bytes the buffer does not have.
/// The record readers (chapter 7) turn it into a CorruptRecordException that says where.
class BufferUnderflowException : public std::out_of_range {
public:
    using std::out_of_range::out_of_range;
};

//< ch07 varints
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
    //> ch07 varints

    // An unsigned varint (protobuf's base-128): 7 bits a byte, the least significant group
    // first; the high bit of a byte says "more bytes follow". 300 = 0b10_0101100 is written
    // as 0xac 0x02. Zigzag maps signed to unsigned first so that small negative numbers stay
    // short: 0, -1, 1, -2, 2, ... become 0, 1, 2, 3, 4, ... Without it, -1 would take 5 bytes
    // (10 for a varlong), and "null" is written as -1 in every record.

    //> ch07 zigzag
    /// Zigzag: (n << 1) ^ (n >> 31), with >> the arithmetic shift that copies the sign bit.
    static std::uint32_t zigzag(std::int32_t n) {
        return (static_cast<std::uint32_t>(n) << 1) ^ static_cast<std::uint32_t>(n >> 31);
    }
    static std::uint64_t zigzag(std::int64_t n) {
        return (static_cast<std::uint64_t>(n) << 1) ^ static_cast<std::uint64_t>(n >> 63);
    }
    /// The inverse: the low bit is the sign, the other bits the magnitude.
    static std::int32_t unzigzag(std::uint32_t v) {
        return static_cast<std::int32_t>((v >> 1) ^ (0u - (v & 1u)));
    }
    static std::int64_t unzigzag(std::uint64_t v) {
        return static_cast<std::int64_t>((v >> 1) ^ (0ull - (v & 1ull)));
    }
    //< ch07 zigzag

    /// Bytes of the unsigned varint encoding of `value` (1 to 5).
    static int sizeOfUnsignedVarint(std::uint32_t value) { return sizeOfUnsigned(value); }
    /// Bytes of the zigzag varlong encoding of `value` (1 to 10).
    static int sizeOfVarlong(std::int64_t value) { return sizeOfUnsigned(zigzag(value)); }

    /// Appends `value` as an unsigned varint (the protocol's compact lengths, chapter 17).
    static void writeUnsignedVarint(std::uint32_t value, Bytes& out) { writeUnsigned(value, out); }
    /// Appends `value` zigzag-encoded: the record fields of record batch v2.
    static void writeVarint(std::int32_t value, Bytes& out) { writeUnsigned(zigzag(value), out); }
    static void writeVarlong(std::int64_t value, Bytes& out) { writeUnsigned(zigzag(value), out); }

    /// Reads an unsigned varint at `position` and moves `position` past it. Throws
    /// BufferUnderflowException if the buffer ends first, and IllegalArgumentException if
    /// the 5th byte still says "more follow": no valid int32 needs a 6th byte.
    static std::uint32_t readUnsignedVarint(std::span<const std::uint8_t> buffer,
                                            std::size_t& position) {
        return readUnsigned<std::uint32_t>(buffer, position, "Varint");
    }
    /// Reads a zigzag varint (at most 5 bytes) or varlong (at most 10 bytes), likewise.
    static std::int32_t readVarint(std::span<const std::uint8_t> buffer, std::size_t& position) {
        return unzigzag(readUnsigned<std::uint32_t>(buffer, position, "Varint"));
    }
    static std::int64_t readVarlong(std::span<const std::uint8_t> buffer, std::size_t& position) {
        return unzigzag(readUnsigned<std::uint64_t>(buffer, position, "Varlong"));
    }
    //< ch07 varints
    //> ch07 big-endian

    /// A fixed-width integer in network byte order (big-endian) at `offset`, as Java's
    /// ByteBuffer.getInt(index) and friends read it. Throws BufferUnderflowException rather
    /// than read past the end.
    template <typename Int>
    static Int readBigEndian(std::span<const std::uint8_t> buffer, std::size_t offset) {
        static_assert(std::is_integral_v<Int>);
        checkRemaining(buffer.size(), offset, sizeof(Int));
        std::make_unsigned_t<Int> bits = 0;
        for (std::size_t i = 0; i < sizeof(Int); ++i)
            bits = static_cast<std::make_unsigned_t<Int>>((bits << 8) | buffer[offset + i]);
        return static_cast<Int>(bits);
    }

    /// Writes `value` big-endian at `offset`: how a batch header is patched once it is known.
    template <typename Int>
    static void writeBigEndian(std::span<std::uint8_t> buffer, std::size_t offset, Int value) {
        static_assert(std::is_integral_v<Int>);
        checkRemaining(buffer.size(), offset, sizeof(Int));
        const auto bits = static_cast<std::make_unsigned_t<Int>>(value);
        for (std::size_t i = 0; i < sizeof(Int); ++i)
            buffer[offset + i] = static_cast<std::uint8_t>(bits >> (8 * (sizeof(Int) - 1 - i)));
    }
    //< ch07 big-endian
    //> ch07 varints

private:
    template <typename UInt>
    static int sizeOfUnsigned(UInt value) {
        int bytes = 1;
        for (; value >= 0x80; value >>= 7) ++bytes;
        return bytes;
    }

    template <typename UInt>
    static void writeUnsigned(UInt value, Bytes& out) {
        for (; value >= 0x80; value >>= 7) out.push_back(static_cast<std::uint8_t>(value | 0x80));
        out.push_back(static_cast<std::uint8_t>(value));
    }

    //> ch07 read-varint
    template <typename UInt>
    static UInt readUnsigned(std::span<const std::uint8_t> buffer, std::size_t& position,
                             const char* what) {
        // 5 groups of 7 bits cover 32 bits, 10 cover 64. Like Java, the bits of the last
        // group that do not fit are dropped; only a "more follow" bit there is an error.
        constexpr int kMaxBytes = (sizeof(UInt) * 8 + 6) / 7;
        const std::size_t start = position;
        UInt value = 0;
        for (int i = 0; i < kMaxBytes; ++i) {
            if (position >= buffer.size())
                throw BufferUnderflowException(std::string(what) + " at position " +
                                               std::to_string(start) + " runs past the end of " +
                                               "the buffer (" + std::to_string(buffer.size()) +
                                               " bytes)");
            const std::uint8_t byte = buffer[position++];
            value |= static_cast<UInt>(static_cast<UInt>(byte & 0x7f) << (7 * i));
            if ((byte & 0x80) == 0) return value;
        }
        throw errors::IllegalArgumentException(std::string(what) + " at position " +
                                               std::to_string(start) +
                                               " is too long: the most significant bit in byte " +
                                               std::to_string(kMaxBytes) + " is set");
    }
    //< ch07 read-varint
    //< ch07 varints
    //> ch07 big-endian

    static void checkRemaining(std::size_t size, std::size_t offset, std::size_t wanted) {
        if (offset > size || size - offset < wanted) throwUnderflow(size, offset, wanted);
    }

    // A function of its own, [[noreturn]], so the compiler knows that the access after a failed
    // check is never reached (GCC otherwise warns about it when the sizes are constants).
    [[noreturn]] static void throwUnderflow(std::size_t size, std::size_t offset,
                                            std::size_t wanted) {
        throw BufferUnderflowException("Cannot access " + std::to_string(wanted) +
                                       " bytes at offset " + std::to_string(offset) +
                                       " of a buffer of " + std::to_string(size) + " bytes");
    }
    //< ch07 big-endian
};

}  // namespace kafka::common::utils
