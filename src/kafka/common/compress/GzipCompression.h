//@ ch38
#pragma once

#include "kafka/common/compress/Compression.h"

namespace kafka::common::compress {

/// compression.type=gzip (Kafka's GzipCompression): one gzip member (RFC 1952) per batch,
/// byte for byte what Java's GZIPOutputStream writes on Java 16 and later: the 10-byte header
/// 1f 8b 08 00, a zero modification time, no extra flags, 255 ("unknown") for the operating
/// system; then raw deflate at the level; then the CRC-32 and the input's size, little-endian.
/// Java's Deflater and we both call zlib with the same parameters, so the deflate bytes agree
/// as long as the zlib versions do.
class GzipCompression : public Compression {
public:
    /// Kafka's GzipCompression.MIN_LEVEL, MAX_LEVEL and DEFAULT_LEVEL: Deflater's BEST_SPEED,
    /// BEST_COMPRESSION and DEFAULT_COMPRESSION (which zlib reads as 6).
    static constexpr int kMinLevel = 1;
    static constexpr int kMaxLevel = 9;
    static constexpr int kDefaultLevel = -1;

    /// Throws errors::IllegalArgumentException for a level that is neither 1..9 nor -1.
    explicit GzipCompression(int level = kDefaultLevel);

    record::CompressionType type() const override { return record::CompressionType::kGzip; }
    std::optional<int> level() const override { return level_; }
    std::unique_ptr<CompressingStream> wrapForOutput() const override;
    /// Reads one gzip member or several in a row (a concatenation is a valid gzip file, and
    /// Java's GZIPInputStream reads it so); anything after a member must be another member.
    utils::Bytes decompress(std::span<const std::uint8_t> input,
                            std::size_t maxOutputBytes) const override;

private:
    int level_;
};

}  // namespace kafka::common::compress
