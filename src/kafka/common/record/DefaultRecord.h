//@ ch07
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "kafka/common/header/Header.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::common::record {

/// One record inside a record batch v2, and the code that writes, sizes and reads it
/// (Kafka's DefaultRecord). On the wire a record is:
///
///     length          varint   bytes of everything after this field
///     attributes      int8     unused, 0
///     timestampDelta  varlong  timestamp - the batch's baseTimestamp
///     offsetDelta     varint   offset - the batch's baseOffset: 0, 1, 2, ...
///     keyLength       varint   -1 for a null key
///     key             bytes
///     valueLength     varint   -1 for a null value
///     value           bytes
///     headersCount    varint
///     headers         headerKeyLength varint, key (UTF-8), headerValueLength varint, value
///
/// Every varint here is zigzag-encoded (ByteUtils). Deltas keep the numbers small: a batch
/// of records sent within a few milliseconds spends one byte on each record's timestamp and
/// offset, where the v1 message format spent 16.
class DefaultRecord {
public:
    /// The record's own bytes, its length field included.
    int sizeInBytes() const { return sizeInBytes_; }
    std::int8_t attributes() const { return attributes_; }
    /// The batch's baseOffset + offsetDelta. A producer's batch has baseOffset 0, so this is
    /// the record's relative offset until the broker assigns the real one.
    std::int64_t offset() const { return offset_; }
    /// baseTimestamp + timestampDelta, or the batch's maxTimestamp when the broker set
    /// LogAppendTime.
    std::int64_t timestamp() const { return timestamp_; }
    const std::optional<utils::Bytes>& key() const { return key_; }
    const std::optional<utils::Bytes>& value() const { return value_; }
    const header::Headers& headers() const { return headers_; }

    /// Appends a record to `out`; returns the bytes written, its length field included.
    static int writeTo(utils::Bytes& out, std::int32_t offsetDelta, std::int64_t timestampDelta,
                       std::optional<utils::ByteView> key, std::optional<utils::ByteView> value,
                       const header::Headers& headers);

    /// The bytes writeTo() would write, its length field included. Exact, not an estimate:
    /// the builder uses it to decide whether the next record still fits under batch.size.
    static int sizeInBytes(std::int32_t offsetDelta, std::int64_t timestampDelta,
                           std::optional<utils::ByteView> key, std::optional<utils::ByteView> value,
                           const header::Headers& headers);

    /// Reads the record at `position` in `buffer` and moves `position` past it. Never reads
    /// outside `buffer`; anything that does not parse exactly throws CorruptRecordException.
    /// `logAppendTime` is set when the batch's timestamps were set by the broker.
    static DefaultRecord readFrom(std::span<const std::uint8_t> buffer, std::size_t& position,
                                  std::int64_t baseOffset, std::int64_t baseTimestamp,
                                  std::optional<std::int64_t> logAppendTime);

private:
    // The bytes after the length field.
    static int sizeOfBodyInBytes(std::int32_t offsetDelta, std::int64_t timestampDelta,
                                 std::optional<utils::ByteView> key,
                                 std::optional<utils::ByteView> value,
                                 const header::Headers& headers);

    int sizeInBytes_ = 0;
    std::int8_t attributes_ = 0;
    std::int64_t offset_ = 0;
    std::int64_t timestamp_ = 0;
    std::optional<utils::Bytes> key_;
    std::optional<utils::Bytes> value_;
    header::Headers headers_;
};

}  // namespace kafka::common::record
