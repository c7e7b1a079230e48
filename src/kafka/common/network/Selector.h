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
//> ch20
///
/// Frames read are staged per connection and handed out at most one per connection per poll
/// (0.10's stagedReceives, chapter 20). A connection with a staged frame is not read further,
/// so a peer that pipelines is held back by TCP's own flow control, not by our memory.
//< ch20
//> ch29
/// A muted connection (chapter 29) hands out nothing and is not read.
//< ch29
class Selector {
public:
    struct Settings {
        /// Bounds a received frame (NetworkReceive::kUnlimited: no bound); a larger one
        /// closes its connection.
        std::int32_t maxReceiveSize = NetworkReceive::kUnlimited;
        //> ch16
        /// A connection that has neither sent nor received for this long is closed, and
        /// reported in disconnected() (connections.max.idle.ms; -1: never).
        std::int64_t connectionMaxIdleMs = -1;
        /// SO_SNDBUF and SO_RCVBUF of the sockets connect() opens (send.buffer.bytes and
        /// receive.buffer.bytes; -1: the system's).
        int sendBufferBytes = -1;
        int receiveBufferBytes = -1;
        //< ch16
    };

    Selector();
    explicit Selector(Settings settings);
    ~Selector();
    Selector(const Selector&) = delete;
    Selector& operator=(const Selector&) = delete;

    /// Starts connecting to host:port under connection id `id` (a broker's node id). Returns
    /// at once; the outcome shows in connected() or disconnected() after a later poll. Throws
    /// IllegalStateException if `id` is already in use, KafkaException if the host cannot be
    /// resolved.
    void connect(const std::string& id, const std::string& host, int port);
    //> ch28
    /// Takes over a connected socket (a native handle) under connection id `id`: the
    /// broker's side of connect(). It is read from the next poll on; it is not reported in
    /// connected(). Throws IllegalStateException if `id` is already in use.
    void registerSocket(const std::string& id, int nativeSocket);
    //< ch28
    /// Queues `send` on its destination's connection, which must be connected and have no
    /// send in progress (IllegalStateException otherwise). The bytes go out during poll().
    void send(NetworkSend send);
    /// Does the I/O that is ready, waiting up to `timeoutMs` for some (0: do not wait).
    void poll(std::int64_t timeoutMs);
    /// Makes a blocked poll() return now. Safe from any thread.
    void wakeup();
    //> ch29
    /// Stops handing out this connection's requests (and stops reading it once a request is
    /// waiting): the broker mutes a connection while one of its requests is being handled, so
    /// that its responses go out in order (chapter 29).
    void mute(const std::string& id);
    /// Hands out its requests again, one per poll.
    void unmute(const std::string& id);
    bool isMuted(const std::string& id) const;
    //< ch29
    /// Closes one connection (it is not reported as disconnected), or all of them.
    void close(const std::string& id);
    void close();

    const std::vector<std::string>& connected() const;
    const std::vector<NetworkSend>& completedSends() const;
    const std::vector<NetworkReceive>& completedReceives() const;
    /// The same frames, for a caller that takes their payloads instead of copying them.
    std::vector<NetworkReceive>& completedReceives();
    const std::vector<std::string>& disconnected() const;

    /// Connected and able to take a send now.
    bool isChannelReady(const std::string& id) const;
    bool isConnected(const std::string& id) const;
    //> ch28
    /// How many connections are open (or opening).
    std::size_t connectionCount() const;
    //< ch28

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kafka::common::network
