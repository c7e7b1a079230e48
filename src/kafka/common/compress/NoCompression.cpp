//@ ch38
#include "kafka/common/compress/NoCompression.h"

#include <string>

#include "kafka/common/record/CorruptRecordException.h"

namespace kafka::common::compress {

namespace {

/// Appends what it is given: nothing is buffered, so close() has nothing left to write.
class PassThroughStream : public CompressingStream {
public:
    void write(std::span<const std::uint8_t> input, utils::Bytes& out) override {
        out.insert(out.end(), input.begin(), input.end());
    }
    void close(utils::Bytes&) override {}
};

}  // namespace

std::unique_ptr<CompressingStream> NoCompression::wrapForOutput() const {
    return std::make_unique<PassThroughStream>();
}

utils::Bytes NoCompression::decompress(std::span<const std::uint8_t> input,
                                       std::size_t maxOutputBytes) const {
    if (input.size() > maxOutputBytes)
        throw record::CorruptRecordException("none: " + std::to_string(input.size()) +
                                             " bytes, more than the limit of " +
                                             std::to_string(maxOutputBytes) + " bytes");
    return utils::Bytes(input.begin(), input.end());
}

}  // namespace kafka::common::compress
