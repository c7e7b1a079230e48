//@ ch38
#pragma once

#include "kafka/common/compress/Compression.h"

namespace kafka::common::compress {

/// compression.type=none (Kafka's NoCompression): the records go into the batch as they are.
/// It exists so that the record batch builder has one code path: it always writes through a
/// CompressingStream, and this one passes the bytes through.
class NoCompression : public Compression {
public:
    record::CompressionType type() const override { return record::CompressionType::kNone; }
    std::unique_ptr<CompressingStream> wrapForOutput() const override;
    /// The input itself; more than `maxOutputBytes` of it is still refused, so that every codec
    /// keeps the same promise about the size of what it returns.
    utils::Bytes decompress(std::span<const std::uint8_t> input,
                            std::size_t maxOutputBytes) const override;
};

}  // namespace kafka::common::compress
