//@ ch27
#pragma once

// A blocking test client for our broker's network front end: plain POSIX sockets, every wait
// bounded, so that a broker that misbehaves fails a test instead of hanging it.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
//> ch30
#include <memory>

#include "kafka/common/protocol/Readable.h"
//< ch30
//> ch29
#include "kafka/common/protocol/ApiKeys.h"
#include "kafka/common/protocol/Writable.h"
#include "kafka/common/requests/AbstractRequest.h"
#include "kafka/common/requests/RequestHeader.h"
//< ch29
#include "kafka/common/utils/Bytes.h"

namespace kafka::test {

class BrokerClient {
public:
    /// Connects to 127.0.0.1:port, from `localPort` if it is not 0 (a port an earlier
    /// client used: the same remote address again, as a NAT or a restarted client gives).
    explicit BrokerClient(int port, int localPort = 0)
        : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
        if (socket_ < 0) throw std::runtime_error("socket() failed");
        if (localPort != 0) bindTo(localPort);
        const sockaddr_in address = loopback(port);
        if (::connect(socket_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
            ::close(socket_);
            throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
        }
        const int on = 1;
        ::setsockopt(socket_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    ~BrokerClient() { close(); }
    BrokerClient(const BrokerClient&) = delete;
    BrokerClient& operator=(const BrokerClient&) = delete;

    void close() {
        if (socket_ >= 0) ::close(socket_);
        socket_ = -1;
    }

    /// Closes with a reset (SO_LINGER 0): no TIME_WAIT, so the local port is free at once.
    void abort() {
        const linger reset{1, 0};
        ::setsockopt(socket_, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        close();
    }

    /// The local port of this client's connection.
    int localPort() const {
        sockaddr_in address{};
        socklen_t length = sizeof address;
        ::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length);
        return ntohs(address.sin_port);
    }

    /// Writes every byte (or throws: the broker closed the connection).
    void sendRaw(std::span<const std::uint8_t> bytes) {
        while (!bytes.empty()) {
            const auto n = ::send(socket_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0) throw std::runtime_error("send failed: the connection is closed");
            bytes = bytes.subspan(static_cast<std::size_t>(n));
        }
    }

    /// The 4-byte big-endian size, then `payload`.
    static common::utils::Bytes frame(std::span<const std::uint8_t> payload) {
        common::utils::Bytes framed;
        const auto size = static_cast<std::uint32_t>(payload.size());
        for (int shift = 24; shift >= 0; shift -= 8)
            framed.push_back(static_cast<std::uint8_t>(size >> shift));
        framed.insert(framed.end(), payload.begin(), payload.end());
        return framed;
    }

    //> ch29
    /// A request frame: header v1, then the body in `version`.
    static common::utils::Bytes requestFrame(common::protocol::ApiKeys api, std::int16_t version,
                                             std::int32_t correlationId,
                                             const common::requests::AbstractRequest& body) {
        common::utils::Bytes payload;
        common::protocol::Writable out(payload);
        common::requests::RequestHeader{api, version, correlationId, "broker-test"}.write(out);
        body.write(out, version);
        return frame(payload);
    }

    void send(common::protocol::ApiKeys api, std::int16_t version, std::int32_t correlationId,
              const common::requests::AbstractRequest& body) {
        sendRaw(requestFrame(api, version, correlationId, body));
    }
    //< ch29

    /// The next frame's payload, or nothing if the connection closed or `timeout` passed.
    std::optional<common::utils::Bytes> readFrame(
        std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        const auto giveUp = std::chrono::steady_clock::now() + timeout;
        std::uint8_t size[4];
        if (!readExactly(size, giveUp)) return std::nullopt;
        const std::uint32_t length = std::uint32_t{size[0]} << 24 | std::uint32_t{size[1]} << 16 |
                                     std::uint32_t{size[2]} << 8 | size[3];
        common::utils::Bytes payload(length);
        if (!readExactly(payload, giveUp)) return std::nullopt;
        return payload;
    }

    //> ch30 call
    /// Sends `body` as the next request and parses the answer with `Response::parse`; null if
    /// the broker closed the connection instead. Throws if the answer is to another request or
    /// is not read to its last byte: a test should never pass on half a parse.
    template <typename Response>
    std::shared_ptr<const Response> call(common::protocol::ApiKeys api, std::int16_t version,
                                         const common::requests::AbstractRequest& body) {
        send(api, version, ++lastCorrelationId_, body);
        const auto answer = readFrame();
        if (!answer) return nullptr;
        common::protocol::Readable in(*answer, "response");
        if (in.readInt32() != lastCorrelationId_)
            throw std::runtime_error("the answer is not to the request just sent");
        auto response = Response::parse(in, version);
        if (in.remaining() != 0)
            throw std::runtime_error(std::to_string(in.remaining()) +
                                     " bytes of the answer were not read");
        return response;
    }
    //< ch30 call

    /// Whether the broker closes the connection within `timeout` (bytes it sends meanwhile
    /// are read and dropped).
    bool closedByPeer(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        const auto giveUp = std::chrono::steady_clock::now() + timeout;
        std::uint8_t buffer[4096];
        while (waitReadable(giveUp)) {
            const auto n = ::recv(socket_, buffer, sizeof buffer, 0);
            if (n <= 0) return true;
        }
        return false;
    }

    /// Whether any byte arrives within `timeout`.
    bool receivesWithin(std::chrono::milliseconds timeout) {
        return waitReadable(std::chrono::steady_clock::now() + timeout);
    }

private:
    //> ch30
    std::int32_t lastCorrelationId_ = 0;
    //< ch30
    static sockaddr_in loopback(int port) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return address;
    }

    void bindTo(int localPort) {
        const int on = 1;
        ::setsockopt(socket_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        const sockaddr_in local = loopback(localPort);
        if (::bind(socket_, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
            ::close(socket_);
            throw std::runtime_error("cannot bind to 127.0.0.1:" + std::to_string(localPort));
        }
    }

    bool waitReadable(std::chrono::steady_clock::time_point giveUp) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            giveUp - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd descriptor{socket_, POLLIN, 0};
        return ::poll(&descriptor, 1, static_cast<int>(left.count())) > 0;
    }

    bool readExactly(std::span<std::uint8_t> into, std::chrono::steady_clock::time_point giveUp) {
        while (!into.empty()) {
            if (!waitReadable(giveUp)) return false;
            const auto n = ::recv(socket_, into.data(), into.size(), 0);
            if (n <= 0) return false;
            into = into.subspan(static_cast<std::size_t>(n));
        }
        return true;
    }

    int socket_;
};

}  // namespace kafka::test
