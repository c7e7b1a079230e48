//@ ch36
#pragma once

// A man in the middle for chapter 36's lost answer: a TCP proxy on loopback, in front of one
// broker, that reads the Kafka frames going through it and can swallow the answer to a Produce
// request the broker has already stored, closing the connection instead. To the producer this
// is exactly a lost answer: the request went out, the connection broke, nothing came back, so
// it sends the batch again. Without sequence numbers checked by the broker, that is a copy.
//
// Why frames, not bytes: a broker advertises its own host:port in every Metadata answer, and a
// client connects to the address it was told. A proxy that forwards bytes blindly would see the
// bootstrap request and nothing after it. This one rewrites each broker of each Metadata answer
// to its own address, so that every later connection comes through it too. It also keeps, per
// connection, which API each correlation id was for: an answer names only its correlation id.
//
// One broker behind one proxy: every broker of a Metadata answer becomes this proxy, which
// forwards to the broker it was given. That is right for our single-node broker; a cluster of
// several would need one proxy per broker.
//
// Threads: one, running an Asio io_context; every connection's state lives on it. The test's
// thread only touches the atomic counters. The destructor closes everything on that thread and
// joins it.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "kafka/common/Node.h"
#include "kafka/common/protocol/ApiKeys.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"
#include "kafka/common/requests/MetadataResponse.h"
#include "kafka/common/utils/ByteUtils.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::test {

namespace asio = boost::asio;

class FaultyProxy {
public:
    /// Listens on 127.0.0.1, on a port the OS picks, and forwards each connection to
    /// brokerHost:brokerPort.
    explicit FaultyProxy(int brokerPort, std::string brokerHost = "127.0.0.1")
        : broker_(asio::ip::make_address(brokerHost), static_cast<std::uint16_t>(brokerPort)),
          acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          port_(acceptor_.local_endpoint().port()) {
        accept();
        thread_ = std::thread([this] { io_.run(); });
    }

    /// Closes the listener and every connection on the proxy's thread, then waits for it: once
    /// nothing is left to wait for, run() returns. No connection outlives the proxy.
    ~FaultyProxy() {
        asio::post(io_, [this] {
            boost::system::error_code ignored;
            acceptor_.close(ignored);
            for (auto& weak : connections_)
                if (auto connection = weak.lock()) connection->close();
        });
        thread_.join();
    }

    FaultyProxy(const FaultyProxy&) = delete;
    FaultyProxy& operator=(const FaultyProxy&) = delete;

    int port() const { return port_; }
    /// What a client is given as bootstrap.servers.
    std::string bootstrapServers() const { return "127.0.0.1:" + std::to_string(port_); }

    /// The answer to the next Produce request that comes through (any connection) will not
    /// reach its client: the proxy waits for it (the broker has then stored the batch), drops
    /// it and closes that connection, both sides. Requests already sent are not affected.
    void dropNextProduceResponse() { dropProduceResponses(1); }
    /// The same for each of the next `n` Produce requests.
    void dropProduceResponses(int n) { pendingDrops_ += n; }

    /// How many Produce answers were withheld so far.
    int droppedResponses() const { return dropped_.load(); }
    /// How many Metadata answers now point at the proxy: at least one, if the client used it.
    int rewrittenMetadataResponses() const { return rewritten_.load(); }
    /// How many client connections the proxy accepted.
    int acceptedConnections() const { return accepted_.load(); }

private:
    using tcp = boost::asio::ip::tcp;
    // A frame larger than this is garbage (a size field read from the middle of something).
    static constexpr std::int32_t kMaxFrameSize = 100 * 1024 * 1024;

    /// One client connection and the broker connection made for it. Two pumps, one a
    /// direction, each reading a whole frame, looking at it and writing it on before reading
    /// the next; all on the proxy's one thread, so the shared state needs no lock.
    class Connection : public std::enable_shared_from_this<Connection> {
    public:
        Connection(FaultyProxy& proxy, tcp::socket client)
            : proxy_(proxy), client_(std::move(client)), broker_(proxy.io_) {}

