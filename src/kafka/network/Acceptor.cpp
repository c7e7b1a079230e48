//@ ch27
#include "kafka/network/Acceptor.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <utility>

// The second of the broker's two files that include Asio: the Selector holds the other.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/KafkaThread.h"
#include "kafka/common/utils/LogContext.h"

namespace kafka::network {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// The connection's addresses, "localIp:localPort-remoteIp:remotePort", readable in a log: the
// first part of Kafka's connection id, to which the Processor adds an index (chapter 28).
std::string connectionIdOf(const tcp::socket& socket) {
    error_code ignored;
    const auto local = socket.local_endpoint(ignored);
    const auto remote = socket.remote_endpoint(ignored);
    return local.address().to_string() + ":" + std::to_string(local.port()) + "-" +
           remote.address().to_string() + ":" + std::to_string(remote.port());
}

}  // namespace

class Acceptor::Impl {
public:
    Impl(const std::string& host, int port, std::vector<std::shared_ptr<Processor>> processors,
         const common::utils::LogContext& logContext)
        : processors_(std::move(processors)), log_(logContext.logger("Acceptor")) {
        if (processors_.empty())
            throw common::errors::IllegalArgumentException("An acceptor needs processors");
        openServerSocket(host, port);
    }

    ~Impl() { shutdown(); }

    void start() {
        accept();
        thread_ = std::make_unique<common::utils::KafkaThread>(
            "kafka-socket-acceptor-PLAINTEXT-" + std::to_string(boundPort_), [this] { io_.run(); });
    }

    void shutdown() {
        if (!thread_) return;
        // An Acceptor waiting for a Processor's room must not wait for ever.
        for (const auto& processor : processors_) processor->stopAccepting();
        asio::post(io_, [this] {
            error_code ignored;
            acceptor_.close(ignored);  // the pending accept completes as aborted
            retryTimer_.cancel();
        });
        thread_->join();
        thread_.reset();
    }

    int boundPort() const { return boundPort_; }

private:
    //> ch27 open-server-socket
    void openServerSocket(const std::string& host, int port) {
        const std::string where = (host.empty() ? "0.0.0.0" : host) + ":" + std::to_string(port);
        try {
            const auto address =
                host.empty() ? asio::ip::address_v4::any() : asio::ip::make_address(host);
            const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
            acceptor_.open(endpoint.protocol());
            // A restarted broker must not wait out the old sockets' TIME_WAIT to bind again.
            acceptor_.set_option(tcp::acceptor::reuse_address(true));
            acceptor_.bind(endpoint);
            acceptor_.listen();
            boundPort_ = acceptor_.local_endpoint().port();
        } catch (const boost::system::system_error& e) {
            throw common::errors::KafkaException("Socket server failed to bind to " + where + ": " +
                                                 e.code().message());
        }
    }
    //< ch27 open-server-socket

    //> ch27 accept
    void accept() {
        acceptor_.async_accept([this](const error_code& error, tcp::socket socket) {
            if (error == asio::error::operation_aborted || !acceptor_.is_open())
                return;  // shutting down
            if (error) {
                // Out of file descriptors (EMFILE), most likely: trying again at once would
                // spin, a log line each time, until a connection closes somewhere.
                log_.error("Error accepting a connection: {}", error.message());
                return acceptAfter(std::chrono::milliseconds(100));
            } else {
                configure(socket);
                const std::string id = connectionIdOf(socket);
                error_code released;
                const int nativeSocket = socket.release(released);
                if (released) {
                    // An exception here would end the acceptor's thread: log, and go on.
                    log_.error("Could not hand over connection {}: {}", id, released.message());
                } else if (!assignNewConnection(id, nativeSocket)) {
                    ::close(nativeSocket);  // shutting down: no Processor takes it
                }
            }
            accept();
        });
    }

    void acceptAfter(std::chrono::milliseconds backoff) {
        retryTimer_.expires_after(backoff);
        retryTimer_.async_wait([this](const error_code& error) {
            if (!error && acceptor_.is_open()) accept();
        });
    }

    // Round robin: the Nth connection goes to processor (N-1) mod n, unless 20 connections
    // wait for it already; then to the next one that has room. When none has, the Acceptor
    // waits for room at the last one it tried, and accepts nothing meanwhile: new clients
    // wait in the kernel's backlog (Kafka's assignNewConnection).
    bool assignNewConnection(const std::string& addresses, int nativeSocket) {
        for (std::size_t triesLeft = processors_.size(); triesLeft > 0; --triesLeft) {
            auto& processor = *processors_[current_];
            current_ = (current_ + 1) % processors_.size();
            if (processor.accept(addresses, nativeSocket, /*mayBlock=*/triesLeft == 1))
                return true;  // the processor owns it from here
        }
        return false;
    }

    static void configure(tcp::socket& socket) {
        error_code ignored;  // an option that cannot be set is not worth losing the client
        socket.set_option(tcp::no_delay(true), ignored);
        socket.set_option(asio::socket_base::keep_alive(true), ignored);
    }
    //< ch27 accept

    asio::io_context io_;
    tcp::acceptor acceptor_{io_};
    asio::steady_timer retryTimer_{io_};
    int boundPort_ = 0;
    std::vector<std::shared_ptr<Processor>> processors_;
    std::size_t current_ = 0;
    const common::utils::Logger log_;
    std::unique_ptr<common::utils::KafkaThread> thread_;
};

Acceptor::Acceptor(const std::string& host, int port,
                   std::vector<std::shared_ptr<Processor>> processors,
                   const common::utils::LogContext& logContext)
    : impl_(std::make_unique<Impl>(host, port, std::move(processors), logContext)) {}
Acceptor::~Acceptor() = default;
void Acceptor::start() {
    impl_->start();
}
void Acceptor::shutdown() {
    impl_->shutdown();
}
int Acceptor::boundPort() const {
    return impl_->boundPort();
}

}  // namespace kafka::network
