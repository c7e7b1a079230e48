//@ ch33
#include "kafka/log/OffsetIndex.h"

#include <array>
#include <string>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/utils/ByteUtils.h"
//> ch34
#include "kafka/log/CorruptIndexException.h"
//< ch34

namespace kafka::log {

using common::utils::ByteUtils;

OffsetIndex::OffsetIndex(std::filesystem::path file, std::int64_t baseOffset,
                         std::int32_t maxIndexSize)
    : AbstractIndex(std::move(file), baseOffset, maxIndexSize, kEntrySize) {}

//> ch33 offset-index
void OffsetIndex::append(std::int64_t offset, std::int32_t position) {
    if (entries() > 0 && offset <= lastOffset())
        throw common::errors::IllegalArgumentException(
            "Attempt to append an offset " + std::to_string(offset) + " to position " +
            std::to_string(entries()) + " no larger than the last offset appended (" +
            std::to_string(lastOffset()) + ") to " + file().string());
    std::array<std::uint8_t, kEntrySize> entry{};
    ByteUtils::writeBigEndian<std::int32_t>(entry, 0, relativeOffset(offset));
    ByteUtils::writeBigEndian<std::int32_t>(entry, 4, position);
    appendEntry(entry);
}

OffsetPosition OffsetIndex::lookup(std::int64_t targetOffset) const {
    const std::int32_t slot = largestLowerBoundSlotFor(targetOffset);
    return slot < 0 ? OffsetPosition{baseOffset(), 0} : entry(slot);
}

OffsetPosition OffsetIndex::entry(std::int32_t slot) const {
    const auto bytes = entryAt(slot);
    return {baseOffset() + ByteUtils::readBigEndian<std::int32_t>(bytes, 0),
            ByteUtils::readBigEndian<std::int32_t>(bytes, 4)};
}
//< ch33 offset-index

std::int64_t OffsetIndex::lastOffset() const {
    return entries() == 0 ? baseOffset() : entry(entries() - 1).offset;
}

//> ch34
void OffsetIndex::sanityCheck() const {
    if (entries() != 0 && lastOffset() < baseOffset())
        throw CorruptIndexException(
            "Corrupt index found, index file " + file().string() +
            " has non-zero size but the last offset is " + std::to_string(lastOffset()) +
            " which is less than the base offset " + std::to_string(baseOffset()));
    if (length() % kEntrySize != 0)
        throw CorruptIndexException(
            "Index file " + file().string() + " is corrupt, found " + std::to_string(length()) +
            " bytes which is not a multiple of " + std::to_string(kEntrySize));
}
//< ch34

}  // namespace kafka::log
