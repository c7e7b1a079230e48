//@ ch07
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "kafka/common/record/DefaultRecord.h"
//> ch31
#include "kafka/common/record/TimestampType.h"
//< ch31

namespace kafka::common::record {

/// One record batch v2 (magic 2): the unit a producer sends, a broker stores and a consumer
/// fetches (Kafka's DefaultRecordBatch). It is a view over bytes that someone else owns;
/// the constructor checks the framing so that every accessor reads inside those bytes.
///
/// The layout, 61 bytes of header and then the records:
///
///     offset  field                 type    notes
///      0      baseOffset            int64   0 from a producer; the broker assigns offsets
///      8      batchLength           int32   bytes after this field (total - 12)
///     12      partitionLeaderEpoch  int32   -1 from a producer; set by the broker
///     16      magic                 int8    2
///     17      crc                   uint32  CRC-32C of bytes [21, end)
///     21      attributes            int16   compression, timestamp type, transactional, ...
///     23      lastOffsetDelta       int32   offset delta of the last record
///     27      baseTimestamp         int64   the first record's timestamp
///     35      maxTimestamp          int64   the largest record timestamp
///     43      producerId            int64   -1 unless idempotent (chapter 36)
///     51      producerEpoch         int16   -1
///     53      baseSequence          int32   -1
///     57      recordsCount          int32
///     61      records
class DefaultRecordBatch {
public:
    //> ch07 batch-layout
    static constexpr std::size_t kBaseOffsetOffset = 0;
    static constexpr std::size_t kLengthOffset = 8;
    static constexpr std::size_t kPartitionLeaderEpochOffset = 12;
    static constexpr std::size_t kMagicOffset = 16;
    static constexpr std::size_t kCrcOffset = 17;
    static constexpr std::size_t kAttributesOffset = 21;  // the CRC covers from here to the end
    static constexpr std::size_t kLastOffsetDeltaOffset = 23;
    static constexpr std::size_t kBaseTimestampOffset = 27;
    static constexpr std::size_t kMaxTimestampOffset = 35;
    static constexpr std::size_t kProducerIdOffset = 43;
    static constexpr std::size_t kProducerEpochOffset = 51;
    static constexpr std::size_t kBaseSequenceOffset = 53;
    static constexpr std::size_t kRecordsCountOffset = 57;
    static constexpr std::size_t kRecordsOffset = 61;
    static constexpr std::size_t kRecordBatchOverhead = kRecordsOffset;
    /// baseOffset and batchLength: the part of the header every format shares, which
    /// is how a reader frames a batch before it knows the batch's magic.
    static constexpr std::size_t kLogOverhead = 12;
    //< ch07 batch-layout

    static constexpr std::int8_t kMagic = 2;  // RecordBatch.MAGIC_VALUE_V2
    static constexpr std::int64_t kNoProducerId = -1;
    static constexpr std::int16_t kNoProducerEpoch = -1;
    static constexpr std::int32_t kNoSequence = -1;
    static constexpr std::int32_t kNoPartitionLeaderEpoch = -1;

    // The attributes' bits.
    static constexpr std::int16_t kCompressionCodecMask = 0x07;  // 0 none, 1 gzip, ... 4 zstd
    static constexpr std::int16_t kTimestampTypeMask = 0x08;     // 0 CreateTime, 1 LogAppendTime
    static constexpr std::int16_t kTransactionalFlagMask = 0x10;
    static constexpr std::int16_t kControlFlagMask = 0x20;
    static constexpr std::int16_t kDeleteHorizonFlagMask = 0x40;

    //> ch38 decompression-limit
    /// The most a compressed batch's records may decompress to: 64 MiB. Kafka sets no such
    /// bound, because it reads records through a decompressing stream; records() here
    /// decompresses a batch whole before reading it, and a few kilobytes of zstd can claim
    /// gigabytes (a decompression bomb). A producer bounds a batch's estimated compressed size
    /// by batch.size (16 KiB by default), so its records' own size is batch.size over the
    /// estimated ratio: 64 MiB is a ratio of 1:4,000 at the default, or batch.size 1 MiB at a
    /// ratio of 1:64; a producer configured past that has its batch refused as invalid. The
    /// broker's handler threads (num.io.threads, 8) hold at most about 1 GiB between them.
    static constexpr std::size_t kMaxUncompressedRecordsBytes = 64 * 1024 * 1024;
    //< ch38 decompression-limit

    /// What a writer puts in the header; writeHeader() adds the length, magic and CRC.
    struct Header {
        std::int64_t baseOffset = 0;
        std::int32_t partitionLeaderEpoch = kNoPartitionLeaderEpoch;
        std::int16_t attributes = 0;
        std::int32_t lastOffsetDelta = 0;
        std::int64_t baseTimestamp = 0;
        std::int64_t maxTimestamp = 0;
        std::int64_t producerId = kNoProducerId;
        std::int16_t producerEpoch = kNoProducerEpoch;
        std::int32_t baseSequence = kNoSequence;
        std::int32_t recordsCount = 0;
    };

