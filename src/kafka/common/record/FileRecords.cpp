//@ ch32
#include "kafka/common/record/FileRecords.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <limits>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::record {

namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& file) {
    throw errors::KafkaStorageException(what + " " + file.string() + ": " + std::strerror(errno));
}

}  // namespace

FileRecords FileRecords::open(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) fail("Cannot open", file);
    struct stat status {};
    if (::fstat(fd, &status) != 0) {
        ::close(fd);
        fail("Cannot stat", file);
    }
    if (status.st_size > std::numeric_limits<std::int32_t>::max()) {
        ::close(fd);
        throw errors::KafkaStorageException("The segment file " + file.string() + " holds " +
                                            std::to_string(status.st_size) +
                                            " bytes, more than a segment may (2 GiB)");
    }
    return FileRecords(file, fd, static_cast<std::int32_t>(status.st_size));
}

FileRecords::FileRecords(std::filesystem::path file, int fd, std::int32_t size)
    : file_(std::move(file)), fd_(fd), size_(size) {}

FileRecords::FileRecords(FileRecords&& other) noexcept
    : file_(std::move(other.file_)), fd_(other.fd_), size_(other.size_.load()) {
    other.fd_ = -1;
}

FileRecords::~FileRecords() {
    if (fd_ >= 0) ::close(fd_);
}

//> ch32 file-append
std::int32_t FileRecords::append(std::span<const std::uint8_t> records,
                                 std::span<const std::uint8_t> moreRecords) {
    const std::int32_t position = sizeInBytes();
    const std::size_t size = records.size() + moreRecords.size();
    if (size > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max() - position))
        throw errors::IllegalArgumentException("An append of " + std::to_string(size) +
                                               " bytes does not fit in segment " + file_.string() +
                                               " at position " + std::to_string(position));
    // One pwritev for both pieces: the kernel copies them into the page cache, the one copy an
    // append makes. It may write less than asked (a signal, a full disk): go on from where it
    // stopped until all is written.
    const std::array<std::span<const std::uint8_t>, 2> pieces{records, moreRecords};
    std::size_t written = 0;
    while (written < size) {
        std::array<iovec, 2> left{};
        int count = 0;
        std::size_t skip = written;
        for (const auto piece : pieces) {
            if (skip >= piece.size()) {
                skip -= piece.size();
                continue;
            }
            // pwritev does not write through iov_base; the iovec type is shared with readv.
            left[count++] = {const_cast<std::uint8_t*>(piece.data() + skip), piece.size() - skip};
            skip = 0;
        }
        const ssize_t n = ::pwritev(fd_, left.data(), count,
                                    static_cast<off_t>(position) + static_cast<off_t>(written));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("Cannot write to", file_);
        written += static_cast<std::size_t>(n);
    }
    // Readers see the new size only once every byte is in the file.
    size_.store(position + static_cast<std::int32_t>(written), std::memory_order_release);
    return static_cast<std::int32_t>(written);
}
//< ch32 file-append

void FileRecords::flush() {
    if (::fsync(fd_) != 0) fail("Cannot flush", file_);
}

//> ch34
std::int32_t FileRecords::truncateTo(std::int32_t size) {
    const std::int32_t original = sizeInBytes();
    if (size < 0 || size > original)
        throw errors::KafkaStorageException("Attempt to truncate " + file_.string() + " of " +
                                            std::to_string(original) + " bytes to " +
                                            std::to_string(size) + " bytes");
    if (size == original) return 0;
    if (::ftruncate(fd_, size) != 0) fail("Cannot truncate", file_);
    size_.store(size, std::memory_order_release);
    return original - size;
}
//< ch34

utils::Bytes FileRecords::read(std::int32_t position, std::int32_t size) const {
    const std::int32_t end = sizeInBytes();
    if (position < 0 || size < 0 || position >= end) return {};
    const auto length = static_cast<std::size_t>(std::min(size, end - position));
    utils::Bytes bytes(length);
    std::size_t done = 0;
    while (done < length) {
        const ssize_t n = ::pread(fd_, bytes.data() + done, length - done,
                                  static_cast<off_t>(position) + static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("Cannot read", file_);
        if (n == 0) break;  // the file is shorter than it was: a truncation
        done += static_cast<std::size_t>(n);
    }
    bytes.resize(done);
    return bytes;
}

std::optional<FileRecords::FileBatch> FileRecords::batchAt(std::int32_t position) const {
    using utils::ByteUtils;
    const auto header =
        read(position, static_cast<std::int32_t>(DefaultRecordBatch::kRecordBatchOverhead));
    if (header.size() < DefaultRecordBatch::kRecordBatchOverhead) return std::nullopt;
    const auto length =
        ByteUtils::readBigEndian<std::int32_t>(header, DefaultRecordBatch::kLengthOffset);
    const std::int64_t size = static_cast<std::int64_t>(DefaultRecordBatch::kLogOverhead) + length;
    if (size < static_cast<std::int64_t>(DefaultRecordBatch::kRecordBatchOverhead) ||
        size > sizeInBytes() - position)
        return std::nullopt;
    const auto baseOffset =
        ByteUtils::readBigEndian<std::int64_t>(header, DefaultRecordBatch::kBaseOffsetOffset);
    const auto lastOffsetDelta =
        ByteUtils::readBigEndian<std::int32_t>(header, DefaultRecordBatch::kLastOffsetDeltaOffset);
    const auto maxTimestamp =
        ByteUtils::readBigEndian<std::int64_t>(header, DefaultRecordBatch::kMaxTimestampOffset);
    return FileBatch{baseOffset, baseOffset + lastOffsetDelta, maxTimestamp, position,
                     static_cast<std::int32_t>(size)};
}

//> ch32 search-for-offset
std::optional<FileRecords::FileBatch> FileRecords::searchForOffsetFromPosition(
    std::int64_t targetOffset, std::int32_t startingPosition) const {
    for (auto batch = batchAt(startingPosition); batch;
         batch = batchAt(batch->position + batch->size))
        if (batch->lastOffset >= targetOffset) return batch;
    return std::nullopt;
}
//< ch32 search-for-offset

std::optional<FileRecords::TimestampAndOffset> FileRecords::searchForTimestamp(
    std::int64_t targetTimestamp, std::int32_t startingPosition,
    std::int64_t startingOffset) const {
    for (auto found = batchAt(startingPosition); found;
         found = batchAt(found->position + found->size)) {
        if (found->maxTimestamp < targetTimestamp || found->lastOffset < startingOffset) continue;
        const auto bytes = read(found->position, found->size);
        const DefaultRecordBatch batch(bytes);
        /*> ch32-38 compressed-by-header
        // A compressed batch's records are not read before the compression chapters: its
        // first offset stands for it.
        if (batch.compressionType() != 0) return {{batch.maxTimestamp(), batch.baseOffset()}};
        */
        for (const auto& record : batch.records())
            if (record.timestamp() >= targetTimestamp && record.offset() >= startingOffset)
                return {{record.timestamp(), record.offset()}};
    }
    return std::nullopt;
}

}  // namespace kafka::common::record
