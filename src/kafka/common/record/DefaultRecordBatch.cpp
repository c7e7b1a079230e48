//@ ch07
#include "kafka/common/record/DefaultRecordBatch.h"

#include <algorithm>
#include <string>

#include "kafka/common/record/AbstractRecords.h"
#include "kafka/common/record/CorruptRecordException.h"
#include "kafka/common/utils/ByteUtils.h"
#include "kafka/common/utils/Crc32C.h"
//> ch32
#include "kafka/common/errors/Exceptions.h"
//< ch32
//> ch38
#include "kafka/common/compress/Compression.h"
#include "kafka/common/record/CompressionType.h"
//< ch38

namespace kafka::common::record {

using utils::ByteUtils;

// Chapter 4 bounded a batch's size with the same overhead, before this file existed.
static_assert(DefaultRecordBatch::kRecordBatchOverhead == AbstractRecords::kRecordBatchOverhead);

//> ch07 write-header
void DefaultRecordBatch::writeHeader(std::span<std::uint8_t> batch, const Header& header) {
    const auto batchLength = static_cast<std::int32_t>(batch.size() - kLogOverhead);
    ByteUtils::writeBigEndian(batch, kBaseOffsetOffset, header.baseOffset);
    ByteUtils::writeBigEndian(batch, kLengthOffset, batchLength);
    ByteUtils::writeBigEndian(batch, kPartitionLeaderEpochOffset, header.partitionLeaderEpoch);
    ByteUtils::writeBigEndian(batch, kMagicOffset, kMagic);
    ByteUtils::writeBigEndian(batch, kAttributesOffset, header.attributes);
    ByteUtils::writeBigEndian(batch, kLastOffsetDeltaOffset, header.lastOffsetDelta);
    ByteUtils::writeBigEndian(batch, kBaseTimestampOffset, header.baseTimestamp);
    ByteUtils::writeBigEndian(batch, kMaxTimestampOffset, header.maxTimestamp);
    ByteUtils::writeBigEndian(batch, kProducerIdOffset, header.producerId);
    ByteUtils::writeBigEndian(batch, kProducerEpochOffset, header.producerEpoch);
    ByteUtils::writeBigEndian(batch, kBaseSequenceOffset, header.baseSequence);
    ByteUtils::writeBigEndian(batch, kRecordsCountOffset, header.recordsCount);
    // Last, because it covers every field from the attributes to the end. It leaves out
    // baseOffset and partitionLeaderEpoch on purpose: the broker overwrites both when it
    // appends the batch to its log, and should not have to recompute the CRC to do so.
    const std::uint32_t crc = utils::Crc32C::compute(batch.subspan(kAttributesOffset));
    ByteUtils::writeBigEndian(batch, kCrcOffset, crc);
}
//< ch07 write-header

//> ch30
void DefaultRecordBatch::setBaseOffset(std::span<std::uint8_t> batch, std::int64_t baseOffset) {
    ByteUtils::writeBigEndian(batch, kBaseOffsetOffset, baseOffset);
}
//< ch30

//> ch31 mutable-batch-setters
void DefaultRecordBatch::setPartitionLeaderEpoch(std::span<std::uint8_t> batch,
                                                 std::int32_t epoch) {
    ByteUtils::writeBigEndian(batch, kPartitionLeaderEpochOffset, epoch);
}

void DefaultRecordBatch::setMaxTimestamp(std::span<std::uint8_t> batch, TimestampType type,
                                         std::int64_t maxTimestamp) {
    /*> ch31-32 set-max-timestamp
    const DefaultRecordBatch current(batch);
    const bool logAppendTime = type == TimestampType::kLogAppendTime;
    if (current.isLogAppendTime() == logAppendTime && current.maxTimestamp() == maxTimestamp)
        return;  // nothing changes, and the CRC is not computed for nothing
    auto attributes = static_cast<std::int16_t>(current.attributes() & ~kTimestampTypeMask);
    if (logAppendTime) attributes = static_cast<std::int16_t>(attributes | kTimestampTypeMask);
    ByteUtils::writeBigEndian(batch, kAttributesOffset, attributes);
    ByteUtils::writeBigEndian(batch, kMaxTimestampOffset, maxTimestamp);
    ByteUtils::writeBigEndian(batch, kCrcOffset,
                              utils::Crc32C::compute(batch.subspan(kAttributesOffset)));
    */
    //> ch32
    static_cast<void>(DefaultRecordBatch(batch));  // a whole batch, or CorruptRecordException
    setMaxTimestamp(batch.first(kRecordsOffset), batch.subspan(kRecordsOffset), type, maxTimestamp);
    //< ch32
}
//< ch31 mutable-batch-setters

//> ch32 split-batch-setter
void DefaultRecordBatch::setMaxTimestamp(std::span<std::uint8_t> header,
                                         std::span<const std::uint8_t> records, TimestampType type,
                                         std::int64_t maxTimestamp) {
    if (header.size() != kRecordsOffset)
        throw errors::IllegalArgumentException("A batch header has " +
                                               std::to_string(kRecordsOffset) + " bytes, not " +
                                               std::to_string(header.size()));
    const auto current = ByteUtils::readBigEndian<std::int16_t>(header, kAttributesOffset);
    const bool logAppendTime = type == TimestampType::kLogAppendTime;
    if (((current & kTimestampTypeMask) != 0) == logAppendTime &&
        ByteUtils::readBigEndian<std::int64_t>(header, kMaxTimestampOffset) == maxTimestamp)
        return;  // nothing changes, and the CRC is not computed for nothing
    auto attributes = static_cast<std::int16_t>(current & ~kTimestampTypeMask);
    if (logAppendTime) attributes = static_cast<std::int16_t>(attributes | kTimestampTypeMask);
    ByteUtils::writeBigEndian(header, kAttributesOffset, attributes);
    ByteUtils::writeBigEndian(header, kMaxTimestampOffset, maxTimestamp);
    const auto crc =
        utils::Crc32C::update(utils::Crc32C::compute(header.subspan(kAttributesOffset)), records);
    ByteUtils::writeBigEndian(header, kCrcOffset, crc);
}
//< ch32 split-batch-setter

//> ch07 batch-framing
DefaultRecordBatch::DefaultRecordBatch(std::span<const std::uint8_t> bytes) : bytes_(bytes) {
    if (bytes.size() < kRecordBatchOverhead)
        throw CorruptRecordException("Record batch is corrupt (the size " +
                                     std::to_string(bytes.size()) +
                                     " is smaller than the minimum allowed overhead " +
                                     std::to_string(kRecordBatchOverhead) + ")");
    const std::int32_t length = batchLength();
    if (length < 0 || static_cast<std::size_t>(length) != bytes.size() - kLogOverhead)
        throw CorruptRecordException(
            "Record batch is corrupt (batchLength " + std::to_string(length) + " says " +
            std::to_string(static_cast<std::int64_t>(length) + kLogOverhead) +
            " bytes, but the batch has " + std::to_string(bytes.size()) + ")");
    // The magic decides how everything after it is laid out (v0 and v1 put a CRC-32 where
    // we expect attributes), so nothing past it is read until it is known.
    if (magic() != kMagic)
        throw CorruptRecordException("Record batch has magic " + std::to_string(magic()) +
                                     ", but only record batch v2 (magic 2) is supported");
}
//< ch07 batch-framing

std::int64_t DefaultRecordBatch::baseOffset() const {
    return ByteUtils::readBigEndian<std::int64_t>(bytes_, kBaseOffsetOffset);
}
std::int32_t DefaultRecordBatch::batchLength() const {
    return ByteUtils::readBigEndian<std::int32_t>(bytes_, kLengthOffset);
}
std::int32_t DefaultRecordBatch::partitionLeaderEpoch() const {
    return ByteUtils::readBigEndian<std::int32_t>(bytes_, kPartitionLeaderEpochOffset);
}
std::int8_t DefaultRecordBatch::magic() const {
    return ByteUtils::readBigEndian<std::int8_t>(bytes_, kMagicOffset);
}
std::uint32_t DefaultRecordBatch::checksum() const {
    return ByteUtils::readBigEndian<std::uint32_t>(bytes_, kCrcOffset);
}
std::int16_t DefaultRecordBatch::attributes() const {
    return ByteUtils::readBigEndian<std::int16_t>(bytes_, kAttributesOffset);
}
std::int32_t DefaultRecordBatch::lastOffsetDelta() const {
    return ByteUtils::readBigEndian<std::int32_t>(bytes_, kLastOffsetDeltaOffset);
}
std::int64_t DefaultRecordBatch::lastOffset() const {
    // Wrapping, as Java's long does: the fields may hold anything, and signed overflow is
    // undefined behaviour in C++.
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(baseOffset()) +
                                     static_cast<std::uint64_t>(lastOffsetDelta()));
}
std::int64_t DefaultRecordBatch::baseTimestamp() const {
    return ByteUtils::readBigEndian<std::int64_t>(bytes_, kBaseTimestampOffset);
}
std::int64_t DefaultRecordBatch::maxTimestamp() const {
    return ByteUtils::readBigEndian<std::int64_t>(bytes_, kMaxTimestampOffset);
}
std::int64_t DefaultRecordBatch::producerId() const {
    return ByteUtils::readBigEndian<std::int64_t>(bytes_, kProducerIdOffset);
}
std::int16_t DefaultRecordBatch::producerEpoch() const {
    return ByteUtils::readBigEndian<std::int16_t>(bytes_, kProducerEpochOffset);
}
std::int32_t DefaultRecordBatch::baseSequence() const {
    return ByteUtils::readBigEndian<std::int32_t>(bytes_, kBaseSequenceOffset);
}
std::int32_t DefaultRecordBatch::recordsCount() const {
    return ByteUtils::readBigEndian<std::int32_t>(bytes_, kRecordsCountOffset);
}

