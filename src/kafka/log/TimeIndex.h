//@ ch33
#pragma once

#include "kafka/log/AbstractIndex.h"
#include "kafka/log/TimestampOffset.h"

namespace kafka::log {

/// A segment's time index, its `.timeindex` file (Kafka's TimeIndex, KIP-33, Kafka 0.10.1):
/// 12-byte entries, a timestamp (8 bytes) and an offset relative to the segment's base offset
/// (4 bytes), big-endian. An entry says that no record before its offset has a larger
/// timestamp; timestamps only grow along the file, although records' timestamps need not.
class TimeIndex : public AbstractIndex {
public:
    static constexpr std::int32_t kEntrySize = 12;

    TimeIndex(std::filesystem::path file, std::int64_t baseOffset, std::int32_t maxIndexSize);

    /// One slot is kept free for the entry a segment adds when it stops being written.
    bool isFull() const override { return entries() >= maxEntries() - 1; }

    /// Adds {timestamp, offset} if the timestamp is larger than the last entry's (an equal one
    /// adds nothing: it is the entry already there). `skipFullCheck` is for that last entry.
    void maybeAppend(std::int64_t timestamp, std::int64_t offset, bool skipFullCheck = false);

    /// The entry with the greatest timestamp at most `targetTimestamp`: the offset from which
    /// to look for it. {kNoTimestamp, baseOffset} if every entry is larger.
    TimestampOffset lookup(std::int64_t targetTimestamp) const;

    TimestampOffset entry(std::int32_t slot) const;
    /// The last entry; {kNoTimestamp, baseOffset} if there is none.
    TimestampOffset lastEntry() const;
    //> ch34
    /// Throws CorruptIndexException if the file is not whole entries, its last timestamp is
    /// below its first, or its last offset below the base offset.
    void sanityCheck() const;
    //< ch34

private:
    std::int64_t keyAt(std::int32_t slot) const override { return entry(slot).timestamp; }
};

}  // namespace kafka::log
