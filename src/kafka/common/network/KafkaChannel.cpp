//@ ch14
#include "kafka/common/network/KafkaChannel.h"

#include "kafka/common/errors/Exceptions.h"

namespace kafka::common::network {

KafkaChannel::KafkaChannel(std::string id, std::int32_t maxReceiveSize)
    : id_(std::move(id)), maxReceiveSize_(maxReceiveSize) {}

//> ch14 read-loop
std::vector<NetworkReceive> KafkaChannel::read(std::span<const std::uint8_t> bytes) {
    std::vector<NetworkReceive> completed;
    while (!bytes.empty()) {
        if (!receive_) receive_.emplace(id_, maxReceiveSize_);
        // The receive takes its own frame's bytes and no more; the rest is the next frame's.
        bytes = bytes.subspan(receive_->readFrom(bytes));
        if (receive_->complete()) {
            completed.push_back(std::move(*receive_));
            receive_.reset();
        }
    }
    return completed;
}
//< ch14 read-loop

void KafkaChannel::setSend(NetworkSend send) {
    if (send_)
        throw errors::IllegalStateException(
            "Attempt to begin a send operation with prior send operation still in progress, "
            "connection id is " +
            id_);
    send_.emplace(std::move(send));
}

NetworkSend KafkaChannel::completeSend() {
    if (!send_ || !send_->completed())
        throw errors::IllegalStateException("No completed send on connection " + id_);
    NetworkSend done = std::move(*send_);
    send_.reset();
    return done;
}

}  // namespace kafka::common::network
