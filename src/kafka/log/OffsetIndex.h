//@ ch33
#pragma once

#include "kafka/log/AbstractIndex.h"
#include "kafka/log/OffsetPosition.h"

namespace kafka::log {

/// A segment's offset index, its `.index` file (Kafka's OffsetIndex): 8-byte entries, the
/// offset relative to the segment's base offset and the position of a batch in the `.log`
/// file, both 4-byte big-endian integers. Sparse: one entry every log.index.interval.bytes of
/// batches, so a lookup finds where to start reading, not the batch itself.
class OffsetIndex : public AbstractIndex {
public:
    static constexpr std::int32_t kEntrySize = 8;

    /// The index of the segment that starts at `baseOffset`, in `file`.
    OffsetIndex(std::filesystem::path file, std::int64_t baseOffset, std::int32_t maxIndexSize);

    /// Records that the batch ending at `offset` starts at `position`. Offsets only grow:
    /// throws IllegalArgumentException for one that does not, or when the index is full.
    void append(std::int64_t offset, std::int32_t position);

    /// The entry with the greatest offset at most `targetOffset`: where a search for it in the
    /// `.log` file starts. {baseOffset, 0}, the file's start, if no entry is that low.
    OffsetPosition lookup(std::int64_t targetOffset) const;

    /// Entry `slot`, with its offset made absolute again.
    OffsetPosition entry(std::int32_t slot) const;

    /// The offset of the last entry; the base offset if there is none.
    std::int64_t lastOffset() const;
    //> ch34
    /// Throws CorruptIndexException if the file is not whole entries, or its last offset lies
    /// below the base offset.
    void sanityCheck() const;
    //< ch34

private:
    std::int64_t keyAt(std::int32_t slot) const override { return entry(slot).offset; }
};

}  // namespace kafka::log