    /// Fills in the first 61 bytes of `batch`, whose records are already in place after them,
    /// and last of all the CRC, since it covers everything from the attributes on.
    static void writeHeader(std::span<std::uint8_t> batch, const Header& header);

    //> ch30 mutable-batch
    /// What a broker changes in a batch it appends (Kafka's MutableRecordBatch). The base
    /// offset lies before the CRC's range: writing it leaves the CRC valid.
    static void setBaseOffset(std::span<std::uint8_t> batch, std::int64_t baseOffset);
    //< ch30 mutable-batch
    //> ch31 mutable-batch-31
    /// So does the partition leader epoch.
    static void setPartitionLeaderEpoch(std::span<std::uint8_t> batch, std::int32_t epoch);
    /// The timestamp type and the max timestamp lie inside it: the CRC is computed again.
    static void setMaxTimestamp(std::span<std::uint8_t> batch, TimestampType type,
                                std::int64_t maxTimestamp);
    //< ch31 mutable-batch-31
    //> ch32 split-batch
    /// The same for a batch in two pieces: its 61-byte `header`, which a broker stamps in a
    /// copy, and the `records` after it, where they lie. The CRC runs over the header's part
    /// and on over the records.
    static void setMaxTimestamp(std::span<std::uint8_t> header,
                                std::span<const std::uint8_t> records, TimestampType type,
                                std::int64_t maxTimestamp);
    //< ch32 split-batch

    //> ch36 sequence-arithmetic
    /// An idempotent producer's sequence numbers wrap from Integer.MAX_VALUE to 0 (Kafka's
    /// incrementSequence and decrementSequence): the producer and the broker both count so.
    static constexpr std::int32_t incrementSequence(std::int32_t sequence, std::int32_t increment) {
        if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
        return sequence + increment;
    }
    static constexpr std::int32_t decrementSequence(std::int32_t sequence, std::int32_t decrement) {
        if (sequence < decrement) return INT32_MAX - (decrement - sequence) + 1;
        return sequence - decrement;
    }
    //< ch36 sequence-arithmetic

    /// A view of exactly one batch. Throws CorruptRecordException if `bytes` is shorter than
    /// a header, if batchLength disagrees with the size, or if the magic is not 2. The CRC is
    /// checked only by ensureValid(): Kafka leaves that choice to the caller (a broker always
    /// checks; a consumer does when check.crcs=true).
    explicit DefaultRecordBatch(std::span<const std::uint8_t> bytes);

    std::int64_t baseOffset() const;
    std::int32_t batchLength() const;
    std::int32_t partitionLeaderEpoch() const;
    std::int8_t magic() const;
    std::uint32_t checksum() const;  // the stored CRC
    std::int16_t attributes() const;
    std::int32_t lastOffsetDelta() const;
    std::int64_t lastOffset() const;  // baseOffset + lastOffsetDelta
    std::int64_t baseTimestamp() const;
    std::int64_t maxTimestamp() const;
    std::int64_t producerId() const;
    std::int16_t producerEpoch() const;
    std::int32_t baseSequence() const;
    //> ch37
    /// The sequence number of the batch's last record; -1 without a producer.
    std::int32_t lastSequence() const {
        const std::int32_t base = baseSequence();
        return base == kNoSequence ? kNoSequence : incrementSequence(base, lastOffsetDelta());
    }
    //< ch37
    std::int32_t recordsCount() const;

    int compressionType() const { return attributes() & kCompressionCodecMask; }
    bool isLogAppendTime() const { return (attributes() & kTimestampTypeMask) != 0; }
    bool isTransactional() const { return (attributes() & kTransactionalFlagMask) != 0; }
    bool isControlBatch() const { return (attributes() & kControlFlagMask) != 0; }

    /// The CRC-32C of bytes [21, end): what the stored CRC should be.
    std::uint32_t computeChecksum() const;
    bool isValid() const { return checksum() == computeChecksum(); }
    /// Throws CorruptRecordException("Record batch is corrupt (stored crc = X, computed
    /// crc = Y)") unless the stored CRC matches the bytes.
    void ensureValid() const;

    /// Every record, in order. Throws CorruptRecordException if a record does not parse, or
    /// if recordsCount disagrees with the records the bytes hold.
    //> ch38 records-compressed-doc
    /// A compressed batch's records are decompressed first, whole: bytes that are not the
    /// codec's format, more than kMaxUncompressedRecordsBytes of them, or a codec id that no
    /// codec has (5 to 7) throw CorruptRecordException too.
    //< ch38 records-compressed-doc
    std::vector<DefaultRecord> records() const;

    std::span<const std::uint8_t> bytes() const { return bytes_; }
    int sizeInBytes() const { return static_cast<int>(bytes_.size()); }

private:
    //> ch38
    // The records' bytes of a compressed batch, decompressed.
    utils::Bytes decompressRecords() const;
    //< ch38
    std::span<const std::uint8_t> bytes_;
};

}  // namespace kafka::common::record
