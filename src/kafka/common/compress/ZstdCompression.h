//@ ch38
#pragma once

#include "kafka/common/compress/Compression.h"

namespace kafka::common::compress {

/// compression.type=zstd (Kafka's ZstdCompression, KIP-110): one zstd frame per batch, written
/// by zstd's streaming compressor as the records come, as zstd-jni's ZstdOutputStream does
/// for Kafka's Java clients. The frame does not say its content size (the stream does not know
/// it when the frame starts) and carries no checksum (the batch has its CRC).
class ZstdCompression : public Compression {
public:
    /// Kafka's ZstdCompression.DEFAULT_LEVEL; MIN_LEVEL and MAX_LEVEL are zstd's own range,
    /// ZSTD_minCLevel() to ZSTD_maxCLevel() (-131072 to 22 in zstd 1.5).
    static constexpr int kDefaultLevel = 3;
    static int minLevel();
    static int maxLevel();

    /// Throws errors::IllegalArgumentException for a level outside zstd's range.
    explicit ZstdCompression(int level = kDefaultLevel);

    record::CompressionType type() const override { return record::CompressionType::kZstd; }
    std::optional<int> level() const override { return level_; }
    std::unique_ptr<CompressingStream> wrapForOutput() const override;
    /// Reads one frame or several in a row, with or without a content size. zstd's streaming
    /// decoder would keep a window as large as a frame's header asks (up to 128 MiB), whatever
    /// the frame really holds; we decode into our own buffer instead (zstd's stable output
    /// buffer), which then is the window, so memory follows the output and the limit.
    utils::Bytes decompress(std::span<const std::uint8_t> input,
                            std::size_t maxOutputBytes) const override;

private:
    int level_;
};

}  // namespace kafka::common::compress
