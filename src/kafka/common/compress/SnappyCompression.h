//@ ch38
#pragma once

#include "kafka/common/compress/Compression.h"

namespace kafka::common::compress {

/// compression.type=snappy (Kafka's SnappyCompression). Snappy itself only compresses one
/// buffer at a time; the stream around it is snappy-java's (xerial's SnappyOutputStream),
/// which Kafka's Java clients use: an 8-byte magic 82 'S' 'N' 'A' 'P' 'P' 'Y' 00, the
/// format's version and the oldest version that can read it (both 1, big-endian int32s), then
/// blocks, each a big-endian int32 length and the raw snappy of up to 32 KiB of input.
/// Snappy has no levels.
class SnappyCompression : public Compression {
public:
    /// snappy-java's SnappyOutputStream.DEFAULT_BLOCK_SIZE: input compressed per block.
    static constexpr std::size_t kBlockSize = 32 * 1024;

    record::CompressionType type() const override { return record::CompressionType::kSnappy; }
    std::unique_ptr<CompressingStream> wrapForOutput() const override;
    /// Reads xerial's framing (several streams in a row too, as snappy-java does), or, when
    /// the input does not start with the magic, one raw snappy buffer: librdkafka writes its
    /// snappy batches raw, and Kafka's broker has to read those as well.
    utils::Bytes decompress(std::span<const std::uint8_t> input,
                            std::size_t maxOutputBytes) const override;
};

}  // namespace kafka::common::compress
