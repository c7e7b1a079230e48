//@ ch14
#include "kafka/common/network/Selector.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
//> ch20
#include <deque>
//< ch20
#include <list>
#include <map>
#include <new>
#include <utility>

// Only the parts of Asio the selector uses: with the transport layer, the one file of the
// library that needs it.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/network/InvalidReceiveException.h"
#include "kafka/common/network/KafkaChannel.h"
#include "kafka/common/network/PlaintextTransportLayer.h"
#include "kafka/common/utils/LogContext.h"

namespace kafka::common::network {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// One connection: its transport (the socket) and its framing. Handlers hold it by shared_ptr, so a
// closed connection lives until its last aborted operation has been seen.
struct Connection {
    Connection(asio::io_context& io, const std::string& id, std::int32_t maxReceiveSize)
        : transport(io), channel(id, maxReceiveSize) {}

    using Clock = std::chrono::steady_clock;

    PlaintextTransportLayer transport;
    KafkaChannel channel;
    bool connected = false;
    bool closed = false;
    //> ch28
    bool accepted = false;  // the broker's side of the connection
    //< ch28
    //> ch20
    bool reading = false;               // a read is outstanding
    std::deque<NetworkReceive> staged;  // frames read, not handed out yet
    //< ch20
    //> ch29
    bool muted = false;
    //< ch29
    //> ch16
    Clock::time_point lastActivity = Clock::now();
    std::list<std::string>::iterator leastRecentlyUsed;  // its place in the idle order
    //< ch16
    std::array<std::uint8_t, 64 * 1024> readBuffer{};
};

}  // namespace

//> ch14 selector-impl
// Java NIO's selector waits until registered channels are ready, and the caller then does the
// reads and writes. Asio's io_context is a proactor: the operations are started first and
// their completions wait to be run. Kafka's readiness model maps onto it so:
//   register OP_CONNECT + finishConnect()   async_connect, completion = connected or refused
//   OP_READ + channel.read()                an async_read_some always outstanding; each
//                                           completion feeds the bytes to the KafkaChannel
//   OP_WRITE + channel.write()              async_write_some while a send has bytes left
//   select(timeout)                         run_one_for(timeout), then poll() the rest
//   selector.wakeup()                       post() an empty handler
// The socket operations themselves are the transport layer's (PlaintextTransportLayer.h).
class Selector::Impl {
public:
    explicit Impl(Settings settings) : settings_(settings) {}

    ~Impl() {
        closeAll();
        // Let the aborted operations complete, so that their handlers let go of the sockets
        // before the io_context goes away.
        io_.restart();
        io_.poll();
    }

    void connect(const std::string& id, const std::string& host, int port) {
        if (connections_.contains(id))
            throw errors::IllegalStateException("There is already a connection for id " + id);
        error_code resolveError;
        const auto endpoints = tcp::resolver(io_).resolve(host, std::to_string(port), resolveError);
        if (resolveError)
            throw errors::KafkaException("Can't resolve address: " + host + ":" +
                                         std::to_string(port) + " (" + resolveError.message() +
                                         ")");
        auto connection = std::make_shared<Connection>(io_, id, settings_.maxReceiveSize);
        add(connection);
        /*> ch14-16 socket-buffers-14
        const PlaintextTransportLayer::SocketBuffers buffers;  // the system's
        */
        //> ch16
        const PlaintextTransportLayer::SocketBuffers buffers{settings_.sendBufferBytes,
                                                             settings_.receiveBufferBytes};
        //< ch16
        connection->transport.connect(endpoints, buffers,
                                      [this, connection](const error_code& error) {
                                          if (connection->closed) return;
                                          if (error) return fail(*connection, error.message());
                                          connection->connected = true;
                                          connected_.push_back(connection->channel.id());
                                          startRead(connection);
                                      });
    }

