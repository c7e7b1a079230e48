//@ ch38
#include "kafka/common/compress/Lz4Compression.h"

#include <lz4.h>
#include <lz4frame.h>
#include <lz4hc.h>

#include <algorithm>
#include <array>
#include <new>
#include <string>

#include "kafka/common/compress/XxHash32.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/record/CorruptRecordException.h"

namespace kafka::common::compress {

namespace {

constexpr std::uint32_t kMagic = 0x184D2204;
/// FLG: version 01 in bits 7-6, block independence in bit 5; no block checksum, no content
/// size, no content checksum, no dictionary id.
constexpr std::uint8_t kFlg = 0x60;
/// BD: block maximum size 4 (64 KiB) in bits 6-4.
constexpr std::uint8_t kBd = 0x40;
/// The high bit of a block's size: the block is stored uncompressed.
constexpr std::uint32_t kUncompressedBit = 0x80000000u;

record::CorruptRecordException corrupt(const std::string& what) {
    return record::CorruptRecordException("lz4: " + what);
}

void appendLittleEndian32(utils::Bytes& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8)
        out.push_back(static_cast<std::uint8_t>(value >> shift));
}

/// Collects input into 64 KiB blocks and writes each as it fills; close() writes the last,
/// shorter block and the end mark. (Kafka's stream waits for the next byte before it writes a
/// full block; the bytes that come out are the same.)
class Lz4Stream : public CompressingStream {
public:
    explicit Lz4Stream(int level) : level_(level) { block_.reserve(Lz4Compression::kBlockSize); }

    void write(std::span<const std::uint8_t> input, utils::Bytes& out) override {
        if (closed_) throw errors::IllegalStateException("lz4: write after close");
        writeHeaderOnce(out);
        while (!input.empty()) {
            const auto take = std::min(input.size(), Lz4Compression::kBlockSize - block_.size());
            block_.insert(block_.end(), input.begin(),
                          input.begin() + static_cast<std::ptrdiff_t>(take));
            input = input.subspan(take);
            if (block_.size() == Lz4Compression::kBlockSize) writeBlock(out);
        }
    }

    void close(utils::Bytes& out) override {
        if (closed_) return;
        writeHeaderOnce(out);
        if (!block_.empty()) writeBlock(out);
        appendLittleEndian32(out, 0);  // the end mark; no content checksum follows
        closed_ = true;
    }

private:
    //> ch38 lz4-frame
    void writeHeaderOnce(utils::Bytes& out) {
        if (headerWritten_) return;
        appendLittleEndian32(out, kMagic);
        const std::array<std::uint8_t, 2> descriptor = {kFlg, kBd};
        out.insert(out.end(), descriptor.begin(), descriptor.end());
        out.push_back(static_cast<std::uint8_t>((xxHash32(descriptor, 0) >> 8) & 0xFF));
        headerWritten_ = true;
    }

    /// Compresses the block; if that does not make it smaller, the block is stored instead,
    /// flagged by the size's high bit.
    void writeBlock(utils::Bytes& out) {
        const auto* source = reinterpret_cast<const char*>(block_.data());
        const int sourceSize = static_cast<int>(block_.size());
        const int capacity = LZ4_compressBound(sourceSize);
        utils::Bytes& scratch = outputScratch(static_cast<std::size_t>(capacity));
        char* target = reinterpret_cast<char*>(scratch.data());
        const int compressed = level_ == Lz4Compression::kDefaultLevel
                                   ? LZ4_compress_default(source, target, sourceSize, capacity)
                                   : LZ4_compress_HC(source, target, sourceSize, capacity, level_);
        if (compressed > 0 && compressed < sourceSize) {
            appendLittleEndian32(out, static_cast<std::uint32_t>(compressed));
            out.insert(out.end(), scratch.begin(),
                       scratch.begin() + static_cast<std::ptrdiff_t>(compressed));
        } else {
            appendLittleEndian32(out, static_cast<std::uint32_t>(sourceSize) | kUncompressedBit);
            out.insert(out.end(), block_.begin(), block_.end());
        }
        block_.clear();
    }
    //< ch38 lz4-frame

    int level_;
    utils::Bytes block_;
    bool headerWritten_ = false;
    bool closed_ = false;
};

/// lz4's decompression context, released however decompress() leaves.
struct DecompressionContext {
    LZ4F_dctx* context = nullptr;
    DecompressionContext() {
        if (LZ4F_isError(LZ4F_createDecompressionContext(&context, LZ4F_VERSION)))
            throw std::bad_alloc();
    }
    ~DecompressionContext() { LZ4F_freeDecompressionContext(context); }
    DecompressionContext(const DecompressionContext&) = delete;
    DecompressionContext& operator=(const DecompressionContext&) = delete;
};

}  // namespace

Lz4Compression::Lz4Compression(int level) : level_(level) {
    if (level < kMinLevel || level > kMaxLevel)
        throw errors::IllegalArgumentException(
            "lz4 does not support compression level " + std::to_string(level) + ": use " +
            std::to_string(kMinLevel) + " to " + std::to_string(kMaxLevel));
}

std::unique_ptr<CompressingStream> Lz4Compression::wrapForOutput() const {
    return std::make_unique<Lz4Stream>(level_);
}

utils::Bytes Lz4Compression::decompress(std::span<const std::uint8_t> input,
                                        std::size_t maxOutputBytes) const {
    if (input.empty()) throw corrupt("no data");
    DecompressionContext dctx;
    utils::Bytes out;
    std::array<std::uint8_t, 64 * 1024> chunk;
    // LZ4F_decompress returns how many more input bytes it expects: 0 once a frame has ended
    // (a following frame starts a new one). Output goes through a fixed chunk and is counted
    // before it is kept.
    std::size_t expected = 1;
    for (;;) {
        std::size_t produced = chunk.size();
        std::size_t consumed = input.size();
        expected = LZ4F_decompress(dctx.context, chunk.data(), &produced, input.data(), &consumed,
                                   nullptr);
        if (LZ4F_isError(expected))
            throw corrupt(std::string("not a valid LZ4 frame (") + LZ4F_getErrorName(expected) +
                          ")");
        input = input.subspan(consumed);
        if (produced > maxOutputBytes - out.size())
            throw corrupt("decompresses to more than the limit of " +
                          std::to_string(maxOutputBytes) + " bytes");
        out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(produced));
        // All input taken and room left over: lz4 has given everything it can.
        if (input.empty() && produced < chunk.size()) break;
        if (consumed == 0 && produced == 0) throw corrupt("the decoder made no progress");
    }
    if (expected != 0) throw corrupt("truncated: the input ends inside a frame");
    return out;
}

}  // namespace kafka::common::compress
