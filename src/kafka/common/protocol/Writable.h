//@ ch14
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kafka/common/errors/Exceptions.h"
//> ch17
#include "kafka/common/network/NetworkSend.h"
//< ch17
#include "kafka/common/utils/Bytes.h"

namespace kafka::common::protocol {

/// Writes the protocol's primitive types at the end of a byte buffer (Kafka's Writable over a
/// ByteBufferAccessor): fixed-width integers big-endian, strings with an int16 length, byte
/// arrays with an int32 length, arrays with an int32 count, and -1 for "null" in each of them.
/// These are the non-flexible encodings, which every Kafka from 0.10 to 4.x reads; the
/// versions this course speaks are all non-flexible (see ApiKeys.h).
//> ch17
///
/// A Writable that collects lent bytes (Kafka's SendBuilder, chapter 17) does not copy the
/// RECORDS it is given: it writes their length and notes where they go, and the NetworkSend
/// sends them from the producer's batches.
//< ch17
class Writable {
public:
    explicit Writable(utils::Bytes& out) : out_(out) {}
    //> ch17
    /// Records written with writeRecords() are lent, not copied: each goes into `lent` with
    /// its offset in `out`. They must outlive the frame's send.
    Writable(utils::Bytes& out, std::vector<network::LentBytes>& lent) : out_(out), lent_(&lent) {}
    //< ch17

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
        writeInt32(lengthOf(value));
        out_.insert(out_.end(), value.begin(), value.end());
    }
    /// RECORDS: as BYTES, an int32 length, then record batches.
    //> ch17
    /// Lent rather than copied when this Writable collects lent bytes.
    //< ch17
    void writeRecords(std::span<const std::uint8_t> records) {
        //> ch17 write-records-lent
        if (lent_) {
            writeInt32(lengthOf(records));
            lent_->push_back(network::LentBytes{out_.size(), records});
            return;
        }
        //< ch17 write-records-lent
        writeBytes(records);
    }
    /// The int32 count in front of an ARRAY's elements (-1: a null array).
    void writeArrayLength(std::int32_t count) { writeInt32(count); }

private:
    static std::int32_t lengthOf(std::span<const std::uint8_t> value) {
        if (value.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
            throw errors::SchemaException("A BYTES field of " + std::to_string(value.size()) +
                                          " bytes is too long to be serialized (at most 2 GiB)");
        return static_cast<std::int32_t>(value.size());
    }

    template <typename Int>
    void writeBigEndian(Int value) {
        const auto bits = static_cast<std::make_unsigned_t<Int>>(value);
        for (int shift = 8 * (sizeof(Int) - 1); shift >= 0; shift -= 8)
            out_.push_back(static_cast<std::uint8_t>(bits >> shift));
    }

    utils::Bytes& out_;
    //> ch17
    std::vector<network::LentBytes>* lent_ = nullptr;  // null: RECORDS are copied
    //< ch17
};

}  // namespace kafka::common::protocol
