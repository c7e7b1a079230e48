//@ ch14
#include "kafka/common/network/NetworkSend.h"

#include <algorithm>
#include <limits>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::network {

namespace {

// A frame's size is an int32: a larger payload cannot be framed, and must not be framed wrong.
std::int32_t frameSizeOf(std::size_t payloadSize) {
    if (payloadSize > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw errors::IllegalArgumentException("A frame of " + std::to_string(payloadSize) +
                                               " bytes is too large to send (at most 2 GiB)");
    return static_cast<std::int32_t>(payloadSize);
}

}  // namespace

NetworkSend::NetworkSend(std::string destination, std::span<const std::uint8_t> payload)
    : destination_(std::move(destination)), frame_(4 + payload.size()) {
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(frame_), 0,
                                     frameSizeOf(payload.size()));
    std::copy(payload.begin(), payload.end(), frame_.begin() + 4);
}

NetworkSend::NetworkSend(InPlace, std::string destination, utils::Bytes frame)
    : destination_(std::move(destination)), frame_(std::move(frame)) {}

NetworkSend NetworkSend::withSizeInFront(std::string destination, utils::Bytes frame) {
    if (frame.size() < 4)
        throw errors::IllegalArgumentException("A frame has four bytes for its size in front");
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(frame), 0,
                                     frameSizeOf(frame.size() - 4));
    return NetworkSend(InPlace{}, std::move(destination), std::move(frame));
}

std::span<const std::uint8_t> NetworkSend::remaining() const {
    return std::span<const std::uint8_t>(frame_).subspan(offset_);
}

void NetworkSend::written(std::size_t n) {
    if (n > frame_.size() - offset_)
        throw errors::IllegalStateException("Wrote " + std::to_string(n) +
                                            " bytes of a send that had " +
                                            std::to_string(frame_.size() - offset_) + " left");
    offset_ += n;
}

}  // namespace kafka::common::network
