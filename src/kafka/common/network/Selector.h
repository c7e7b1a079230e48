//@ ch14
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kafka/common/network/NetworkReceive.h"
#include "kafka/common/network/NetworkSend.h"

namespace kafka::common::network {

/// One thread's view of many connections at once (Kafka's Selector, over Java NIO's): connect,
/// send, and poll, which does whatever I/O is ready and reports what happened. Built on a
/// Boost.Asio io_context, which plays the part of NIO's selector (chapter 14 maps them call by
/// call); Asio stays inside Selector.cpp.
///
/// After each poll(), the lists say what that poll did: connections completed (connected),
/// frames fully written (completedSends), frames fully read (completedReceives), and
/// connections lost, refused or closed for bad input (disconnected). Each connection carries
/// one send at a time. Only wakeup() may be called from another thread.
class Selector {
public:
    /// `maxReceiveSize` bounds a received frame (NetworkReceive::kUnlimited: no bound); a
    /// larger one closes its connection.
    explicit Selector(std::int32_t maxReceiveSize = NetworkReceive::kUnlimited);
    ~Selector();
    Selector(const Selector&) = delete;
    Selector& operator=(const Selector&) = delete;

    /// Starts connecting to host:port under connection id `id` (a broker's node id). Returns
    /// at once; the outcome shows in connected() or disconnected() after a later poll. Throws
    /// IllegalStateException if `id` is already in use, KafkaException if the host cannot be
    /// resolved.
    void connect(const std::string& id, const std::string& host, int port);
    /// Queues `send` on its destination's connection, which must be connected and have no
    /// send in progress (IllegalStateException otherwise). The bytes go out during poll().
    void send(NetworkSend send);
    /// Does the I/O that is ready, waiting up to `timeoutMs` for some (0: do not wait).
    void poll(std::int64_t timeoutMs);
    /// Makes a blocked poll() return now. Safe from any thread.
    void wakeup();
    /// Closes one connection (it is not reported as disconnected), or all of them.
    void close(const std::string& id);
    void close();

    const std::vector<std::string>& connected() const;
    const std::vector<NetworkSend>& completedSends() const;
    const std::vector<NetworkReceive>& completedReceives() const;
    const std::vector<std::string>& disconnected() const;

    /// Connected and able to take a send now.
    bool isChannelReady(const std::string& id) const;
    bool isConnected(const std::string& id) const;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kafka::common::network
