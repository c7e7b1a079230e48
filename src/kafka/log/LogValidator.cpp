//@ ch38
#include "kafka/log/LogValidator.h"

#include <cstdint>
#include <string>

#include "kafka/common/compress/Compression.h"
#include "kafka/common/record/CorruptRecordException.h"
#include "kafka/common/record/DefaultRecord.h"

namespace kafka::log {

using common::record::CompressionType;
using common::record::DefaultRecord;
using common::record::DefaultRecordBatch;

namespace {

CompressionType codecOf(const DefaultRecordBatch& batch) {
    const auto type = common::record::compressionTypeForId(batch.compressionType());
    if (!type)  // Log::validate refuses these first
        throw common::record::CorruptRecordException("Record batch has compression type id " +
                                                     std::to_string(batch.compressionType()));
    return *type;
}

}  // namespace

LogValidator::LogValidator(const DefaultRecordBatch& batch, const LogConfig& config)
    : batch_(batch),
      config_(config),
      source_(codecOf(batch)),
      target_(config.compressionType.value_or(source_)) {}

std::optional<int> LogValidator::levelFor(const LogConfig& config, CompressionType type) {
    switch (type) {
        case CompressionType::kGzip:
            return config.compressionGzipLevel;
        case CompressionType::kLz4:
            return config.compressionLz4Level;
        case CompressionType::kZstd:
            return config.compressionZstdLevel;
        case CompressionType::kNone:
        case CompressionType::kSnappy:
            break;
    }
    return std::nullopt;
}

common::utils::Bytes LogValidator::buildRecords(const std::vector<DefaultRecord>& records) const {
    const auto compression = common::compress::Compression::of(target_, levelFor(config_, target_));
    // The header's 61 bytes stay zero until the records are in; the compressed stream follows.
    common::utils::Bytes out(DefaultRecordBatch::kRecordBatchOverhead, 0);
    const auto stream = compression->wrapForOutput();
    common::utils::Bytes record;
    std::int32_t offsetDelta = 0;
    for (const auto& r : records) {
        // The producer's base timestamp stays, so each record keeps its delta; the offsets run
        // 0, 1, 2, ... whatever they were (Log::validate has made sure they already did).
        const auto timestampDelta =
            static_cast<std::int64_t>(static_cast<std::uint64_t>(r.timestamp()) -
                                      static_cast<std::uint64_t>(batch_.baseTimestamp()));
        record.clear();
        DefaultRecord::writeTo(record, offsetDelta++, timestampDelta, r.key(), r.value(),
                               r.headers());
        stream->write(record, out);
    }
    stream->close(out);

    // The codec changes; the timestamp type is Log::append's to set, and the transactional
    // flag stays, as Kafka's MemoryRecordsBuilder carries it over.
    auto attributes = static_cast<std::int16_t>(target_);
    if (batch_.isTransactional())
        attributes =
            static_cast<std::int16_t>(attributes | DefaultRecordBatch::kTransactionalFlagMask);
    DefaultRecordBatch::writeHeader(out, {.baseOffset = 0,
                                          .partitionLeaderEpoch = batch_.partitionLeaderEpoch(),
                                          .attributes = attributes,
                                          .lastOffsetDelta = offsetDelta - 1,
                                          .baseTimestamp = batch_.baseTimestamp(),
                                          .maxTimestamp = batch_.maxTimestamp(),
                                          .producerId = batch_.producerId(),
                                          .producerEpoch = batch_.producerEpoch(),
                                          .baseSequence = batch_.baseSequence(),
                                          .recordsCount = offsetDelta});
    return out;
}

}  // namespace kafka::log
