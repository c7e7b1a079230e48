//@ ch38
#include "kafka/common/compress/GzipCompression.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>
#include <new>
#include <string>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/record/CorruptRecordException.h"

namespace kafka::common::compress {

namespace {

/// What GZIPOutputStream writes before the deflate data: magic 1f 8b, method 8 (deflate), no
/// flags, modification time 0, extra flags 0, and OS 255 ("unknown"; Java 15 and older wrote
/// 0, "FAT", which JDK-8244706 corrected).
constexpr std::array<std::uint8_t, 10> kHeader = {0x1f, 0x8b, 0x08, 0x00, 0x00,
                                                  0x00, 0x00, 0x00, 0x00, 0xff};

/// zlib counts its buffers in uInt: a longer span is handed over in pieces of this size.
constexpr std::size_t kMaxPiece = 1u << 30;

/// How much compressed output is asked of zlib at a time.
constexpr std::size_t kOutputChunk = 16 * 1024;

record::CorruptRecordException corrupt(const std::string& what) {
    return record::CorruptRecordException("gzip: " + what);
}

void appendLittleEndian32(utils::Bytes& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8)
        out.push_back(static_cast<std::uint8_t>(value >> shift));
}

/// One gzip member, written as the input comes. The header goes out with the first write (or
/// the close, for an empty batch); deflate keeps up to its window's worth of input until it
/// has a block to emit; close() finishes the deflate stream and appends the trailer.
class GzipStream : public CompressingStream {
public:
    explicit GzipStream(int level) {
        // Negative window bits: raw deflate, no zlib wrapper; we write the gzip framing
        // ourselves, as GZIPOutputStream does around a Deflater(level, nowrap=true). Memory
        // level 8 and the default strategy are what Java's Deflater asks zlib for too.
        if (deflateInit2(&stream_, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            throw std::bad_alloc();
    }
    ~GzipStream() override { deflateEnd(&stream_); }
    GzipStream(const GzipStream&) = delete;
    GzipStream& operator=(const GzipStream&) = delete;

    void write(std::span<const std::uint8_t> input, utils::Bytes& out) override {
        if (closed_) throw errors::IllegalStateException("gzip: write after close");
        writeHeaderOnce(out);
        size_ += static_cast<std::uint32_t>(input.size());  // ISIZE is the size modulo 2^32
        while (!input.empty()) {
            const auto piece = input.first(std::min(input.size(), kMaxPiece));
            crc_ = crc32(crc_, piece.data(), static_cast<uInt>(piece.size()));
            deflateInto(piece, Z_NO_FLUSH, out);
            input = input.subspan(piece.size());
        }
    }

    void close(utils::Bytes& out) override {
        if (closed_) return;
        writeHeaderOnce(out);
        deflateInto({}, Z_FINISH, out);
        appendLittleEndian32(out, static_cast<std::uint32_t>(crc_));
        appendLittleEndian32(out, size_);
        closed_ = true;
    }

private:
    void writeHeaderOnce(utils::Bytes& out) {
        if (headerWritten_) return;
        out.insert(out.end(), kHeader.begin(), kHeader.end());
        headerWritten_ = true;
    }

    /// Gives `input` to deflate and appends what it produces. With Z_NO_FLUSH deflate may keep
    /// everything for later; it has taken all the input once it leaves output space unused.
    /// With Z_FINISH it is called until it says the stream has ended.
    void deflateInto(std::span<const std::uint8_t> input, int flush, utils::Bytes& out) {
        stream_.next_in = const_cast<Bytef*>(input.data());  // zlib's API is not const
        stream_.avail_in = static_cast<uInt>(input.size());
        utils::Bytes& chunk = outputScratch(kOutputChunk);
        for (;;) {
            stream_.next_out = chunk.data();
            stream_.avail_out = static_cast<uInt>(kOutputChunk);
            const int result = deflate(&stream_, flush);
            out.insert(
                out.end(), chunk.begin(),
                chunk.begin() + static_cast<std::ptrdiff_t>(kOutputChunk - stream_.avail_out));
            if (result == Z_STREAM_ERROR) throw errors::KafkaException("gzip: deflate failed");
            if (flush == Z_FINISH ? result == Z_STREAM_END : stream_.avail_out != 0) break;
        }
    }

    z_stream stream_{};
    bool headerWritten_ = false;
    bool closed_ = false;
    uLong crc_ = crc32(0, nullptr, 0);
    std::uint32_t size_ = 0;
};

/// inflate's state, released however decompress() leaves.
struct Inflater {
    z_stream stream{};
    Inflater() {
        // 16 + MAX_WBITS: gzip framing only (a zlib or raw deflate stream is not Kafka's gzip),
        // with the header and the trailer's CRC-32 and size checked by zlib.
        if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) throw std::bad_alloc();
    }
    ~Inflater() { inflateEnd(&stream); }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;
};

}  // namespace

GzipCompression::GzipCompression(int level) : level_(level) {
    if ((level < kMinLevel || level > kMaxLevel) && level != kDefaultLevel)
        throw errors::IllegalArgumentException(
            "gzip does not support compression level " + std::to_string(level) + ": use " +
            std::to_string(kMinLevel) + " to " + std::to_string(kMaxLevel) + ", or " +
            std::to_string(kDefaultLevel) + " for zlib's default");
}

std::unique_ptr<CompressingStream> GzipCompression::wrapForOutput() const {
    return std::make_unique<GzipStream>(level_);
}

utils::Bytes GzipCompression::decompress(std::span<const std::uint8_t> input,
                                         std::size_t maxOutputBytes) const {
    if (input.size() > std::numeric_limits<uInt>::max())
        throw corrupt(std::to_string(input.size()) +
                      " bytes of input, more than zlib takes at once");
    Inflater inflater;
    z_stream& stream = inflater.stream;
    stream.next_in = const_cast<Bytef*>(input.data());
    stream.avail_in = static_cast<uInt>(input.size());
    utils::Bytes out;
    // Output goes through a fixed chunk and is counted before it is kept: the size a trailer
    // claims is never trusted, and a bomb stops at the limit.
    std::array<std::uint8_t, 64 * 1024> chunk;
    for (;;) {
        stream.next_out = chunk.data();
        stream.avail_out = static_cast<uInt>(chunk.size());
        const int result = inflate(&stream, Z_NO_FLUSH);
        const std::size_t produced = chunk.size() - stream.avail_out;
        if (produced > maxOutputBytes - out.size())
            throw corrupt("decompresses to more than the limit of " +
                          std::to_string(maxOutputBytes) + " bytes");
        out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(produced));
        switch (result) {
            case Z_OK:
                continue;
            case Z_STREAM_END:
                if (stream.avail_in == 0) return out;
                inflateReset(&stream);  // another member follows
                continue;
            case Z_BUF_ERROR:  // no progress possible: all input used, the member unfinished
                throw corrupt(input.empty()
                                  ? std::string("no data (a gzip member has at least 18 bytes)")
                                  : "truncated: the input ends inside a gzip member");
            case Z_MEM_ERROR:
                throw std::bad_alloc();
            default:  // Z_DATA_ERROR (bad header, bad deflate data, CRC or size mismatch)
                throw corrupt(std::string("not valid gzip data (") +
                              (stream.msg ? std::string(stream.msg)
                                          : "zlib error " + std::to_string(result)) +
                              ")");
        }
    }
}

}  // namespace kafka::common::compress
