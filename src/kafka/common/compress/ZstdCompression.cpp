//@ ch38
#include "kafka/common/compress/ZstdCompression.h"

// ZSTD_d_stableOutBuffer is one of zstd's "experimental" parameters (stable in practice since
// zstd 1.4.5): its name is only declared with ZSTD_STATIC_LINKING_ONLY. It is passed as a
// number to ZSTD_DCtx_setParameter, a stable function of the shared library.
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <new>
#include <string>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/record/CorruptRecordException.h"

namespace kafka::common::compress {

namespace {

record::CorruptRecordException corrupt(const std::string& what) {
    return record::CorruptRecordException("zstd: " + what);
}

/// A zstd frame written as the input comes: ZSTD_e_continue lets zstd keep input until it has
/// a block's worth. close() does what Kafka's Java stream does when it is closed: its buffer
/// flushes zstd-jni's stream (ZSTD_e_flush: the data so far, as blocks not marked last), then
/// zstd-jni ends the frame (ZSTD_e_end: an empty last block). With no input at all there is
/// nothing to flush, and the frame is ended at once.
class ZstdStream : public CompressingStream {
public:
    explicit ZstdStream(int level) : context_(ZSTD_createCCtx()) {
        if (context_ == nullptr) throw std::bad_alloc();
        check(ZSTD_CCtx_setParameter(context_, ZSTD_c_compressionLevel, level));
    }
    ~ZstdStream() override { ZSTD_freeCCtx(context_); }
    ZstdStream(const ZstdStream&) = delete;
    ZstdStream& operator=(const ZstdStream&) = delete;

    void write(std::span<const std::uint8_t> input, utils::Bytes& out) override {
        if (closed_) throw errors::IllegalStateException("zstd: write after close");
        ZSTD_inBuffer in{input.data(), input.size(), 0};
        while (in.pos < in.size) compressInto(in, ZSTD_e_continue, out);
        written_ = written_ || !input.empty();
    }

    void close(utils::Bytes& out) override {
        if (closed_) return;
        ZSTD_inBuffer in{nullptr, 0, 0};
        if (written_)
            while (compressInto(in, ZSTD_e_flush, out) != 0) {
            }
        while (compressInto(in, ZSTD_e_end, out) != 0) {
        }
        closed_ = true;
    }

private:
    /// One call of the compressor with an output chunk appended to `out`; returns what zstd
    /// says is left to flush (0 when a ZSTD_e_end call has ended the frame).
    std::size_t compressInto(ZSTD_inBuffer& in, ZSTD_EndDirective directive, utils::Bytes& out) {
        utils::Bytes& scratch = outputScratch(ZSTD_CStreamOutSize());
        ZSTD_outBuffer chunk{scratch.data(), ZSTD_CStreamOutSize(), 0};
        const std::size_t left = ZSTD_compressStream2(context_, &chunk, &in, directive);
        check(left);
        out.insert(out.end(), scratch.begin(),
                   scratch.begin() + static_cast<std::ptrdiff_t>(chunk.pos));
        return left;
    }

    static void check(std::size_t result) {
        if (ZSTD_isError(result))
            throw errors::KafkaException(std::string("zstd: ") + ZSTD_getErrorName(result));
    }