    //> ch28
    void registerSocket(const std::string& id, int nativeSocket) {
        if (connections_.contains(id))
            throw errors::IllegalStateException("There is already a connection for id " + id);
        auto connection = std::make_shared<Connection>(io_, id, settings_.maxReceiveSize);
        connection->transport.assign(nativeSocket);
        connection->connected = true;
        connection->accepted = true;
        add(connection);
        startRead(connection);
    }
    //< ch28

    void send(NetworkSend send) {
        const auto it = connections_.find(send.destination());
        if (it == connections_.end() || !it->second->connected)
            throw errors::IllegalStateException("Attempt to send to connection " +
                                                send.destination() + ", which is not connected");
        it->second->channel.setSend(std::move(send));  // one at a time, or it throws
        startWrite(it->second);
    }

    void poll(std::int64_t timeoutMs) {
        connected_.clear();
        completedSends_.clear();
        completedReceives_.clear();
        disconnected_.clear();
        // "Forever" in steps of a day, as a duration that long would overflow the clock.
        constexpr std::int64_t kLongestWaitMs = 24LL * 60 * 60 * 1000;
        //> ch20
        if (hasDeliverableReceives()) timeoutMs = 0;  // something to hand out already
        //< ch20
        if (timeoutMs > 0)
            io_.run_one_for(std::chrono::milliseconds(std::min(timeoutMs, kLongestWaitMs)));
        io_.poll();  // and whatever else is ready by now
        //> ch20
        addToCompletedReceives();
        //< ch20
        //> ch16
        maybeCloseOldestConnection();
        //< ch16
    }

    //> ch29 mute
    void mute(const std::string& id) {
        const auto it = connections_.find(id);
        if (it != connections_.end()) it->second->muted = true;
    }

    void unmute(const std::string& id) {
        const auto it = connections_.find(id);
        if (it == connections_.end()) return;
        it->second->muted = false;
        resumeReading(it->second);
    }

    bool isMuted(const std::string& id) const {
        const auto it = connections_.find(id);
        return it != connections_.end() && it->second->muted;
    }
    //< ch29 mute

    //> ch14 wakeup
    void wakeup() {
        // One wakeup is enough until the poll it wakes has run it, as Java's selector writes
        // its wake-up pipe once however often wakeup() is called before the next select.
        // send() calls this for every record while its partition has a full batch waiting:
        // a handler posted each time was an allocation and a lock per record.
        if (wakeupPending_.exchange(true, std::memory_order_acq_rel)) return;
        asio::post(io_, [this] { wakeupPending_.store(false, std::memory_order_release); });
    }
    //< ch14 wakeup

    void close(const std::string& id) {
        const auto it = connections_.find(id);
        if (it != connections_.end()) closeConnection(*it->second);
    }

    void closeAll() {
        while (!connections_.empty()) closeConnection(*connections_.begin()->second);
    }

    bool isConnected(const std::string& id) const {
        const auto it = connections_.find(id);
        return it != connections_.end() && it->second->connected;
    }

    //> ch28
    std::size_t connectionCount() const { return connections_.size(); }
    //< ch28

    bool isChannelReady(const std::string& id) const {
        const auto it = connections_.find(id);
        return it != connections_.end() && it->second->connected && !it->second->channel.hasSend();
    }

