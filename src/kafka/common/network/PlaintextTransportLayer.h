//@ ch14
#pragma once

// Boost.Asio is included here: only Selector.cpp (and the chapter's test) include this file.
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
//> ch28
#include <sys/socket.h>
//< ch28

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace kafka::common::network {

/// The road a connection's bytes travel (Kafka's TransportLayer, in its plaintext form): a
/// TCP socket, connected without waiting, read and written with operations whose completions
/// the Selector's io_context runs. It knows nothing of frames: the KafkaChannel cuts what it
/// reads into frames, and the Selector decides when to read and write. Kafka's
/// SslTransportLayer sits in the same place, with a TLS engine between the socket and the
/// channel; SASL would be an Authenticator run once the transport is ready.
class PlaintextTransportLayer {
public:
    using ErrorCode = boost::system::error_code;
    using Endpoints = boost::asio::ip::tcp::resolver::results_type;

    /// SO_SNDBUF and SO_RCVBUF for a socket this side opens; -1 leaves the system's.
    struct SocketBuffers {
        int sendBufferBytes = -1;
        int receiveBufferBytes = -1;
    };

    explicit PlaintextTransportLayer(boost::asio::io_context& io) : socket_(io) {}

    /// Starts connecting to the first endpoint that accepts; `handler(error)` runs in the
    /// io_context when it has (Java's OP_CONNECT and finishConnect()).
    //> ch16
    /// `sendBufferBytes` and `receiveBufferBytes` (-1: the system's) are set on the socket
    /// before it connects, as Kafka does: the window the handshake agrees on fits them.
    //< ch16
    template <typename Handler>
    void connect(const Endpoints& endpoints, const SocketBuffers& buffers, Handler handler) {
        connectTo(std::vector<Endpoint>(endpoints.begin(), endpoints.end()), 0, buffers,
                  std::move(handler));
    }
    template <typename Handler>
    void connect(const Endpoints& endpoints, Handler handler) {
        connect(endpoints, SocketBuffers{}, std::move(handler));
    }

    //> ch28
    /// Adopts a socket that is already connected: one the broker's Acceptor accepted on its
    /// own thread and handed over, as a native handle, to this Processor's selector.
    void assign(int nativeSocket) {
        sockaddr_storage address{};
        socklen_t length = sizeof(address);
        ::getsockname(nativeSocket, reinterpret_cast<sockaddr*>(&address), &length);
        socket_.assign(
            address.ss_family == AF_INET6 ? boost::asio::ip::tcp::v6() : boost::asio::ip::tcp::v4(),
            nativeSocket);
    }
    //< ch28

    /// Reads what has arrived, up to the buffer's size: `handler(error, bytesRead)`.
    template <typename Handler>
    void read(std::span<std::uint8_t> buffer, Handler handler) {
        socket_.async_read_some(boost::asio::buffer(buffer.data(), buffer.size()),
                                std::move(handler));
    }

    /// Writes as much of `buffers`, in order, as the socket takes, in one gathering write
    /// (Asio calls sendmsg with an iovec per buffer, Java's GatheringByteChannel.write of a
    /// ByteBuffer[]): `handler(error, bytesWritten)`. The bytes stay where they are; only the
    /// list of them is copied into the operation.
    template <typename Handler>
    void write(const std::vector<std::span<const std::uint8_t>>& buffers, Handler handler) {
        std::vector<boost::asio::const_buffer> sequence;
        sequence.reserve(buffers.size());
        for (const auto& bytes : buffers) sequence.emplace_back(bytes.data(), bytes.size());
        socket_.async_write_some(sequence, std::move(handler));
    }

    /// Closes the socket; its pending operations complete with operation_aborted.
    void close() {
        ErrorCode ignored;
        socket_.close(ignored);
    }

    /// Small requests must not wait for Nagle's algorithm to fill a segment.
    bool noDelay() const {
        boost::asio::ip::tcp::no_delay option;
        ErrorCode ignored;
        socket_.get_option(option, ignored);
        return option.value();
    }

private:
    using Endpoint = boost::asio::ip::tcp::endpoint;

    // One endpoint after the other (a name can resolve to several addresses), each on a
    // socket opened afresh, so that its options are set before it connects.
    template <typename Handler>
    void connectTo(std::vector<Endpoint> candidates, std::size_t index, SocketBuffers buffers,
                   Handler handler) {
        if (index >= candidates.size())
            return completeLater(boost::asio::error::host_not_found, std::move(handler));
        const Endpoint endpoint = candidates[index];
        ErrorCode error;
        socket_.close(error);
        socket_.open(endpoint.protocol(), error);  // EMFILE, for one
        if (error) return completeLater(error, std::move(handler));
        setBufferSizes(buffers);
        socket_.async_connect(
            endpoint, [this, candidates = std::move(candidates), index, buffers,
                       handler = std::move(handler)](const ErrorCode& connectError) mutable {
                const bool anotherToTry = index + 1 < candidates.size();
                if (connectError && connectError != boost::asio::error::operation_aborted &&
                    anotherToTry)
                    return connectTo(std::move(candidates), index + 1, buffers, std::move(handler));
                if (!connectError) finishConnect();
                handler(connectError);
            });
    }

    // A failure found before any I/O is reported as Asio reports every outcome: from the
    // io_context, never inside connect(), where the caller does not expect its handler to run.
    template <typename Handler>
    void completeLater(ErrorCode error, Handler handler) {
        boost::asio::post(socket_.get_executor(),
                          [error, handler = std::move(handler)]() mutable { handler(error); });
    }

    void setBufferSizes(const SocketBuffers& buffers) {
        ErrorCode ignored;  // the system's sizes are not worth losing the connection over
        if (buffers.sendBufferBytes >= 0)
            socket_.set_option(boost::asio::socket_base::send_buffer_size(buffers.sendBufferBytes),
                               ignored);
        if (buffers.receiveBufferBytes >= 0)
            socket_.set_option(
                boost::asio::socket_base::receive_buffer_size(buffers.receiveBufferBytes), ignored);
    }

    void finishConnect() {
        ErrorCode ignored;  // an option that cannot be set is not worth losing the connection
        socket_.set_option(boost::asio::ip::tcp::no_delay(true), ignored);
        socket_.set_option(boost::asio::socket_base::keep_alive(true), ignored);
    }

    boost::asio::ip::tcp::socket socket_;
};

}  // namespace kafka::common::network
