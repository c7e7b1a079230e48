//@ ch38
#pragma once

// Compressed record batches built by hand, as a producer builds them, for the broker's tests:
// each record written with DefaultRecord::writeTo, the records through the codec's stream
// (Compression::wrapForOutput), then the 61-byte header with the codec in its attributes.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kafka/common/compress/Compression.h"
#include "kafka/common/record/CompressionType.h"
#include "kafka/common/record/DefaultRecord.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::test {

/// What a hand-built batch holds: record i has key "key-i", value values[i], a header
/// "h" = "header-i" and timestamp firstTimestamp + i * timestampStep.
struct BatchSpec {
    common::record::CompressionType type = common::record::CompressionType::kNone;
    std::vector<std::string> values{};
    std::int64_t firstTimestamp = 1'700'000'000'000;
    std::int64_t timestampStep = 0;
    std::int64_t producerId = common::record::DefaultRecordBatch::kNoProducerId;
    std::int16_t producerEpoch = common::record::DefaultRecordBatch::kNoProducerEpoch;
    std::int32_t baseSequence = common::record::DefaultRecordBatch::kNoSequence;
    /// The header's count and last offset delta, when they should say something else than the
    /// records do.
    std::optional<std::int32_t> recordsCount{};
    std::optional<std::int32_t> lastOffsetDelta{};
    /// Each record's offset delta, when they should not run 0, 1, 2, ...
    std::vector<std::int32_t> offsetDeltas{};
};

/// A record batch of `records` (already compressed, or plain for kNone) with `spec`'s header:
/// the codec in its attributes, its CRC right.
inline common::utils::Bytes batchAround(std::span<const std::uint8_t> records,
                                        const BatchSpec& spec, std::int32_t count) {
    using common::record::DefaultRecordBatch;
    common::utils::Bytes batch;
    batch.reserve(DefaultRecordBatch::kRecordBatchOverhead + records.size());
    batch.resize(DefaultRecordBatch::kRecordBatchOverhead);  // the header, written last
    batch.insert(batch.end(), records.begin(), records.end());
    const std::int64_t lastTimestamp = spec.firstTimestamp + (count - 1) * spec.timestampStep;
    DefaultRecordBatch::writeHeader(batch,
                                    {.baseOffset = 0,
                                     .attributes = static_cast<std::int16_t>(spec.type),
                                     .lastOffsetDelta = spec.lastOffsetDelta.value_or(count - 1),
                                     .baseTimestamp = spec.firstTimestamp,
                                     .maxTimestamp = std::max(spec.firstTimestamp, lastTimestamp),
                                     .producerId = spec.producerId,
                                     .producerEpoch = spec.producerEpoch,
                                     .baseSequence = spec.baseSequence,
                                     .recordsCount = spec.recordsCount.value_or(count)});
    return batch;
}

/// The records of `spec`, as their bytes in a batch before compression.
inline common::utils::Bytes plainRecords(const BatchSpec& spec) {
    common::utils::Bytes records;
    for (std::size_t i = 0; i < spec.values.size(); ++i) {
        const auto index = std::to_string(i);
        const auto offsetDelta =
            i < spec.offsetDeltas.size() ? spec.offsetDeltas[i] : static_cast<std::int32_t>(i);
        common::record::DefaultRecord::writeTo(
            records, offsetDelta, static_cast<std::int64_t>(i) * spec.timestampStep,
            common::utils::toBytes("key-" + index), common::utils::toBytes(spec.values[i]),
            {{"h", common::utils::toBytes("header-" + index)}});
    }
    return records;
}

/// `bytes` through `type`'s compressing stream, a piece of at most `piece` bytes at a time.
inline common::utils::Bytes compressed(common::record::CompressionType type,
                                       std::span<const std::uint8_t> bytes,
                                       std::size_t piece = 1 << 20) {
    common::utils::Bytes out;
    const auto stream = common::compress::Compression::of(type)->wrapForOutput();
    for (std::size_t at = 0; at < bytes.size(); at += piece)
        stream->write(bytes.subspan(at, std::min(piece, bytes.size() - at)), out);
    stream->close(out);
    return out;
}

/// The batch `spec` describes, its records compressed with spec.type.
inline common::utils::Bytes compressedBatch(const BatchSpec& spec) {
    const auto records = plainRecords(spec);
    const auto count = static_cast<std::int32_t>(spec.values.size());
    if (spec.type == common::record::CompressionType::kNone)
        return batchAround(records, spec, count);
    return batchAround(compressed(spec.type, records), spec, count);
}

/// The codecs a batch can be compressed with.
inline constexpr common::record::CompressionType kCodecs[] = {
    common::record::CompressionType::kGzip, common::record::CompressionType::kSnappy,
    common::record::CompressionType::kLz4, common::record::CompressionType::kZstd};

}  // namespace kafka::test
