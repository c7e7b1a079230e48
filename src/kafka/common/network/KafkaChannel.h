//@ ch14
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kafka/common/network/NetworkReceive.h"
#include "kafka/common/network/NetworkSend.h"

namespace kafka::common::network {

/// One connection's framing state (Kafka's KafkaChannel, without the socket, which the
/// Selector owns): the frame being received, and the one frame being sent. Bytes read from
/// the socket go in whatever pieces TCP delivers them; the channel cuts them into frames.
class KafkaChannel {
public:
    KafkaChannel(std::string id, std::int32_t maxReceiveSize);

    const std::string& id() const { return id_; }

    //> ch14 read
    /// Feeds bytes just read from the socket and returns the frames they complete, in order:
    /// none, one, or several (chapter 18). A frame cut off at the end is kept, and the next
    /// bytes continue it (chapter 19). Throws InvalidReceiveException for an impossible size.
    std::vector<NetworkReceive> read(std::span<const std::uint8_t> bytes);
    //< ch14 read
    /// Part of a frame has arrived and the rest has not.
    bool hasPartialReceive() const { return receive_ && receive_->started(); }

    /// Queues the one send this channel carries at a time. Throws IllegalStateException if
    /// the previous send has not completed yet.
    void setSend(NetworkSend send);
    bool hasSend() const { return send_.has_value(); }
    NetworkSend& currentSend() { return *send_; }
    /// Takes the send once it has completed.
    NetworkSend completeSend();

private:
    std::string id_;
    std::int32_t maxReceiveSize_;
    std::optional<NetworkReceive> receive_;
    std::optional<NetworkSend> send_;
};

}  // namespace kafka::common::network