        void start() {
            broker_.async_connect(proxy_.broker_,
                                  [self = shared_from_this()](boost::system::error_code error) {
                                      if (error || self->closed_) return self->close();
                                      self->setNoDelay();
                                      self->pump(self->requests_);
                                      self->pump(self->responses_);
                                  });
        }

        /// Ends both sides. The pending reads and writes finish with an error and stop; the
        /// last handler to hold this connection frees it.
        void close() {
            closed_ = true;
            boost::system::error_code ignored;
            client_.close(ignored);
            broker_.close(ignored);
        }

    private:
        // One direction: where frames come from, where they go, and the frame in between
        // (kept here because an asynchronous write needs its bytes alive until it completes).
        struct Direction {
            explicit Direction(bool towardsBroker) : towardsBroker(towardsBroker) {}
            bool towardsBroker;
            std::uint8_t size[4]{};
            common::utils::Bytes frame;  // the size, then the payload
        };

        tcp::socket& from(const Direction& d) { return d.towardsBroker ? client_ : broker_; }
        tcp::socket& to(const Direction& d) { return d.towardsBroker ? broker_ : client_; }

        void setNoDelay() {
            boost::system::error_code ignored;
            client_.set_option(tcp::no_delay(true), ignored);
            broker_.set_option(tcp::no_delay(true), ignored);
        }

        // Read a size, then that many bytes. A peer that goes away, even mid-frame, ends
        // the read with an error: the connection closes, both sides, and nothing is left
        // half-forwarded.
        void pump(Direction& d) {
            asio::async_read(
                from(d), asio::buffer(d.size),
                [self = shared_from_this(), &d](boost::system::error_code error, std::size_t) {
                    if (error || self->closed_) return self->close();
                    const auto size = common::utils::ByteUtils::readBigEndian<std::int32_t>(
                        std::span<const std::uint8_t>(d.size), 0);
                    if (size < 0 || size > kMaxFrameSize) return self->close();
                    d.frame.assign(std::begin(d.size), std::end(d.size));
                    d.frame.resize(4 + static_cast<std::size_t>(size));
                    asio::async_read(self->from(d),
                                     asio::buffer(d.frame.data() + 4, d.frame.size() - 4),
                                     [self, &d](boost::system::error_code error, std::size_t) {
                                         if (error || self->closed_) return self->close();
                                         self->forward(d);
                                     });
                });
        }

        void forward(Direction& d) {
            const bool keepGoing = d.towardsBroker ? onRequest(d.frame) : onResponse(d.frame);
            if (!keepGoing) return close();
            asio::async_write(
                to(d), asio::buffer(d.frame),
                [self = shared_from_this(), &d](boost::system::error_code error, std::size_t) {
                    if (error || self->closed_) return self->close();
                    self->pump(d);
                });
        }

        // A request header starts with api_key, api_version and correlation_id, in every
        // header version: enough to know what the answer will be.
        bool onRequest(const common::utils::Bytes& frame) {
            if (frame.size() < 4 + 8) return false;
            const std::span<const std::uint8_t> payload(frame.data() + 4, frame.size() - 4);
            using common::utils::ByteUtils;
            const auto api = static_cast<common::protocol::ApiKeys>(
                ByteUtils::readBigEndian<std::int16_t>(payload, 0));
            const auto version = ByteUtils::readBigEndian<std::int16_t>(payload, 2);
            const auto correlationId = ByteUtils::readBigEndian<std::int32_t>(payload, 4);
            asked_[correlationId] = {api, version};
            // Chosen when the request passes, dropped when its answer comes: by then the
            // broker has written the batch, which is the whole point. (acks=0 requests get
            // no answer, so one chosen among them would never be dropped.)
            if (api == common::protocol::ApiKeys::kProduce && proxy_.takeDrop())
                toDrop_.insert(correlationId);
            return true;
        }

