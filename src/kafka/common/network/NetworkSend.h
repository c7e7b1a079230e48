//@ ch14
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "kafka/common/utils/Bytes.h"

namespace kafka::common::network {

/// One frame on its way out (Kafka's NetworkSend over a ByteBufferSend): the 4-byte size, then
/// the payload, written over as many writes as the socket needs. A socket write may take only
/// part of what it is offered; the send remembers how far it got.
class NetworkSend {
public:
    /// A frame of `payload` (a request or response: header and body) for connection
    /// `destination`, with its size prefix in front.
    NetworkSend(std::string destination, std::span<const std::uint8_t> payload);
    /// A frame built in place, without the copy: `frame` starts with four bytes left for the
    /// size, which are filled in here, and the payload follows them.
    static NetworkSend withSizeInFront(std::string destination, utils::Bytes frame);

    const std::string& destination() const { return destination_; }
    /// What is still to be written.
    std::span<const std::uint8_t> remaining() const;
    /// `n` more bytes were written.
    void written(std::size_t n);
    bool completed() const { return offset_ == frame_.size(); }
    std::size_t size() const { return frame_.size(); }

private:
    struct InPlace {};
    NetworkSend(InPlace, std::string destination, utils::Bytes frame);

    std::string destination_;
    utils::Bytes frame_;
    std::size_t offset_ = 0;
};

}  // namespace kafka::common::network
