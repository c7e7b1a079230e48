//@ ch04
#pragma once

#include <optional>

#include "kafka/common/header/Header.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::common::record {

/// Sizes of records in the record batch v2 format, known before anything is written.
struct AbstractRecords {
    /// A batch's fixed header: offset, length, epoch, magic, CRC, attributes, offsets,
    /// timestamps, producer id/epoch/sequence and the record count (chapter 7).
    static constexpr int kRecordBatchOverhead = 61;
    /// The most a record's own fields can take besides key, value and headers: its length
    /// (varint, up to 5), attributes (1), timestamp delta (varlong, up to 10) and offset
    /// delta (varint, up to 5).
    static constexpr int kMaxRecordOverhead = 21;

    /// An upper bound for a batch holding just this record. send() compares it with
    /// max.request.size and buffer.memory before the record goes anywhere. In 64 bits: a
    /// C++ value may be larger than 2 GiB, which no int can count (Java's byte[] cannot be).
    static std::int64_t estimateSizeInBytesUpperBound(std::optional<utils::ByteView> key,
                                                      std::optional<utils::ByteView> value,
                                                      const header::Headers& headers);
    /// An upper bound for the record alone, inside a batch.
    static std::int64_t recordSizeUpperBound(std::optional<utils::ByteView> key,
                                             std::optional<utils::ByteView> value,
                                             const header::Headers& headers);
    /// The same from the key's and the value's sizes (-1 for null), as Kafka's
    /// DefaultRecord.recordSizeUpperBound(keySize, valueSize, headers).
    static std::int64_t recordSizeUpperBound(std::int64_t keySize, std::int64_t valueSize,
                                             const header::Headers& headers);
};

}  // namespace kafka::common::record
