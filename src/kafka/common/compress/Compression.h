//@ ch38
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "kafka/common/config/ConfigDef.h"
#include "kafka/common/record/CompressionType.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::common::compress {

//> ch38 compression-api
/// A compressor that takes its input piece by piece (Kafka's Compression.wrapForOutput, an
/// OutputStream over the batch's buffer). The record batch builder writes each record as it
/// is appended; compressed bytes come out when the codec has a block's worth, so the output
/// lags the input until close() flushes the rest and writes the codec's trailer.
/// Not thread-safe: one stream belongs to one batch.
class CompressingStream {
public:
    virtual ~CompressingStream() = default;
    /// Compresses `input`, appending whatever compressed bytes are ready to `out`.
    virtual void write(std::span<const std::uint8_t> input, utils::Bytes& out) = 0;
    /// Flushes what is buffered and ends the stream (its frame, its trailer) into `out`.
    /// Nothing may be written afterwards.
    virtual void close(utils::Bytes& out) = 0;
};

/// One codec at one level (Kafka 3.8's org.apache.kafka.common.compress.Compression, KIP-390):
/// how a batch's records are compressed on the way out and decompressed on the way in.
/// The four codecs follow Kafka's framing, so that Kafka's Java clients, librdkafka and
/// kafka-python read what we write and we read what they write:
/// gzip a gzip member (RFC 1952), snappy xerial's block framing (raw snappy read too),
/// lz4 the LZ4 frame format, zstd a zstd frame.
class Compression {
public:
    virtual ~Compression() = default;

    virtual record::CompressionType type() const = 0;

    /// The level this codec compresses at, or nothing for the codecs without levels (none,
    /// snappy). A level is a property of the writer only: any level reads any other's output.
    virtual std::optional<int> level() const { return std::nullopt; }

    /// A new stream for one batch's records.
    virtual std::unique_ptr<CompressingStream> wrapForOutput() const = 0;

    /// All of `input`, decompressed. More than `maxOutputBytes` out (a decompression bomb) or
    /// input that is not this codec's format is a record::CorruptRecordException.
    virtual utils::Bytes decompress(std::span<const std::uint8_t> input,
                                    std::size_t maxOutputBytes) const = 0;

    /// The codec for `type`, at `level` or the codec's default level (Kafka's
    /// Compression.gzip().level(level).build(), a builder per codec). A level outside the codec's
    /// range is an errors::IllegalArgumentException that names it.
    static std::unique_ptr<Compression> of(record::CompressionType type,
                                           std::optional<int> level = std::nullopt);
};
//< ch38 compression-api

/// The levels each codec accepts, and its default (Kafka's GzipCompression, Lz4Compression,
/// ZstdCompression constants).
struct Levels {
    int min;
    int max;
    int defaultLevel;
};
/// gzip: 1 to 9, or -1 for zlib's default (6); lz4: 1 to 17, default 9; zstd: zstd's own
/// range (-131072 to 22), default 3. Snappy and none have no levels (nothing is returned).
std::optional<Levels> levelsOf(record::CompressionType type);

/// The validator of compression.gzip.level, .lz4.level and .zstd.level, a producer's and a
/// broker's alike: the codec's range, and for gzip -1 too (Kafka's
/// GzipCompression.LevelValidator, and ConfigDef.Range for the other two, with their messages).
config::ConfigDef::Validator levelValidator(record::CompressionType type);

/// A buffer of this thread's, at least `size` bytes, that a codec compresses into before it
/// appends what came out to the batch's buffer. Compressing straight into the batch's buffer
/// would first grow it by the codec's worst case (a zstd chunk is 128 KiB, for a batch of
/// 16), and a buffer that grows is a new allocation, lost to the BufferPool (chapter 10).
/// Valid until the next call on this thread: for use within one call of write() or close().
utils::Bytes& outputScratch(std::size_t size);

}  // namespace kafka::common::compress
