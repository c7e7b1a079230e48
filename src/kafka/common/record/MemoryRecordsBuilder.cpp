//@ ch07
#include "kafka/common/record/MemoryRecordsBuilder.h"

#include <algorithm>
#include <string>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/record/DefaultRecord.h"
#include "kafka/common/record/DefaultRecordBatch.h"

namespace kafka::common::record {

namespace {

constexpr std::int64_t kNoTimestamp = -1;  // RecordBatch.NO_TIMESTAMP
//> ch38
// How much larger than the estimate a compressed batch is assumed to be: the estimate is an
// average, and a batch a little worse than average should still fit (Kafka's
// COMPRESSION_RATE_ESTIMATION_FACTOR).
constexpr float kCompressionRateEstimationFactor = 1.05F;
//< ch38

}  // namespace

MemoryRecordsBuilder::MemoryRecordsBuilder(int writeLimit)
    : writeLimit_(writeLimit), buffer_(DefaultRecordBatch::kRecordBatchOverhead) {
    // Room for a full batch up front, so appends rarely reallocate; capped, because a
    // caller may pass a huge limit to mean "no limit".
    constexpr int kMaxReserve = 1 << 20;
    buffer_.reserve(static_cast<std::size_t>(std::clamp(
        writeLimit, static_cast<int>(DefaultRecordBatch::kRecordBatchOverhead), kMaxReserve)));
    //> ch09
    initialCapacity_ = buffer_.capacity();
    //< ch09
}

//> ch09
MemoryRecordsBuilder::MemoryRecordsBuilder(utils::Bytes buffer, int writeLimit)
    : writeLimit_(writeLimit), buffer_(std::move(buffer)) {
    initialCapacity_ = buffer_.capacity();
    // The header's 61 bytes stay zero until close() fills them in; the records follow.
    buffer_.assign(DefaultRecordBatch::kRecordBatchOverhead, 0);
}
//< ch09

//> ch38 builder-with-compression
MemoryRecordsBuilder::MemoryRecordsBuilder(utils::Bytes buffer,
                                           std::shared_ptr<const compress::Compression> compression,
                                           int writeLimit)
    : MemoryRecordsBuilder(std::move(buffer), writeLimit) {
    if (compression && compression->type() != CompressionType::kNone) {
        compression_ = std::move(compression);
        appendStream_.stream = compression_->wrapForOutput();
    }
}

MemoryRecordsBuilder::AppendStream::AppendStream(const AppendStream& other) {
    if (other.stream)
        throw errors::IllegalStateException(
            "A compressed batch can be copied only once it is closed: its codec's state "
            "cannot be");
}

MemoryRecordsBuilder::AppendStream& MemoryRecordsBuilder::AppendStream::operator=(
    const AppendStream& other) {
    if (this != &other) *this = AppendStream(other);
    return *this;
}
//< ch38 builder-with-compression

//> ch07 builder-append
std::int32_t MemoryRecordsBuilder::append(std::int64_t timestamp,
                                          std::optional<utils::ByteView> key,
                                          std::optional<utils::ByteView> value,
                                          const header::Headers& headers) {
    if (appendsClosed_)
        throw errors::IllegalStateException(
            "Tried to append a record, but MemoryRecordsBuilder is closed for record appends");
    if (timestamp < 0 && timestamp != kNoTimestamp)
        throw errors::IllegalArgumentException("Invalid negative timestamp " +
                                               std::to_string(timestamp));
    if (!baseTimestamp_) baseTimestamp_ = timestamp;
    const std::int32_t offsetDelta = numRecords_;
    // A later record may carry an earlier timestamp: the delta is then negative, which
    // zigzag keeps short.
    /*> ch07-38 write-record
    DefaultRecord::writeTo(buffer_, offsetDelta, timestamp - *baseTimestamp_, key, value, headers);
    */
    //> ch38 write-record-through-the-codec
    if (appendStream_.stream) {
        // Encoded on the side, then handed to the codec, which appends compressed bytes to
        // the buffer when it has a block's worth.
        recordScratch_.clear();
        uncompressedRecordsSizeInBytes_ += DefaultRecord::writeTo(
            recordScratch_, offsetDelta, timestamp - *baseTimestamp_, key, value, headers);
        appendStream_.stream->write(recordScratch_, buffer_);
    } else {
        uncompressedRecordsSizeInBytes_ += DefaultRecord::writeTo(
            buffer_, offsetDelta, timestamp - *baseTimestamp_, key, value, headers);
    }
    //< ch38 write-record-through-the-codec
    maxTimestamp_ = std::max(maxTimestamp_, timestamp);
    ++numRecords_;
    return offsetDelta;
}
//< ch07 builder-append

//> ch07 builder-has-room
bool MemoryRecordsBuilder::hasRoomFor(std::int64_t timestamp, std::optional<utils::ByteView> key,
                                      std::optional<utils::ByteView> value,
                                      const header::Headers& headers) const {
    if (isFull()) return false;
    // The first record always fits: batch.size bounds how many records share a batch, not
    // how large one record may be (max.request.size does that, chapter 4).
    if (numRecords_ == 0) return true;
    // Unsigned, so an absurd timestamp cannot overflow; append() would refuse it anyway.
    const auto timestampDelta = static_cast<std::int64_t>(
        static_cast<std::uint64_t>(timestamp) - static_cast<std::uint64_t>(*baseTimestamp_));
    const int recordSize =
        DefaultRecord::sizeInBytes(numRecords_, timestampDelta, key, value, headers);
    return writeLimit_ >= estimatedSizeInBytes() + recordSize;
}

bool MemoryRecordsBuilder::isFull() const {
    // The limit counts only once there is a record, so even batch.size=0 makes batches
    // of one record instead of none.
    return appendsClosed_ || (numRecords_ > 0 && writeLimit_ <= estimatedSizeInBytes());
}
//< ch07 builder-has-room

//> ch38 close-for-appends
void MemoryRecordsBuilder::closeForRecordAppends() {
    appendsClosed_ = true;
    closeAppendStream();
}

void MemoryRecordsBuilder::closeAppendStream() {
    if (!appendStream_.stream) return;
    // The codec's last block and its trailer: the records part is complete.
    appendStream_.stream->close(buffer_);
    appendStream_.stream.reset();
    utils::Bytes().swap(recordScratch_);
    if (uncompressedRecordsSizeInBytes_ == 0) return;  // no record: no ratio to learn from
    const auto written = buffer_.size() - DefaultRecordBatch::kRecordBatchOverhead;
    actualCompressionRatio_ =
        static_cast<float>(written) / static_cast<float>(uncompressedRecordsSizeInBytes_);
}
//< ch38 close-for-appends

//> ch38 estimated-bytes-written
int MemoryRecordsBuilder::estimatedBytesWritten() const {
    const int header = DefaultRecordBatch::kRecordBatchOverhead;
    if (!compression_) return header + uncompressedRecordsSizeInBytes_;
    // The codec holds back what it has not compressed yet, so the buffer's size says little:
    // the records' own size at the expected ratio says more.
    return header + static_cast<int>(static_cast<float>(uncompressedRecordsSizeInBytes_) *
                                     estimatedCompressionRatio_ * kCompressionRateEstimationFactor);
}
//< ch38 estimated-bytes-written

//> ch07 builder-close
void MemoryRecordsBuilder::close() {
    if (closed_) return;
    closed_ = true;
    appendsClosed_ = true;
    if (numRecords_ == 0) {  // nothing to send: no batch, not an empty one
        buffer_.clear();
        return;
    }
    /*> ch07-36 header-without-producer-state
    DefaultRecordBatch::writeHeader(buffer_, {.baseOffset = 0,
                                              .attributes = 0,  // no compression, CreateTime
                                              .lastOffsetDelta = numRecords_ - 1,
                                              .baseTimestamp = *baseTimestamp_,
                                              .maxTimestamp = maxTimestamp_,
                                              .recordsCount = numRecords_});
    */
    //> ch38 close-the-codec
    closeAppendStream();  // if the batch was not full, the codec's last block is still in it
    //< ch38 close-the-codec
    //> ch36 header-with-producer-state
    writeHeader();
    //< ch36 header-with-producer-state
}
//< ch07 builder-close

//> ch36 builder-producer-state
void MemoryRecordsBuilder::writeHeader() {
    DefaultRecordBatch::writeHeader(buffer_, {.baseOffset = 0,
                                              .attributes = attributes(),
                                              .lastOffsetDelta = numRecords_ - 1,
                                              .baseTimestamp = *baseTimestamp_,
                                              .maxTimestamp = maxTimestamp_,
                                              .producerId = producerId_,
                                              .producerEpoch = producerEpoch_,
                                              .baseSequence = baseSequence_,
                                              .recordsCount = numRecords_});
}

void MemoryRecordsBuilder::setProducerState(std::int64_t producerId, std::int16_t producerEpoch,
                                            std::int32_t baseSequence) {
    if (closed_)
        throw errors::IllegalStateException(
            "Trying to set the producer state of a batch whose header is already written");
    producerId_ = producerId;
    producerEpoch_ = producerEpoch;
    baseSequence_ = baseSequence;
}

void MemoryRecordsBuilder::reopenAndRewriteProducerState(std::int64_t producerId,
                                                         std::int16_t producerEpoch,
                                                         std::int32_t baseSequence) {
    producerId_ = producerId;
    producerEpoch_ = producerEpoch;
    baseSequence_ = baseSequence;
    // The records stay as they are; only the header's three fields and its CRC change.
    if (closed_ && numRecords_ > 0) writeHeader();
}

std::int16_t MemoryRecordsBuilder::attributes() const {
    /*> ch36-38 attributes-without-codec
    return 0;  // no compression, CreateTime
    */
    //> ch38 attributes
    // The codec's id in the low three bits; CreateTime (bit 3 clear), as a producer's are.
    return static_cast<std::int16_t>(compressionType());
    //< ch38 attributes
}
//< ch36 builder-producer-state

const utils::Bytes& MemoryRecordsBuilder::build() {
    close();
    return buffer_;
}

}  // namespace kafka::common::record
