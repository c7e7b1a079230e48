//@ ch07
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "kafka/common/header/Header.h"
#include "kafka/common/utils/Bytes.h"
//> ch38
#include <memory>

#include "kafka/common/compress/Compression.h"
//< ch38

namespace kafka::common::record {

/// Writes one record batch v2 into a byte buffer, record by record (Kafka's
/// MemoryRecordsBuilder). The producer keeps one per open batch
/// (ProducerBatch, chapters 7 to 10): records are encoded as they are appended, so when the
/// batch is sent there is nothing left to do but patch the header.
///
/// The header's fields are the producer's: baseOffset 0, partitionLeaderEpoch -1, no
/// compression (until chapter 38), CreateTime, producerId/producerEpoch/baseSequence -1 unless
/// the idempotent producer sets them (chapter 36).
/// Not thread-safe: the accumulator appends under its deque's lock.
class MemoryRecordsBuilder {
public:
    /// A builder whose batch should stay within `writeLimit` bytes (batch.size). The limit
    /// is for hasRoomFor(); append() itself writes whatever it is given.
    explicit MemoryRecordsBuilder(int writeLimit);
    //> ch09 builder-on-buffer
    /// A builder that writes into `buffer`, a block the accumulator allocated outside its lock
    /// (chapter 9) and, from chapter 10, took from the BufferPool. Whatever the buffer held is
    /// forgotten; its capacity is kept, so records are written into memory that is already
    /// there. A record that does not fit makes the buffer grow, as Kafka's
    /// ByteBufferOutputStream does; such a buffer is not pooled again (chapter 10).
    MemoryRecordsBuilder(utils::Bytes buffer, int writeLimit);
    //< ch09 builder-on-buffer
    //> ch38 builder-with-compression
    /// A builder whose records go through `compression`'s codec on their way into `buffer`
    /// (chapter 38), as Kafka's do: each record is compressed as it is appended, on the
    /// application's thread, so the buffer holds compressed bytes and stays about the size
    /// of the batch that will be sent. How many records fit is then an estimate (see
    /// setEstimatedCompressionRatio), since the compressed size is known only at close().
    MemoryRecordsBuilder(utils::Bytes buffer,
                         std::shared_ptr<const compress::Compression> compression, int writeLimit);
    //< ch38 builder-with-compression

    /// Appends a record and returns its offset delta (0, 1, 2, ...): the relative offset a
    /// producer hands back until the broker reports the base offset. The first record's
    /// timestamp becomes the batch's baseTimestamp. Throws IllegalStateException after
    /// close(), IllegalArgumentException for a negative timestamp other than -1 (none).
    std::int32_t append(std::int64_t timestamp, std::optional<utils::ByteView> key,
                        std::optional<utils::ByteView> value, const header::Headers& headers = {});

    /// Whether the record would keep the batch within the write limit. The first record
    /// always has room, however large: a record bigger than batch.size then travels alone
    /// in a batch of its own, instead of never travelling at all. False once closed for appends.
    bool hasRoomFor(std::int64_t timestamp, std::optional<utils::ByteView> key,
                    std::optional<utils::ByteView> value,
                    const header::Headers& headers = {}) const;

    /// Closed for appends, or at least one record and the write limit reached.
    bool isFull() const;

    /*> ch07-38 exact-size
    /// The batch's size so far, header included (61 before the first record). Exact, since
    /// nothing is compressed; after close() the size of the built bytes.
    int estimatedSizeInBytes() const { return static_cast<int>(buffer_.size()); }
    */
    //> ch38 estimated-size
    /// The batch's size so far, header included (61 before the first record): exact without
    /// compression, an estimate with it until close(); after close() the size of the built
    /// bytes.
    int estimatedSizeInBytes() const {
        return closed_ ? static_cast<int>(buffer_.size()) : estimatedBytesWritten();
    }
    //< ch38 estimated-size

    /// No record can be appended afterwards, but the header is not written yet: the thread
    /// that finds a batch full only marks it, and the CRC is computed by close(), on the
    /// Sender's thread when it drains the batch, as in Kafka.
    /*> ch07-38 close-for-appends-flag
    void closeForRecordAppends() { appendsClosed_ = true; }
    */
    //> ch38
    ///
    /// With a codec, this also ends the codec's stream (Kafka's closeForRecordAppends): the
    /// records are compressed to the last block on the thread that found the batch full, and
    /// the codec's state (a zstd context of some MiB, a 64 KiB lz4 block) is freed at once
    /// instead of waiting in the deque with the batch.
    void closeForRecordAppends();
    //< ch38

