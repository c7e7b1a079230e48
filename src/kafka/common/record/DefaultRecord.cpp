//@ ch07
#include "kafka/common/record/DefaultRecord.h"

#include <algorithm>
#include <string>

#include "kafka/common/record/CorruptRecordException.h"
#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::record {

using utils::Bytes;
using utils::ByteUtils;
using utils::ByteView;

namespace {

constexpr std::int32_t kNullLength = -1;  // a null key, value or header value

// base + delta as Java computes it: wrapping at 64 bits. Damaged bytes can hold any base and
// any delta, and signed overflow in C++ is undefined behaviour, so the sum is done unsigned.
std::int64_t wrappingAdd(std::int64_t base, std::int64_t delta) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(base) +
                                     static_cast<std::uint64_t>(delta));
}

int sizeOfNullableBytes(std::optional<ByteView> bytes) {
    if (!bytes) return ByteUtils::sizeOfVarint(kNullLength);
    const auto size = static_cast<std::int32_t>(bytes->size());
    return ByteUtils::sizeOfVarint(size) + size;
}

// Reads the fields of one record's body. Every read is bounded by the body, so a field that
// claims more bytes than the record has is caught here, not by reading the next record.
class BodyReader {
public:
    explicit BodyReader(std::span<const std::uint8_t> body) : body_(body) {}

    std::int32_t varint() { return ByteUtils::readVarint(body_, position_); }
    std::int64_t varlong() { return ByteUtils::readVarlong(body_, position_); }

    std::int8_t int8() {
        if (position_ >= body_.size()) underflow("attributes", 1);
        return static_cast<std::int8_t>(body_[position_++]);
    }

    Bytes bytes(std::int32_t size, const char* what) {
        if (static_cast<std::size_t>(size) > body_.size() - position_) underflow(what, size);
        const auto first = body_.begin() + static_cast<std::ptrdiff_t>(position_);
        position_ += static_cast<std::size_t>(size);
        return Bytes(first, first + size);
    }

    std::optional<Bytes> nullableBytes(const char* what) {
        const std::int32_t size = varint();
        if (size == kNullLength) return std::nullopt;
        if (size < 0)
            throw CorruptRecordException("Invalid negative " + std::string(what) + " size " +
                                         std::to_string(size));
        return bytes(size, what);
    }

    std::size_t position() const { return position_; }

private:
    [[noreturn]] void underflow(const char* what, std::int64_t wanted) const {
        throw utils::BufferUnderflowException(std::string(what) + " of " + std::to_string(wanted) +
                                              " bytes at position " + std::to_string(position_) +
                                              " runs past the end of the record");
    }

    std::span<const std::uint8_t> body_;
    std::size_t position_ = 0;
};

}  // namespace

//> ch07 record-size
int DefaultRecord::sizeOfBodyInBytes(std::int32_t offsetDelta, std::int64_t timestampDelta,
                                     std::optional<ByteView> key, std::optional<ByteView> value,
                                     const header::Headers& headers) {
    int size = 1;  // attributes
    size += ByteUtils::sizeOfVarlong(timestampDelta);
    size += ByteUtils::sizeOfVarint(offsetDelta);
    size += sizeOfNullableBytes(key);
    size += sizeOfNullableBytes(value);
    size += ByteUtils::sizeOfVarint(static_cast<std::int32_t>(headers.size()));
    for (const auto& header : headers) {
        const auto keySize = static_cast<std::int32_t>(header.key.size());
        size += ByteUtils::sizeOfVarint(keySize) + keySize;
        size += sizeOfNullableBytes(header.value);
    }
    return size;
}

int DefaultRecord::sizeInBytes(std::int32_t offsetDelta, std::int64_t timestampDelta,
                               std::optional<ByteView> key, std::optional<ByteView> value,
                               const header::Headers& headers) {
    const int body = sizeOfBodyInBytes(offsetDelta, timestampDelta, key, value, headers);
    return ByteUtils::sizeOfVarint(body) + body;
}
//< ch07 record-size

//> ch07 record-write
namespace {

// Writes a record into room already made for it. The record's size is known before its first
// byte, so the buffer grows once per record, and each field is plain stores through a
// cursor, not a push_back per byte that checks for room every time.
class RecordWriter {
public:
    explicit RecordWriter(std::uint8_t* at) : at_(at) {}
    void byte(std::uint8_t value) { *at_++ = value; }
    template <typename UInt>
    void unsignedVarint(UInt value) {
        for (; value >= 0x80; value >>= 7) byte(static_cast<std::uint8_t>(value | 0x80));
        byte(static_cast<std::uint8_t>(value));
    }
    void varint(std::int32_t value) { unsignedVarint(ByteUtils::zigzag(value)); }
    void varlong(std::int64_t value) { unsignedVarint(ByteUtils::zigzag(value)); }
    void raw(ByteView bytes) { at_ = std::copy(bytes.begin(), bytes.end(), at_); }
    void nullableBytes(std::optional<ByteView> bytes) {
        if (!bytes) return varint(kNullLength);  // one byte, 0x01
        varint(static_cast<std::int32_t>(bytes->size()));
        raw(*bytes);
    }

private:
    std::uint8_t* at_;
};

}  // namespace

