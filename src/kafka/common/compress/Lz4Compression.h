//@ ch38
#pragma once

#include "kafka/common/compress/Compression.h"

namespace kafka::common::compress {

/// compression.type=lz4 (Kafka's Lz4Compression): one LZ4 frame per batch, as Kafka's
/// Lz4BlockOutputStream writes it. The header: magic 0x184D2204 (little-endian), FLG 0x60
/// (version 01, independent blocks, no checksums, no content size), BD 0x40 (blocks of up to
/// 64 KiB), and the header checksum, the second byte of xxHash32(FLG, BD). Each block: a
/// little-endian int32 size, its high bit set when the block is stored as it is because
/// compressing did not make it smaller; then the bytes. A zero int32 ends the frame.
///
/// The level (compression.lz4.level, KIP-390, Kafka 3.8) picks the compressor the way Kafka
/// 4.1 does: the default level, 9, keeps lz4's fast compressor (LZ4_compress_default, what
/// Kafka used before levels existed); any other level uses the high compressor at that level
/// (LZ4_compress_HC). So level 1 compresses harder than the default, a quirk kept on purpose:
/// it makes our bytes Kafka's.
class Lz4Compression : public Compression {
public:
    /// Kafka's Lz4Compression.MIN_LEVEL, MAX_LEVEL and DEFAULT_LEVEL.
    static constexpr int kMinLevel = 1;
    static constexpr int kMaxLevel = 17;
    static constexpr int kDefaultLevel = 9;
    /// BD 0x40: the largest block Kafka's writer makes.
    static constexpr std::size_t kBlockSize = 64 * 1024;

    /// Throws errors::IllegalArgumentException for a level outside 1..17.
    explicit Lz4Compression(int level = kDefaultLevel);

    record::CompressionType type() const override { return record::CompressionType::kLz4; }
    std::optional<int> level() const override { return level_; }
    std::unique_ptr<CompressingStream> wrapForOutput() const override;
    /// Reads any valid LZ4 frame, not only Kafka's (librdkafka and kafka-python set other
    /// flags: content size, checksums, linked blocks), and several frames in a row. lz4's own
    /// decoder sizes its buffers by the frame's declared block size, at most 4 MiB.
    utils::Bytes decompress(std::span<const std::uint8_t> input,
                            std::size_t maxOutputBytes) const override;

private:
    int level_;
};

}  // namespace kafka::common::compress