    /// Writes the header: batchLength, lastOffsetDelta, timestamps, record count and, last,
    /// the CRC. No record can be appended afterwards. A builder closed without records
    /// builds no batch at all (empty bytes), as Kafka's does. Calling it again does nothing.
    void close();
    /// Whether close() has written the header (closed for appends alone does not count).
    bool isClosed() const { return closed_; }

    /// The finished batch (closing the builder first if needed).
    const utils::Bytes& build();

    //> ch36 builder-producer-state-api
    /// The idempotent producer's fields (chapter 36), which the Sender's thread sets when it
    /// drains the batch, before the header is written: whose batch this is, in which epoch,
    /// and the sequence number of its first record.
    void setProducerState(std::int64_t producerId, std::int16_t producerEpoch,
                          std::int32_t baseSequence);
    /// The same, for a batch already built: its sequence must change for a retry under a new
    /// epoch (Kafka's reopenAndRewriteProducerState). The header and CRC are written again.
    void reopenAndRewriteProducerState(std::int64_t producerId, std::int16_t producerEpoch,
                                       std::int32_t baseSequence);
    std::int64_t producerId() const { return producerId_; }
    std::int16_t producerEpoch() const { return producerEpoch_; }
    std::int32_t baseSequence() const { return baseSequence_; }
    //< ch36 builder-producer-state-api

    //> ch38 compression-ratio-api
    /// The compressed size the batch should reach, as a fraction of its records' size: the
    /// producer's running estimate for the topic and codec (CompressionRatioEstimator).
    /// hasRoomFor() and isFull() count the records at this ratio, plus 5 % to spare.
    void setEstimatedCompressionRatio(float ratio) { estimatedCompressionRatio_ = ratio; }
    /// After close(): the records' compressed size over their size (1 without a codec).
    float compressionRatio() const { return actualCompressionRatio_; }
    CompressionType compressionType() const {
        return compression_ ? compression_->type() : CompressionType::kNone;
    }
    const std::shared_ptr<const compress::Compression>& compression() const { return compression_; }
    /// The records' size before compression, header excluded.
    int uncompressedRecordsSizeInBytes() const { return uncompressedRecordsSizeInBytes_; }
    //< ch38 compression-ratio-api

    int numRecords() const { return numRecords_; }
    int writeLimit() const { return writeLimit_; }
    //> ch09
    /// The capacity the buffer had when the builder got it: what the accumulator charged for
    /// it, and what it credits back when the batch is done (chapter 10).
    std::size_t initialCapacity() const { return initialCapacity_; }
    /// Hands the buffer over (to go back to the pool); the builder is left with no bytes.
    utils::Bytes releaseBuffer() { return std::move(buffer_); }
    //< ch09

private:
    int writeLimit_;
    utils::Bytes buffer_;  // 61 header bytes (zero until close()), then the records
    std::int32_t numRecords_ = 0;
    std::optional<std::int64_t> baseTimestamp_;  // the first record's
    std::int64_t maxTimestamp_ = -1;
    bool appendsClosed_ = false;
    bool closed_ = false;
    //> ch09
    std::size_t initialCapacity_ = 0;
    //< ch09
    //> ch36
    std::int64_t producerId_ = -1;     // RecordBatch.NO_PRODUCER_ID
    std::int16_t producerEpoch_ = -1;  // NO_PRODUCER_EPOCH
    std::int32_t baseSequence_ = -1;   // NO_SEQUENCE

    void writeHeader();
    std::int16_t attributes() const;
    //< ch36
    //> ch38 compression-state
    // The codec, or none (a null pointer or NoCompression both mean uncompressed).
    std::shared_ptr<const compress::Compression> compression_;
    // The codec's stream while the batch is open. A codec's state cannot be copied, so an
    // open compressed builder cannot be copied either; a closed one can.
    struct AppendStream {
        std::unique_ptr<compress::CompressingStream> stream;
        AppendStream() = default;
        AppendStream(AppendStream&&) noexcept = default;
        AppendStream& operator=(AppendStream&&) noexcept = default;
        AppendStream(const AppendStream& other);
        AppendStream& operator=(const AppendStream& other);
    } appendStream_;
    utils::Bytes recordScratch_;  // one record, encoded, on its way into the codec
    int uncompressedRecordsSizeInBytes_ = 0;
    float estimatedCompressionRatio_ = 1.0F;  // Kafka's conservative start
    float actualCompressionRatio_ = 1.0F;

    int estimatedBytesWritten() const;
    void closeAppendStream();
    //< ch38 compression-state
};

}  // namespace kafka::common::record