int DefaultRecord::writeTo(Bytes& out, std::int32_t offsetDelta, std::int64_t timestampDelta,
                           std::optional<ByteView> key, std::optional<ByteView> value,
                           const header::Headers& headers) {
    // The length comes first, so it is computed before anything is written: no second pass
    // and no temporary buffer.
    const int body = sizeOfBodyInBytes(offsetDelta, timestampDelta, key, value, headers);
    const int size = ByteUtils::sizeOfVarint(body) + body;
    const std::size_t start = out.size();
    out.resize(start + static_cast<std::size_t>(size));
    RecordWriter write(out.data() + start);
    write.varint(body);
    write.byte(0);  // attributes: no record-level attribute is defined
    write.varlong(timestampDelta);
    write.varint(offsetDelta);
    write.nullableBytes(key);
    write.nullableBytes(value);
    write.varint(static_cast<std::int32_t>(headers.size()));
    for (const auto& header : headers) {
        write.varint(static_cast<std::int32_t>(header.key.size()));
        write.raw(
            ByteView(reinterpret_cast<const std::uint8_t*>(header.key.data()), header.key.size()));
        write.nullableBytes(header.value);
    }
    return size;
}
//< ch07 record-write

//> ch07 record-read
//> ch07 record-length
DefaultRecord DefaultRecord::readFrom(std::span<const std::uint8_t> buffer, std::size_t& position,
                                      std::int64_t baseOffset, std::int64_t baseTimestamp,
                                      std::optional<std::int64_t> logAppendTime) {
    const std::size_t start = position;
    std::int32_t bodySize = 0;
    try {
        bodySize = ByteUtils::readVarint(buffer, position);
    } catch (const std::exception& e) {  // underflow, or a varint of more than 5 bytes
        throw CorruptRecordException("Invalid record length at position " + std::to_string(start) +
                                     ": " + e.what());
    }
    const std::size_t remaining = buffer.size() - position;
    if (bodySize < 0 || static_cast<std::size_t>(bodySize) > remaining)
        throw CorruptRecordException("Invalid record size: expected " + std::to_string(bodySize) +
                                     " bytes in record payload, but the buffer has only " +
                                     std::to_string(remaining) + " remaining bytes");
    //< ch07 record-length

    //> ch07 record-fields
    // From here on the record reads only its own bytes.
    BodyReader body(buffer.subspan(position, static_cast<std::size_t>(bodySize)));
    DefaultRecord record;
    try {
        record.attributes_ = body.int8();
        const std::int64_t timestampDelta = body.varlong();
        const std::int32_t offsetDelta = body.varint();
        record.offset_ = wrappingAdd(baseOffset, offsetDelta);
        record.timestamp_ =
            logAppendTime ? *logAppendTime : wrappingAdd(baseTimestamp, timestampDelta);
        record.key_ = body.nullableBytes("key");
        record.value_ = body.nullableBytes("value");
        const std::int32_t headerCount = body.varint();
        if (headerCount < 0)
            throw CorruptRecordException("Found invalid number of record headers " +
                                         std::to_string(headerCount));
        for (std::int32_t i = 0; i < headerCount; ++i) {
            const std::int32_t keySize = body.varint();
            if (keySize < 0)  // a header key is a string, never null
                throw CorruptRecordException("Invalid negative header key size " +
                                             std::to_string(keySize));
            const Bytes key = body.bytes(keySize, "header key");
            auto value = body.nullableBytes("header value");
            record.headers_.push_back({std::string(key.begin(), key.end()), std::move(value)});
        }
    } catch (const CorruptRecordException&) {
        throw;
    } catch (const std::exception& e) {  // a field ran past the record's end, or a bad varint
        throw CorruptRecordException("Invalid record at position " + std::to_string(start) +
                                     " (length " + std::to_string(bodySize) + "): " + e.what());
    }
    // Fields that end early leave bytes nobody can interpret: as corrupt as running over.
    if (body.position() != static_cast<std::size_t>(bodySize))
        throw CorruptRecordException(
            "Invalid record size: expected to read " + std::to_string(bodySize) +
            " bytes in record payload, but instead read " + std::to_string(body.position()));
    position += static_cast<std::size_t>(bodySize);
    record.sizeInBytes_ = static_cast<int>(position - start);
    return record;
    //< ch07 record-fields
}
//< ch07 record-read

}  // namespace kafka::common::record