        // Every response header starts with the correlation id of its request.
        bool onResponse(common::utils::Bytes& frame) {
            if (frame.size() < 4 + 4) return false;
            const auto correlationId = common::utils::ByteUtils::readBigEndian<std::int32_t>(
                std::span<const std::uint8_t>(frame), 4);
            const auto asked = asked_.find(correlationId);
            if (asked == asked_.end()) return true;  // not ours to judge: pass it on
            const auto [api, version] = asked->second;
            asked_.erase(asked);
            if (toDrop_.erase(correlationId) > 0) {
                ++proxy_.dropped_;
                return false;  // close instead of answering: what a lost answer looks like
            }
            if (api == common::protocol::ApiKeys::kMetadata) return rewriteMetadata(frame, version);
            return true;
        }

        // Each broker of the answer becomes the proxy: same id and rack, the proxy's address.
        // An answer we cannot read closes the connection rather than pass on the broker's
        // real address, which would quietly route the client around the proxy.
        bool rewriteMetadata(common::utils::Bytes& frame, std::int16_t version) {
            using common::requests::MetadataResponse;
            if (version < 0 || version > 8) return false;  // 9+ is flexible: not parsed here
            try {
                common::protocol::Readable in(
                    std::span<const std::uint8_t>(frame.data() + 8, frame.size() - 8),
                    "MetadataResponse v" + std::to_string(version));
                const auto answer = MetadataResponse::parse(in, version);
                std::vector<common::Node> brokers;
                for (const auto& broker : answer->brokers())
                    brokers.emplace_back(broker.id(), "127.0.0.1", proxy_.port_, broker.rack());
                const MetadataResponse rewritten(std::move(brokers), answer->clusterId(),
                                                 answer->controllerId(), answer->topics());
                common::utils::Bytes body;
                common::protocol::Writable out(body);
                rewritten.write(out, version);
                common::utils::Bytes framed;
                common::protocol::Writable header(framed);
                header.writeInt32(static_cast<std::int32_t>(4 + body.size()));
                framed.insert(framed.end(), frame.begin() + 4, frame.begin() + 8);
                framed.insert(framed.end(), body.begin(), body.end());
                frame = std::move(framed);
            } catch (const std::exception&) {
                return false;
            }
            ++proxy_.rewritten_;
            return true;
        }

        FaultyProxy& proxy_;
        tcp::socket client_;
        tcp::socket broker_;
        bool closed_ = false;
        Direction requests_{true};
        Direction responses_{false};
        std::map<std::int32_t, std::pair<common::protocol::ApiKeys, std::int16_t>> asked_;
        std::set<std::int32_t> toDrop_;
    };

    void accept() {
        acceptor_.async_accept([this](boost::system::error_code error, tcp::socket client) {
            if (error) return;  // closed by the destructor
            ++accepted_;
            auto connection = std::make_shared<Connection>(*this, std::move(client));
            std::erase_if(connections_, [](const auto& weak) { return weak.expired(); });
            connections_.push_back(connection);
            connection->start();
            accept();
        });
    }

    /// Takes one pending drop, if there is one.
    bool takeDrop() {
        int pending = pendingDrops_.load();
        while (pending > 0 && !pendingDrops_.compare_exchange_weak(pending, pending - 1)) {
        }
        return pending > 0;
    }

    boost::asio::io_context io_;
    tcp::endpoint broker_;
    tcp::acceptor acceptor_;
    int port_;
    std::vector<std::weak_ptr<Connection>> connections_;  // the proxy's thread only
    std::atomic<int> pendingDrops_{0};
    std::atomic<int> dropped_{0};
    std::atomic<int> rewritten_{0};
    std::atomic<int> accepted_{0};
    std::thread thread_;
};

}  // namespace kafka::test
