//@ ch04
#include "kafka/common/record/AbstractRecords.h"

#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::record {

using utils::ByteUtils;

namespace {

// A length-prefixed field: -1 (one byte) for null, else the varint length and the bytes.
int sizeOfField(const std::optional<utils::Bytes>& bytes) {
    if (!bytes) return 1;
    const auto size = static_cast<std::int32_t>(bytes->size());
    return ByteUtils::sizeOfVarint(size) + size;
}

}  // namespace

//> ch04 size-upper-bound
int AbstractRecords::recordSizeUpperBound(const std::optional<utils::Bytes>& key,
                                          const std::optional<utils::Bytes>& value,
                                          const header::Headers& headers) {
    int size = kMaxRecordOverhead + sizeOfField(key) + sizeOfField(value);
    size += ByteUtils::sizeOfVarint(static_cast<std::int32_t>(headers.size()));
    for (const auto& header : headers) {
        const auto keySize = static_cast<std::int32_t>(header.key.size());
        size += ByteUtils::sizeOfVarint(keySize) + keySize + sizeOfField(header.value);
    }
    return size;
}

int AbstractRecords::estimateSizeInBytesUpperBound(const std::optional<utils::Bytes>& key,
                                                   const std::optional<utils::Bytes>& value,
                                                   const header::Headers& headers) {
    return kRecordBatchOverhead + recordSizeUpperBound(key, value, headers);
}
//< ch04 size-upper-bound

}  // namespace kafka::common::record
