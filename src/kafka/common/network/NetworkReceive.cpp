//@ ch14
#include "kafka/common/network/NetworkReceive.h"

#include <algorithm>

#include "kafka/common/network/InvalidReceiveException.h"
#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::network {

NetworkReceive::NetworkReceive(std::string source, std::int32_t maxSize)
    : source_(std::move(source)), maxSize_(maxSize) {}

//> ch14 read-from
std::size_t NetworkReceive::readFrom(std::span<const std::uint8_t> bytes) {
    std::size_t taken = 0;
    // First the 4-byte size, which may itself arrive in pieces.
    if (sizeRead_ < size_.size()) {
        //> ch14 gather-size
        //?> ch19
        const std::size_t n = std::min(size_.size() - sizeRead_, bytes.size());
        std::copy_n(bytes.begin(), n, size_.begin() + static_cast<std::ptrdiff_t>(sizeRead_));
        sizeRead_ += n;
        taken += n;
        if (sizeRead_ < size_.size()) return taken;  // need more
        //?< ch19
        /*? ch19
        // Lab 19: this believes that the four size bytes always arrive in one read. Keep the
        // bytes of a size that comes in pieces (size_, sizeRead_) and wait for the rest.
        if (bytes.size() < size_.size())
            throw InvalidReceiveException("Lab 19: a size that arrives in pieces");
        std::copy_n(bytes.begin(), size_.size(), size_.begin());
        sizeRead_ = taken = size_.size();
        */
        //< ch14 gather-size
        //> ch14 check-size
        expected_ = utils::ByteUtils::readBigEndian<std::int32_t>(size_, 0);
        // A size that cannot be right means the stream is not where we think it is: nothing
        // after it can be trusted.
        if (expected_ < 0)
            throw InvalidReceiveException("Invalid receive (size = " + std::to_string(expected_) +
                                          ")");
        if (maxSize_ != kUnlimited && expected_ > maxSize_)
            throw InvalidReceiveException("Invalid receive (size = " + std::to_string(expected_) +
                                          " larger than " + std::to_string(maxSize_) + ")");
        payload_.reserve(static_cast<std::size_t>(expected_));
        //< ch14 check-size
    }
    //> ch14 read-payload
    //?> ch18
    // Then the payload: only as many bytes as this frame still lacks, never the next frame's.
    const std::size_t missing = static_cast<std::size_t>(expected_) - payload_.size();
    const std::size_t n = std::min(missing, bytes.size() - taken);
    //?< ch18
    /*? ch18
    // Lab 18: this takes every byte of the read, the next frames' too. Take only as many as
    // this frame still lacks; KafkaChannel::read hands the rest to the next receive.
    const std::size_t n = bytes.size() - taken;
    */
    payload_.insert(payload_.end(), bytes.begin() + static_cast<std::ptrdiff_t>(taken),
                    bytes.begin() + static_cast<std::ptrdiff_t>(taken + n));
    return taken + n;
    //< ch14 read-payload
}
//< ch14 read-from

//> ch14 receive-complete
bool NetworkReceive::complete() const {
    return sizeRead_ == size_.size() && payload_.size() == static_cast<std::size_t>(expected_);
}
//< ch14 receive-complete

}  // namespace kafka::common::network
