//@ ch33
#include "kafka/log/TimeIndex.h"

#include <array>
#include <string>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/utils/ByteUtils.h"
//> ch34
#include "kafka/log/CorruptIndexException.h"
//< ch34

namespace kafka::log {

using common::utils::ByteUtils;

TimeIndex::TimeIndex(std::filesystem::path file, std::int64_t baseOffset, std::int32_t maxIndexSize)
    : AbstractIndex(std::move(file), baseOffset, maxIndexSize, kEntrySize) {}

//> ch33 time-index
void TimeIndex::maybeAppend(std::int64_t timestamp, std::int64_t offset, bool skipFullCheck) {
    if (!skipFullCheck && isFull())
        throw common::errors::IllegalArgumentException(
            "Attempt to append to a full time index " + file().string() +
            " (size = " + std::to_string(entries()) + ")");
    const TimestampOffset last = lastEntry();
    if (entries() > 0 && (offset < last.offset || timestamp < last.timestamp))
        throw common::errors::IllegalArgumentException(
            "Attempt to append {" + std::to_string(timestamp) + ", " + std::to_string(offset) +
            "} to " + file().string() + " behind its last entry {" +
            std::to_string(last.timestamp) + ", " + std::to_string(last.offset) + "}");
    // Only a larger timestamp adds an entry: the time index stays sorted by timestamp, and the
    // entry a segment adds when it is rolled or closed is often the last one again.
    if (timestamp <= last.timestamp || entries() == maxEntries()) return;
    std::array<std::uint8_t, kEntrySize> entry{};
    ByteUtils::writeBigEndian<std::int64_t>(entry, 0, timestamp);
    ByteUtils::writeBigEndian<std::int32_t>(entry, 8, relativeOffset(offset));
    appendEntry(entry);
}

TimestampOffset TimeIndex::lookup(std::int64_t targetTimestamp) const {
    const std::int32_t slot = largestLowerBoundSlotFor(targetTimestamp);
    return slot < 0 ? TimestampOffset{TimestampOffset::kNoTimestamp, baseOffset()} : entry(slot);
}

TimestampOffset TimeIndex::entry(std::int32_t slot) const {
    const auto bytes = entryAt(slot);
    return {ByteUtils::readBigEndian<std::int64_t>(bytes, 0),
            baseOffset() + ByteUtils::readBigEndian<std::int32_t>(bytes, 8)};
}
//< ch33 time-index

//> ch34
void TimeIndex::sanityCheck() const {
    const auto where = "Corrupt time index found, time index file (" + file().string() + ") ";
    if (entries() != 0 && lastEntry().timestamp < entry(0).timestamp)
        throw CorruptIndexException(where + "has non-zero size but the last timestamp is " +
                                    std::to_string(lastEntry().timestamp) +
                                    " which is less than the first timestamp " +
                                    std::to_string(entry(0).timestamp));
    if (entries() != 0 && lastEntry().offset < baseOffset())
        throw CorruptIndexException(where + "has non-zero size but the last offset is " +
                                    std::to_string(lastEntry().offset) +
                                    " which is less than the first offset " +
                                    std::to_string(baseOffset()));
    if (length() % kEntrySize != 0)
        throw CorruptIndexException("Time index file " + file().string() + " is corrupt, found " +
                                    std::to_string(length()) +
                                    " bytes which is not a multiple of " +
                                    std::to_string(kEntrySize));
}
//< ch34

TimestampOffset TimeIndex::lastEntry() const {
    return entries() == 0 ? TimestampOffset{TimestampOffset::kNoTimestamp, baseOffset()}
                          : entry(entries() - 1);
}

}  // namespace kafka::log
