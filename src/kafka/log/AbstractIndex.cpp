//@ ch33
#include "kafka/log/AbstractIndex.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <string>

#include "kafka/common/errors/ApiExceptions.h"

namespace kafka::log {

namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& file) {
    throw common::errors::KafkaStorageException(what + " index file " + file.string() + ": " +
                                                std::strerror(errno));
}

std::int32_t roundDownToExactMultiple(std::int64_t number, std::int32_t factor) {
    return static_cast<std::int32_t>(factor * (number / factor));
}

// The last entries of an index, 8 KiB of them: where nearly every lookup lands (a consumer
// that keeps up, the producer's own appends), so the pages that hold them stay in memory.
constexpr std::int32_t kWarmSectionBytes = 8192;

}  // namespace

AbstractIndex::AbstractIndex(std::filesystem::path file, std::int64_t baseOffset,
                             std::int32_t maxIndexSize, std::int32_t entrySize)
    : file_(std::move(file)),
      baseOffset_(baseOffset),
      maxIndexSize_(maxIndexSize),
      entrySize_(entrySize) {
    if (maxIndexSize < entrySize)
        throw common::errors::IllegalArgumentException(
            "Invalid max index size " + std::to_string(maxIndexSize) + " for " + file_.string() +
            ": an entry takes " + std::to_string(entrySize) + " bytes");
    const bool newlyCreated = !std::filesystem::exists(file_);
    fd_ = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("Cannot open", file_);
    struct stat status {};
    if (::fstat(fd_, &status) != 0) {
        ::close(fd_);
        fail("Cannot stat", file_);
    }
    std::int64_t length = status.st_size;
    if (newlyCreated) {
        length = roundDownToExactMultiple(maxIndexSize, entrySize);
        if (::ftruncate(fd_, length) != 0) {
            ::close(fd_);
            fail("Cannot preallocate", file_);
        }
    }
    try {
        map(length);
    } catch (...) {
        ::close(fd_);
        throw;
    }
    entries_ = newlyCreated ? 0 : roundDownToExactMultiple(length, entrySize) / entrySize;
}

AbstractIndex::~AbstractIndex() {
    try {
        trimToValidSize();
    } catch (const std::exception&) {
        // A file that cannot be cut keeps its zeros: the next open finds them and rebuilds it.
    }
    unmap();
    ::close(fd_);
}

void AbstractIndex::map(std::int64_t length) {
    length_ = length;
    maxEntries_ = static_cast<std::int32_t>(length / entrySize_);
    if (length == 0) return;  // nothing to map: mmap refuses a length of 0
    void* data = ::mmap(nullptr, static_cast<std::size_t>(length), PROT_READ | PROT_WRITE,
                        MAP_SHARED, fd_, 0);
    if (data == MAP_FAILED) fail("Cannot map", file_);
    data_ = static_cast<std::uint8_t*>(data);
}

void AbstractIndex::unmap() {
    if (data_) ::munmap(data_, static_cast<std::size_t>(length_));
    data_ = nullptr;
}

//> ch33 index-resize
void AbstractIndex::resize(std::int32_t newSize) {
    const std::int32_t rounded = roundDownToExactMultiple(newSize, entrySize_);
    if (rounded == length_) return;
    // The mapping covers the old length: unmap, change the file's length, map it again. The
    // entries are in the file (a shared mapping writes through to it), so they stay.
    unmap();
    if (::ftruncate(fd_, rounded) != 0) fail("Cannot resize", file_);
    map(rounded);
    entries_ = std::min(entries_, maxEntries_);
}
//< ch33 index-resize

void AbstractIndex::reset() {
    truncateToEntries(0);
    resize(maxIndexSize_);
}

void AbstractIndex::flush() {
    if (data_ && ::msync(data_, static_cast<std::size_t>(length_), MS_SYNC) != 0)
        fail("Cannot flush", file_);
}

std::int32_t AbstractIndex::relativeOffset(std::int64_t offset) const {
    const std::int64_t relative = offset - baseOffset_;
    if (relative < 0 || relative > std::numeric_limits<std::int32_t>::max())
        throw common::errors::IllegalArgumentException(
            "Integer overflow for offset: " + std::to_string(offset) + " (" + file_.string() +
            ", base offset " + std::to_string(baseOffset_) + ")");
    return static_cast<std::int32_t>(relative);
}

std::span<const std::uint8_t> AbstractIndex::entryAt(std::int32_t slot) const {
    return {data_ + static_cast<std::size_t>(slot) * entrySize_,
            static_cast<std::size_t>(entrySize_)};
}

void AbstractIndex::appendEntry(std::span<const std::uint8_t> entry) {
    if (entries_ >= maxEntries_)  // no room in the file, whatever isFull() keeps in reserve
        throw common::errors::IllegalArgumentException(
            "Attempt to append to a full index " + file_.string() +
            " (size = " + std::to_string(entries_) + ")");
    std::memcpy(data_ + static_cast<std::size_t>(entries_) * entrySize_, entry.data(),
                entry.size());
    ++entries_;
}

void AbstractIndex::truncateToEntries(std::int32_t entries) {
    entries_ = std::clamp(entries, 0, entries_);
}

//> ch33 index-search
// A lookup reads a handful of entries: the ones a binary search visits. Searching the whole
// index, a lookup near its end (almost all of them) would visit entries spread over the whole
// file, and any page of it that the kernel evicted costs a disk read. So the search looks at the
// warm section first, the last 8 KiB of entries, which every append and every recent lookup
// touches (KAFKA-6432, Kafka 2.1); only an older target searches the rest.
std::int32_t AbstractIndex::largestLowerBoundSlotFor(std::int64_t target) const {
    if (entries_ == 0) return -1;
    const std::int32_t firstHotEntry = std::max(0, entries_ - 1 - kWarmSectionBytes / entrySize_);
    if (keyAt(firstHotEntry) < target) return binarySearch(target, firstHotEntry, entries_);
    if (keyAt(0) > target) return -1;
    return binarySearch(target, 0, firstHotEntry + 1);
}

// The last slot in [begin, end) whose key is at most `target`; the caller knows there is one.
std::int32_t AbstractIndex::binarySearch(std::int64_t target, std::int32_t begin,
                                         std::int32_t end) const {
    // Invariant: keyAt(begin) <= target, and every slot at or past `end` is above it.
    while (end - begin > 1) {
        const std::int32_t middle = begin + (end - begin) / 2;
        if (keyAt(middle) <= target) {
            begin = middle;
        } else {
            end = middle;
        }
    }
    return begin;
}
//< ch33 index-search

}  // namespace kafka::log
