//@ ch14
#pragma once

// A tiny TCP server on 127.0.0.1, on a port the OS picks, for the network chapters' tests: each
// connection it accepts runs a session (a function given the socket) on a thread of its own,
// which must end once its client has gone away (or earlier).
// Plain blocking Asio: the tests' servers are simple on purpose. Also a helper that polls a
// Selector until a condition holds, collecting what each poll reported.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "kafka/common/network/Selector.h"
#include "kafka/common/utils/ByteUtils.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::test {

namespace asio = boost::asio;
using asio::ip::tcp;

class LoopbackServer {
public:
    using Session = std::function<void(tcp::socket&)>;

    explicit LoopbackServer(Session session)
        : session_(std::move(session)),
          acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        acceptThread_ = std::thread([this] { acceptLoop(); });
    }

    ~LoopbackServer() {
        stopping_ = true;
        // A blocked accept() only returns for a connection: make one.
        try {
            asio::io_context io;
            tcp::socket poke(io);
            poke.connect(acceptor_.local_endpoint());
        } catch (...) {
        }
        acceptThread_.join();
        // Each session ends by itself when its client goes away: a test destroys its client
        // (declared after the server) first. The socket belongs to the session's thread alone.
        std::lock_guard lock(mutex_);
        for (auto& [socket, thread] : sessions_) thread.join();
    }

    int port() const { return acceptor_.local_endpoint().port(); }

    /// Reads frames and writes each one back, until the client goes away.
    static void echoFrames(tcp::socket& socket) {
        try {
            for (;;) {
                common::utils::Bytes size(4);
                asio::read(socket, asio::buffer(size));
                common::utils::Bytes payload(static_cast<std::size_t>(
                    common::utils::ByteUtils::readBigEndian<std::int32_t>(size, 0)));
                asio::read(socket, asio::buffer(payload));
                size.insert(size.end(), payload.begin(), payload.end());
                asio::write(socket, asio::buffer(size));
            }
        } catch (const std::exception&) {  // the client closed: the session ends
        }
    }

    /// [int32 size][payload], as on the wire.
    static common::utils::Bytes frame(const std::string& payload) {
        common::utils::Bytes bytes(4 + payload.size());
        common::utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(bytes), 0,
                                                 static_cast<std::int32_t>(payload.size()));
        std::copy(payload.begin(), payload.end(), bytes.begin() + 4);
        return bytes;
    }

private:
    void acceptLoop() {
        for (;;) {
            auto socket = std::make_unique<tcp::socket>(io_);
            boost::system::error_code error;
            acceptor_.accept(*socket, error);
            if (stopping_ || error) return;
            socket->set_option(tcp::no_delay(true));
            std::lock_guard lock(mutex_);
            tcp::socket& ref = *socket;
            sessions_.emplace_back(std::move(socket), std::thread([this, &ref] { session_(ref); }));
        }
    }

    Session session_;
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    std::thread acceptThread_;
    std::mutex mutex_;
    std::vector<std::pair<std::unique_ptr<tcp::socket>, std::thread>> sessions_;
};

/// What a selector reported over several polls.
struct Seen {
    std::vector<std::string> connected;
    std::vector<std::string> disconnected;
    std::vector<std::pair<std::string, std::string>> receives;  // (connection, payload)
    int completedSends = 0;
};

/// Polls until `done(seen)` holds or ten seconds pass (the bound turns a bug into a failure,
/// not a hang). Returns whether it held.
inline bool pollUntil(common::network::Selector& selector, Seen& seen,
                      const std::function<bool(const Seen&)>& done) {
    const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done(seen)) {
        if (std::chrono::steady_clock::now() > giveUp) return false;
        selector.poll(100);
        for (const auto& id : selector.connected()) seen.connected.push_back(id);
        for (const auto& id : selector.disconnected()) seen.disconnected.push_back(id);
        for (const auto& receive : selector.completedReceives())
            seen.receives.emplace_back(receive.source(),
                                       common::utils::toString(receive.payload()));
        seen.completedSends += static_cast<int>(selector.completedSends().size());
    }
    return true;
}

}  // namespace kafka::test
