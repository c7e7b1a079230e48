//@ ch04
#include "kafka/common/record/AbstractRecords.h"

#include <limits>

#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::record {

using utils::ByteUtils;

namespace {

// A length-prefixed field of `size` bytes: -1 (one byte) for null, else the varint length
// and the bytes.
std::int64_t sizeOfField(std::int64_t size) {
    if (size < 0) return 1;
    // A varint takes at most 5 bytes for an int32; a larger length (which no record can have:
    // send() refuses it) is counted as a varlong's most, 10.
    const int lengthSize = size <= std::numeric_limits<std::int32_t>::max()
                               ? ByteUtils::sizeOfVarint(static_cast<std::int32_t>(size))
                               : 10;
    return lengthSize + size;
}

std::int64_t sizeOf(std::optional<utils::ByteView> bytes) {
    return bytes ? static_cast<std::int64_t>(bytes->size()) : -1;
}

}  // namespace

//> ch04 size-upper-bound
std::int64_t AbstractRecords::recordSizeUpperBound(std::optional<utils::ByteView> key,
                                                   std::optional<utils::ByteView> value,
                                                   const header::Headers& headers) {
    return recordSizeUpperBound(sizeOf(key), sizeOf(value), headers);
}

std::int64_t AbstractRecords::recordSizeUpperBound(std::int64_t keySize, std::int64_t valueSize,
                                                   const header::Headers& headers) {
    std::int64_t size = kMaxRecordOverhead + sizeOfField(keySize) + sizeOfField(valueSize);
    size += ByteUtils::sizeOfVarint(static_cast<std::int32_t>(headers.size()));
    for (const auto& header : headers)
        size += sizeOfField(static_cast<std::int64_t>(header.key.size())) +
                sizeOfField(sizeOf(header.value));
    return size;
}

std::int64_t AbstractRecords::estimateSizeInBytesUpperBound(std::optional<utils::ByteView> key,
                                                            std::optional<utils::ByteView> value,
                                                            const header::Headers& headers) {
    return kRecordBatchOverhead + recordSizeUpperBound(key, value, headers);
}
//< ch04 size-upper-bound

}  // namespace kafka::common::record