//> ch07 ensure-valid
std::uint32_t DefaultRecordBatch::computeChecksum() const {
    return utils::Crc32C::compute(bytes_.subspan(kAttributesOffset));
}

void DefaultRecordBatch::ensureValid() const {
    const std::uint32_t stored = checksum();
    const std::uint32_t computed = computeChecksum();
    if (stored != computed)
        // Kafka's words and its decimal numbers, so the message reads as the Java client's.
        throw CorruptRecordException(
            "Record batch is corrupt (stored crc = " + std::to_string(stored) +
            ", computed crc = " + std::to_string(computed) + ")");
}
//< ch07 ensure-valid

//> ch07 read-records
std::vector<DefaultRecord> DefaultRecordBatch::records() const {
    /*> ch07-38 compressed-unsupported
    if (compressionType() != 0)
        throw errors::KafkaException("Record batch uses compression type " +
                                     std::to_string(compressionType()) +
                                     ", and compressed batches are not supported yet");
    */
    const std::int32_t count = recordsCount();
    if (count < 0)
        throw CorruptRecordException("Found invalid record count " + std::to_string(count) +
                                     " in magic v2 batch");
    const std::optional<std::int64_t> logAppendTime =
        isLogAppendTime() ? std::optional(maxTimestamp()) : std::nullopt;

    // Reserve from what the bytes can hold, never from the count alone: a corrupt count
    // of two billion must not allocate gigabytes before the first record fails to parse.
    // The smallest record is 7 bytes (length, attributes, two deltas, two null lengths and
    // a header count, one byte each).
    constexpr std::size_t kMinRecordSize = 7;
    /*> ch07-38 records-bytes
    const auto recordsBytes = bytes_.subspan(kRecordsOffset);
    */
    //> ch38 records-decompressed
    // A compressed batch's records are a single compressed stream: decompressed, they read
    // exactly as an uncompressed batch's records do.
    utils::Bytes decompressed;
    std::span<const std::uint8_t> recordsBytes = bytes_.subspan(kRecordsOffset);
    if (compressionType() != 0) {
        decompressed = decompressRecords();
        recordsBytes = decompressed;
    }
    //< ch38 records-decompressed
    std::vector<DefaultRecord> records;
    records.reserve(
        std::min(static_cast<std::size_t>(count), recordsBytes.size() / kMinRecordSize));

    std::size_t position = 0;
    for (std::int32_t i = 0; i < count; ++i) {
        if (position == recordsBytes.size())
            throw CorruptRecordException("Record batch declares " + std::to_string(count) +
                                         " records, but its bytes end after " + std::to_string(i));
        records.push_back(DefaultRecord::readFrom(recordsBytes, position, baseOffset(),
                                                  baseTimestamp(), logAppendTime));
    }
    if (position != recordsBytes.size())
        throw CorruptRecordException(
            "Record batch declares " + std::to_string(count) + " records, but " +
            std::to_string(recordsBytes.size() - position) + " bytes remain after them");
    // No check that offset deltas run 0, 1, 2, ...: log compaction removes records from a
    // batch and keeps the others' offsets, so gaps are legal in a batch read from a log.
    return records;
}
//< ch07 read-records

//> ch38 decompress-records
utils::Bytes DefaultRecordBatch::decompressRecords() const {
    const auto type = compressionTypeForId(compressionType());
    if (!type)
        throw CorruptRecordException(
            "Record batch has compression type id " + std::to_string(compressionType()) +
            ", which no codec has (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)");
    try {
        return compress::Compression::of(*type)->decompress(bytes_.subspan(kRecordsOffset),
                                                            kMaxUncompressedRecordsBytes);
    } catch (const CorruptRecordException& e) {
        throw CorruptRecordException("The records of a " + std::string(name(*type)) +
                                     " batch do not decompress: " + e.what());
    }
}
//< ch38 decompress-records

}  // namespace kafka::common::record