    std::vector<std::string> connected_;
    std::vector<NetworkSend> completedSends_;
    std::vector<NetworkReceive> completedReceives_;
    std::vector<std::string> disconnected_;

private:
    //> ch14 selector-read
    void startRead(const std::shared_ptr<Connection>& connection) {
        connection->transport.read(
            connection->readBuffer, [this, connection](const error_code& error, std::size_t n) {
                if (connection->closed) return;
                //> ch28
                // A client hanging up is how a broker's connections usually end: no news.
                if (connection->accepted && error == asio::error::eof)
                    return disconnect(*connection);
                //< ch28
                if (error) return fail(*connection, error.message());  // EOF or reset
                //> ch16
                touch(*connection);
                //< ch16
                try {
                    // One read may complete several frames (chapter 18) or none (chapter 19).
                    for (auto& receive :
                         connection->channel.read(std::span(connection->readBuffer.data(), n)))
                        /*> ch14-20 deliver-at-once
                        completedReceives_.push_back(std::move(receive));
                        */
                        //> ch20 stage
                        connection->staged.push_back(std::move(receive));
                    //< ch20 stage
                } catch (const InvalidReceiveException& e) {
                    // Bad framing: only this connection is lost.
                    return fail(*connection, e.what());
                } catch (const std::bad_alloc&) {
                    // No memory for the frame it announced: this connection goes, not the
                    // thread that serves all the others.
                    return fail(*connection, "out of memory for its frame");
                }
                /*> ch14-20 read-on
                startRead(connection);
                */
                //> ch20 read-on
                connection->reading = false;
                resumeReading(connection);
                //< ch20 read-on
            });
        //> ch20
        connection->reading = true;
        //< ch20
    }
    //< ch14 selector-read

    //> ch20 staged-receives
    // A connection is read again only when nothing of it is staged (and, from chapter 29, it
    // is not muted): the rest of what its peer sent waits in the socket's buffer.
    void resumeReading(const std::shared_ptr<Connection>& connection) {
        /*> ch20-29 resume-unless-staged
        if (!connection->reading && connection->staged.empty()) startRead(connection);
        */
        //> ch29 resume-unless-muted
        if (!connection->reading && !connection->muted && connection->staged.empty())
            startRead(connection);
        //< ch29 resume-unless-muted
    }

    // At most one frame per connection per poll (none from a muted one, chapter 29): a broker
    // that mutes a connection on each request it takes then never holds two of its requests.
    void addToCompletedReceives() {
        for (auto& [id, connection] : connections_) {
            /*> ch20-29 skip-unstaged
            if (connection->staged.empty()) continue;
            */
            //> ch29 skip-muted
            if (connection->muted || connection->staged.empty()) continue;
            //< ch29 skip-muted
            completedReceives_.push_back(std::move(connection->staged.front()));
            connection->staged.pop_front();
            resumeReading(connection);
        }
    }

    bool hasDeliverableReceives() const {
        return std::any_of(connections_.begin(), connections_.end(), [](const auto& entry) {
            /*> ch20-29 deliverable-if-staged
            return !entry.second->staged.empty();
            */
            //> ch29 deliverable-unless-muted
            return !entry.second->muted && !entry.second->staged.empty();
            //< ch29 deliverable-unless-muted
        });
    }
    //< ch20 staged-receives

    void startWrite(const std::shared_ptr<Connection>& connection) {
        // Every buffer left, in one gathering write: the kernel takes what fits.
        connection->transport.write(
            connection->channel.currentSend().remaining(),
            [this, connection](const error_code& error, std::size_t n) {
                if (connection->closed) return;
                if (error) return fail(*connection, error.message());
                //> ch16
                touch(*connection);
                //< ch16
                NetworkSend& send = connection->channel.currentSend();
                send.written(n);
                if (send.completed())
                    completedSends_.push_back(connection->channel.completeSend());
                else
                    startWrite(connection);
            });
    }

    void fail(Connection& connection, const std::string& why) {
        // The layer above says what a lost connection means (NetworkClient, Processor); here
        // it is a detail, for DEBUG.
        log_.debug("Connection with {} disconnected: {}", connection.channel.id(), why);
        disconnect(connection);
    }

    void disconnect(Connection& connection) {
        const std::string id = connection.channel.id();
        closeConnection(connection);
        disconnected_.push_back(id);
    }

    void closeConnection(Connection& connection) {
        connection.closed = true;
        connection.transport.close();  // pending operations complete as aborted
        //> ch16
        idleOrder_.erase(connection.leastRecentlyUsed);
        //< ch16
        connections_.erase(connection.channel.id());
    }

