//@ ch14
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "kafka/common/utils/Bytes.h"

namespace kafka::common::network {

/// One size-prefixed frame, read incrementally (Kafka's NetworkReceive): a 4-byte big-endian
/// size, then exactly that many bytes. TCP delivers a byte stream, not messages: one read may
/// end in the middle of a frame, even in the middle of its size (chapter 19), or hold several
/// frames (chapter 18). A NetworkReceive takes only the bytes of its own frame from whatever
/// it is given, and says how many it took; the caller starts the next frame with the rest.
class NetworkReceive {
public:
    static constexpr std::int32_t kUnlimited = -1;

    /// `source` is the connection id; `maxSize` bounds the payload (kUnlimited: no bound).
    explicit NetworkReceive(std::string source, std::int32_t maxSize = kUnlimited);

    /// Consumes the bytes of this frame from the front of `bytes` (never more) and returns
    /// how many it took. Throws InvalidReceiveException for a size that cannot be right.
    std::size_t readFrom(std::span<const std::uint8_t> bytes);

    /// The size and every byte of the payload have arrived.
    bool complete() const;
    /// Some byte of this frame has arrived: a connection that ends now ends mid-frame.
    bool started() const { return sizeRead_ > 0; }

    const std::string& source() const { return source_; }
    /// The frame without its size prefix (all of it once complete()).
    const utils::Bytes& payload() const { return payload_; }
    utils::Bytes takePayload() { return std::move(payload_); }

private:
    std::string source_;
    std::int32_t maxSize_;
    std::array<std::uint8_t, 4> size_{};
    std::size_t sizeRead_ = 0;
    std::int32_t expected_ = -1;  // the payload's size, once the prefix is complete
    utils::Bytes payload_;
};

}  // namespace kafka::common::network
