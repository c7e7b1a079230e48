//@ ch14
#include "kafka/common/network/NetworkSend.h"

#include <algorithm>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::network {

NetworkSend::NetworkSend(std::string destination, std::span<const std::uint8_t> payload)
    : destination_(std::move(destination)), frame_(4 + payload.size()) {
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(frame_), 0,
                                     static_cast<std::int32_t>(payload.size()));
    std::copy(payload.begin(), payload.end(), frame_.begin() + 4);
}

NetworkSend::NetworkSend(InPlace, std::string destination, utils::Bytes frame)
    : destination_(std::move(destination)), frame_(std::move(frame)) {}

NetworkSend NetworkSend::withSizeInFront(std::string destination, utils::Bytes frame) {
    if (frame.size() < 4)
        throw errors::IllegalArgumentException("A frame has four bytes for its size in front");
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(frame), 0,
                                     static_cast<std::int32_t>(frame.size() - 4));
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