    void add(const std::shared_ptr<Connection>& connection) {
        connections_.emplace(connection->channel.id(), connection);
        //> ch16
        connection->leastRecentlyUsed =
            idleOrder_.insert(idleOrder_.end(), connection->channel.id());
        //< ch16
    }

    //> ch16 idle-expiry
    // Kafka's IdleExpiryManager: connections in the order of their last traffic, the
    // quietest first, so that finding one idle too long costs nothing.
    void touch(Connection& connection) {
        connection.lastActivity = Connection::Clock::now();
        idleOrder_.splice(idleOrder_.end(), idleOrder_, connection.leastRecentlyUsed);
    }

    // At most one connection per poll, as Kafka closes them: the quietest, if it has been
    // quiet for longer than connections.max.idle.ms. A client that vanished without a word,
    // or stopped in the middle of a frame, lets go of its socket and memory here.
    void maybeCloseOldestConnection() {
        if (settings_.connectionMaxIdleMs < 0 || idleOrder_.empty()) return;
        const auto& oldest = connections_.at(idleOrder_.front());
        const auto idleFor = Connection::Clock::now() - oldest->lastActivity;
        if (idleFor < std::chrono::milliseconds(settings_.connectionMaxIdleMs)) return;
        log_.debug("Closing connection {}: idle for more than {} ms", oldest->channel.id(),
                   settings_.connectionMaxIdleMs);
        disconnect(*oldest);
    }
    //< ch16 idle-expiry

    asio::io_context io_;
    std::atomic<bool> wakeupPending_{false};  // a wakeup handler is posted and has not run
    // Keeps run_one_for() waiting out its timeout when nothing is pending, as select() does.
    asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
    const Settings settings_;
    const utils::Logger log_ = utils::LogContext().logger("Selector");
    std::map<std::string, std::shared_ptr<Connection>> connections_;
    //> ch16
    std::list<std::string> idleOrder_;  // connection ids, the least recently active first
    //< ch16
};
//< ch14 selector-impl

Selector::Selector() : Selector(Settings{}) {}
Selector::Selector(Settings settings) : impl_(std::make_unique<Impl>(settings)) {}
Selector::~Selector() = default;

void Selector::connect(const std::string& id, const std::string& host, int port) {
    impl_->connect(id, host, port);
}
//> ch28
void Selector::registerSocket(const std::string& id, int nativeSocket) {
    impl_->registerSocket(id, nativeSocket);
}
std::size_t Selector::connectionCount() const {
    return impl_->connectionCount();
}
//< ch28
//> ch29
void Selector::mute(const std::string& id) {
    impl_->mute(id);
}
void Selector::unmute(const std::string& id) {
    impl_->unmute(id);
}
bool Selector::isMuted(const std::string& id) const {
    return impl_->isMuted(id);
}
//< ch29
void Selector::send(NetworkSend send) {
    impl_->send(std::move(send));
}
void Selector::poll(std::int64_t timeoutMs) {
    impl_->poll(timeoutMs);
}
void Selector::wakeup() {
    impl_->wakeup();
}
void Selector::close(const std::string& id) {
    impl_->close(id);
}
void Selector::close() {
    impl_->closeAll();
}
const std::vector<std::string>& Selector::connected() const {
    return impl_->connected_;
}
const std::vector<NetworkSend>& Selector::completedSends() const {
    return impl_->completedSends_;
}
const std::vector<NetworkReceive>& Selector::completedReceives() const {
    return impl_->completedReceives_;
}
std::vector<NetworkReceive>& Selector::completedReceives() {
    return impl_->completedReceives_;
}
const std::vector<std::string>& Selector::disconnected() const {
    return impl_->disconnected_;
}
bool Selector::isChannelReady(const std::string& id) const {
    return impl_->isChannelReady(id);
}
bool Selector::isConnected(const std::string& id) const {
    return impl_->isConnected(id);
}

}  // namespace kafka::common::network
