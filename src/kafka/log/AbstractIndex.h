//@ ch33
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

namespace kafka::log {

/// A segment's index file (Kafka's AbstractIndex): entries of one fixed size, sorted by their
/// key, in a file mapped into memory. A new file is made as large as log.index.size.max.bytes
/// allows at once (the unused part is a hole in a sparse file, it costs no disk), so that
/// appending an entry is a store into memory; the file is cut to its entries when the segment
/// stops being written (trimToValidSize). The log's lock guards an index: it has no lock of its
/// own, where Kafka's has two (one for writers, one against a remap under a reader).
class AbstractIndex {
public:
    AbstractIndex(const AbstractIndex&) = delete;
    AbstractIndex& operator=(const AbstractIndex&) = delete;
    /// Unmaps the file, cut to its entries first (Kafka's close()).
    virtual ~AbstractIndex();

    const std::filesystem::path& file() const { return file_; }
    std::int64_t baseOffset() const { return baseOffset_; }
    std::int32_t entries() const { return entries_; }
    std::int32_t maxEntries() const { return maxEntries_; }
    std::int32_t maxIndexSize() const { return maxIndexSize_; }
    std::int32_t entrySize() const { return entrySize_; }
    /// The bytes the entries take; the file may be longer (its preallocated part).
    std::int32_t sizeInBytes() const { return entries_ * entrySize_; }
    /// The file's length, and the mapping's.
    std::int64_t length() const { return length_; }
    virtual bool isFull() const { return entries_ >= maxEntries_; }

    /// Makes the file `newSize` bytes long (rounded down to whole entries) and maps it again;
    /// the entries stay.
    void resize(std::int32_t newSize);
    /// Cuts the file to its entries: what a segment's index is once nothing more is appended.
    void trimToValidSize() { resize(sizeInBytes()); }
    /// No entries, and room for log.index.size.max.bytes of them again.
    void reset();
    /// The entries on the disk (msync).
    void flush();

    /// `offset` as the 4 bytes an entry keeps: its distance from the segment's base offset.
    /// Throws IllegalArgumentException when it does not fit (Kafka's IndexOffsetOverflowException).
    std::int32_t relativeOffset(std::int64_t offset) const;

protected:
    /// Opens `file`, creating it `maxIndexSize` bytes long (rounded down to whole entries) if
    /// it does not exist; an existing file's entries are all its bytes, as Kafka reads an index
    /// that was trimmed when its segment was closed. Throws KafkaStorageException naming the
    /// file.
    AbstractIndex(std::filesystem::path file, std::int64_t baseOffset, std::int32_t maxIndexSize,
                  std::int32_t entrySize);

    /// The key entry `slot` is sorted by: an offset, or a timestamp.
    virtual std::int64_t keyAt(std::int32_t slot) const = 0;
    /// The bytes of entry `slot`.
    std::span<const std::uint8_t> entryAt(std::int32_t slot) const;
    /// Writes one entry after the last.
    void appendEntry(std::span<const std::uint8_t> entry);
    /// Keeps the first `entries` entries.
    void truncateToEntries(std::int32_t entries);

    /// The slot of the greatest entry whose key is at most `target`, or -1 if there is none
    /// (Kafka's largestLowerBoundSlotFor).
    std::int32_t largestLowerBoundSlotFor(std::int64_t target) const;

private:
    void map(std::int64_t length);
    void unmap();
    std::int32_t binarySearch(std::int64_t target, std::int32_t begin, std::int32_t end) const;

    std::filesystem::path file_;
    std::int64_t baseOffset_;
    std::int32_t maxIndexSize_;
    std::int32_t entrySize_;
    int fd_ = -1;
    std::uint8_t* data_ = nullptr;  // the mapping: length_ bytes, or none when length_ is 0
    std::int64_t length_ = 0;
    std::int32_t maxEntries_ = 0;
    std::int32_t entries_ = 0;
};

}  // namespace kafka::log
