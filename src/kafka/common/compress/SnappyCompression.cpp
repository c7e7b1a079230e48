//@ ch38
#include "kafka/common/compress/SnappyCompression.h"

#include <snappy.h>

#include <algorithm>
#include <array>
#include <string>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/record/CorruptRecordException.h"

namespace kafka::common::compress {

namespace {

/// xerial's stream header: the magic, then version 1 and compatible version 1.
constexpr std::array<std::uint8_t, 8> kMagic = {0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0x00};
constexpr std::size_t kHeaderSize = kMagic.size() + 4 + 4;
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kCompatibleVersion = 1;

record::CorruptRecordException corrupt(const std::string& what) {
    return record::CorruptRecordException("snappy: " + what);
}

void appendBigEndian32(utils::Bytes& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(value >> shift));
}

std::uint32_t readBigEndian32(std::span<const std::uint8_t> bytes) {
    return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
           std::uint32_t{bytes[2]} << 8 | std::uint32_t{bytes[3]};
}

bool startsWithMagic(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= kMagic.size() && std::equal(kMagic.begin(), kMagic.end(), bytes.begin());
}

/// Collects input into 32 KiB blocks and compresses each as it fills, as SnappyOutputStream
/// does; close() compresses the last, shorter block. The header comes first, even when no
/// block follows (snappy-java writes it for an empty stream too).
class SnappyStream : public CompressingStream {
public:
    SnappyStream() { block_.reserve(SnappyCompression::kBlockSize); }

    void write(std::span<const std::uint8_t> input, utils::Bytes& out) override {
        if (closed_) throw errors::IllegalStateException("snappy: write after close");
        while (!input.empty()) {
            const auto take = std::min(input.size(), SnappyCompression::kBlockSize - block_.size());
            block_.insert(block_.end(), input.begin(),
                          input.begin() + static_cast<std::ptrdiff_t>(take));
            input = input.subspan(take);
            if (block_.size() == SnappyCompression::kBlockSize) writeBlock(out);
        }
    }

    void close(utils::Bytes& out) override {
        if (closed_) return;
        if (!block_.empty()) writeBlock(out);
        writeHeaderOnce(out);
        closed_ = true;
    }

private:
    //> ch38 xerial-framing
    void writeHeaderOnce(utils::Bytes& out) {
        if (headerWritten_) return;
        out.insert(out.end(), kMagic.begin(), kMagic.end());
        appendBigEndian32(out, kVersion);
        appendBigEndian32(out, kCompatibleVersion);
        headerWritten_ = true;
    }

    /// [int32 length][raw snappy of the block].
    void writeBlock(utils::Bytes& out) {
        writeHeaderOnce(out);
        utils::Bytes& scratch = outputScratch(snappy::MaxCompressedLength(block_.size()));
        std::size_t compressed = 0;
        snappy::RawCompress(reinterpret_cast<const char*>(block_.data()), block_.size(),
                            reinterpret_cast<char*>(scratch.data()), &compressed);
        appendBigEndian32(out, static_cast<std::uint32_t>(compressed));
        out.insert(out.end(), scratch.begin(),
                   scratch.begin() + static_cast<std::ptrdiff_t>(compressed));
        block_.clear();
    }
    //< ch38 xerial-framing

    utils::Bytes block_;
    bool headerWritten_ = false;
    bool closed_ = false;
};

/// Uncompresses one raw snappy buffer onto the end of `out`. Snappy's preamble claims the
/// uncompressed length: it is checked against what is left of the limit before anything is
/// allocated, and the whole buffer is validated before it is trusted.
void appendRaw(std::span<const std::uint8_t> raw, std::size_t maxOutputBytes, utils::Bytes& out) {
    const auto* data = reinterpret_cast<const char*>(raw.data());
    std::size_t length = 0;
    if (!snappy::GetUncompressedLength(data, raw.size(), &length))
        throw corrupt("not valid snappy data (no uncompressed length)");
    if (length > maxOutputBytes - out.size())
        throw corrupt("decompresses to more than the limit of " + std::to_string(maxOutputBytes) +
                      " bytes");
    if (!snappy::IsValidCompressedBuffer(data, raw.size()))
        throw corrupt("not valid snappy data (the buffer does not decode)");
    const std::size_t at = out.size();
    out.resize(at + length);
    if (!snappy::RawUncompress(data, raw.size(), reinterpret_cast<char*>(out.data() + at)))
        throw corrupt("not valid snappy data");
}

}  // namespace

std::unique_ptr<CompressingStream> SnappyCompression::wrapForOutput() const {
    return std::make_unique<SnappyStream>();
}

utils::Bytes SnappyCompression::decompress(std::span<const std::uint8_t> input,
                                           std::size_t maxOutputBytes) const {
    utils::Bytes out;
    if (!startsWithMagic(input)) {
        if (input.empty()) throw corrupt("no data");
        appendRaw(input, maxOutputBytes, out);
        return out;
    }
    while (!input.empty()) {
        if (startsWithMagic(input)) {  // a stream's header, the first or a concatenated one
            if (input.size() < kHeaderSize)
                throw corrupt("truncated: the stream header is cut short");
            input = input.subspan(kHeaderSize);
            continue;
        }
        if (input.size() < 4) throw corrupt("truncated: a block's length is cut short");
        const std::uint32_t length = readBigEndian32(input);
        if (length > input.size() - 4)
            throw corrupt("truncated: a block of " + std::to_string(length) + " bytes, " +
                          std::to_string(input.size() - 4) + " left");
        appendRaw(input.subspan(4, length), maxOutputBytes, out);
        input = input.subspan(4 + length);
    }
    return out;
}

}  // namespace kafka::common::compress