    ZSTD_CCtx* context_;
    bool written_ = false;
    bool closed_ = false;
};

/// zstd's decompression context, released however decompress() leaves.
struct DecompressionContext {
    ZSTD_DCtx* context = ZSTD_createDCtx();
    DecompressionContext() {
        if (context == nullptr) throw std::bad_alloc();
    }
    ~DecompressionContext() { ZSTD_freeDCtx(context); }
    DecompressionContext(const DecompressionContext&) = delete;
    DecompressionContext& operator=(const DecompressionContext&) = delete;
};

/// How one pass over the input ended.
enum class Pass { kDone, kNeedsRoom };

/// Decodes all of `input` into `out` (its size is the room there is) with a stable output
/// buffer: zstd writes straight into `out` and reads its matches back from there. Returns
/// kNeedsRoom when the output does not fit; `written` is how much of `out` holds output.
Pass decodeInto(ZSTD_DCtx* context, std::span<const std::uint8_t> input, utils::Bytes& out,
                std::size_t& written) {
    ZSTD_DCtx_reset(context, ZSTD_reset_session_only);
    ZSTD_inBuffer in{input.data(), input.size(), 0};
    ZSTD_outBuffer output{out.data(), out.size(), 0};
    for (;;) {
        const std::size_t hint = ZSTD_decompressStream(context, &output, &in);
        written = output.pos;
        if (ZSTD_isError(hint)) {
            if (ZSTD_getErrorCode(hint) == ZSTD_error_dstSize_tooSmall) return Pass::kNeedsRoom;
            throw corrupt(std::string("not valid zstd data (") + ZSTD_getErrorName(hint) + ")");
        }
        if (hint == 0 && in.pos == in.size) return Pass::kDone;  // every frame ended
        if (output.pos == output.size) return Pass::kNeedsRoom;
        if (in.pos == in.size) throw corrupt("truncated: the input ends inside a frame");
    }
}

}  // namespace

int ZstdCompression::minLevel() {
    return ZSTD_minCLevel();
}
int ZstdCompression::maxLevel() {
    return ZSTD_maxCLevel();
}

ZstdCompression::ZstdCompression(int level) : level_(level) {
    if (level < minLevel() || level > maxLevel())
        throw errors::IllegalArgumentException(
            "zstd does not support compression level " + std::to_string(level) + ": use " +
            std::to_string(minLevel()) + " to " + std::to_string(maxLevel()));
}

std::unique_ptr<CompressingStream> ZstdCompression::wrapForOutput() const {
    return std::make_unique<ZstdStream>(level_);
}

utils::Bytes ZstdCompression::decompress(std::span<const std::uint8_t> input,
                                         std::size_t maxOutputBytes) const {
    if (input.empty()) throw corrupt("no data");
    const auto tooMuch = [&] {
        return corrupt("decompresses to more than the limit of " + std::to_string(maxOutputBytes) +
                       " bytes");
    };
    // The first guess at the room needed: the sum of the frames' content sizes when every frame
    // says it (and it is within the limit), else a few times the input. A pass that runs out
    // of room starts again with twice as much, up to the limit: about twice the work of one
    // pass at worst, and memory never beyond the limit nor far beyond the real output.
    std::size_t room = input.size() <= maxOutputBytes / 4
                           ? std::max<std::size_t>(64 * 1024, input.size() * 4)
                           : maxOutputBytes;
    const unsigned long long declared = ZSTD_findDecompressedSize(input.data(), input.size());
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR) {
        if (declared > maxOutputBytes) throw tooMuch();
        room = static_cast<std::size_t>(declared);
    }
    room = std::min(room, maxOutputBytes);

    DecompressionContext dctx;
    // The window may be as large as zstd allows: it lives in our buffer, not in zstd's.
    const auto windowLimit = ZSTD_dParam_getBounds(ZSTD_d_windowLogMax).upperBound;
    if (ZSTD_isError(ZSTD_DCtx_setParameter(dctx.context, ZSTD_d_stableOutBuffer, 1)) ||
        ZSTD_isError(ZSTD_DCtx_setParameter(dctx.context, ZSTD_d_windowLogMax, windowLimit)))
        throw errors::KafkaException("zstd: the decoder refused its parameters");
    utils::Bytes out;
    for (;;) {
        out.resize(room);
        std::size_t written = 0;
        if (decodeInto(dctx.context, input, out, written) == Pass::kDone) {
            out.resize(written);
            return out;
        }
        if (room == maxOutputBytes) throw tooMuch();
        room = room > maxOutputBytes / 2 ? maxOutputBytes : std::max<std::size_t>(room * 2, 1);
    }
}

}  // namespace kafka::common::compress
