//@ ch27
#include "kafka/network/Processor.h"

#include <unistd.h>

#include <limits>
#include <utility>
//> ch29
#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/network/NetworkSend.h"
#include "kafka/common/protocol/ApiKeys.h"
//< ch29

namespace kafka::network {

Processor::Processor(int id, Settings settings) : id_(id), settings_(std::move(settings)) {}

Processor::~Processor() {
    //> ch28
    shutdown();
    //< ch28
    // Sockets accepted but never taken over by the selector are still ours to close.
    std::scoped_lock lock(newConnectionsMutex_);
    for (const auto& [id, socket] : newConnections_) ::close(socket);
}

//> ch27 processor-accept
bool Processor::accept(std::string addresses, int nativeSocket, bool mayBlock) {
    {
        std::unique_lock lock(newConnectionsMutex_);
        const auto hasRoom = [this] {
            return newConnections_.size() < kConnectionQueueSize || !accepting_;
        };
        if (!hasRoom() && !mayBlock) return false;
        newConnectionsTaken_.wait(lock, hasRoom);
        if (!accepting_) return false;
        newConnections_.emplace_back(std::move(addresses), nativeSocket);
    }
    ++accepted_;
    //> ch28
    wakeup();  // the thread may be waiting in poll(): the new connection should not wait
    //< ch28
    return true;
}

void Processor::stopAccepting() {
    std::scoped_lock lock(newConnectionsMutex_);
    accepting_ = false;
    newConnectionsTaken_.notify_all();
}
//< ch27 processor-accept

//> ch28 processor-run
void Processor::start(int brokerId) {
    running_ = true;
    thread_ = std::make_unique<common::utils::KafkaThread>(
        "kafka-network-thread-" + std::to_string(brokerId) + "-PLAINTEXT-" + std::to_string(id_),
        [this] { run(); });
}

void Processor::shutdown() {
    running_ = false;
    if (!thread_) return;
    wakeup();
    thread_->join();
    thread_.reset();
    selector_.close();
    connectionCount_ = 0;
}

// The loop of Kafka's Processor.run(): each turn does every kind of work once, so that no
// connection and no kind of work can starve the others.
void Processor::run() {
    while (running_) {
        try {
            configureNewConnections();
            //> ch29
            processNewResponses();
            //< ch29
            selector_.poll(300);
            //> ch29
            processCompletedReceives();
            processCompletedSends();
            processDisconnected();
            //< ch29
            connectionCount_ = selector_.connectionCount();
        } catch (const std::exception& e) {
            // One bad turn must not stop the thread that serves all these connections.
            log_.error("Processor {} got an unexpected error: {}", id_, e.what());
        }
    }
}
//< ch28 processor-run

//> ch28 configure-new-connections
void Processor::configureNewConnections() {
    std::deque<std::pair<std::string, int>> connections;
    {
        std::scoped_lock lock(newConnectionsMutex_);
        connections.swap(newConnections_);
        newConnectionsTaken_.notify_all();  // room for an Acceptor that waits
    }
    for (auto& [addresses, socket] : connections) {
        const std::string id = connectionId(addresses);
        try {
            selector_.registerSocket(id, socket);
        } catch (const std::exception& e) {
            log_.error("Processor {} could not register connection {}: {}", id_, id, e.what());
            ::close(socket);
        }
    }
}

// Kafka's connection id, "localIp:localPort-remoteIp:remotePort-index". The addresses alone
// can come back while a request of the connection before is still being handled (a client
// that reconnects from the same port, a NAT): the index keeps their ids, and so their
// responses, apart.
std::string Processor::connectionId(const std::string& addresses) {
    const std::string id = addresses + "-" + std::to_string(nextConnectionIndex_);
    nextConnectionIndex_ = nextConnectionIndex_ == std::numeric_limits<std::int32_t>::max()
                               ? 0
                               : nextConnectionIndex_ + 1;
    return id;
}
//< ch28 configure-new-connections

//> ch29 process-new-responses
void Processor::processNewResponses() {
    while (auto response = settings_.requestChannel->receiveResponse(id_)) {
        const std::string& connection = response->request->connectionId;
        switch (response->action) {
            case RequestChannel::Response::Action::kNoOp:
                // Nothing to send (a produce with acks=0): the next request may be read.
                selector_.unmute(connection);
                break;
            case RequestChannel::Response::Action::kSend:
                if (!selector_.isConnected(connection)) break;  // the client left meanwhile
                // The frame moves into the send: a 50 MiB fetch response is not copied, nor
                // kept twice while a slow client reads it.
                selector_.send(common::network::NetworkSend::withSizeInFront(
                    connection, std::move(response->frame)));
                inflightResponses_.insert_or_assign(connection, response->request->header);
                break;
            case RequestChannel::Response::Action::kClose:
                log_.info("Closing connection {}: its request ({}) cannot be answered", connection,
                          common::protocol::name(response->request->header.apiKey));
                selector_.close(connection);
                inflightResponses_.erase(connection);
                break;
        }
    }
}
//< ch29 process-new-responses

//> ch29 process-completed-receives
void Processor::processCompletedReceives() {
    for (auto& receive : selector_.completedReceives()) {
        auto request = std::make_shared<RequestChannel::Request>();
        request->processor = id_;
        request->connectionId = receive.source();
        request->frame = receive.takePayload();  // up to socket.request.max.bytes: no copy
        request->startTimeMs = settings_.time->milliseconds();
        try {
            common::protocol::Readable in(request->frame, "request header");
            request->header = common::requests::RequestHeader::parse(in);
            request->bodyOffset = in.position();
            const auto api = request->header.apiKey;
            if (!common::protocol::isKnown(api))
                throw common::errors::InvalidRequestException(
                    "Unknown API key " + std::to_string(static_cast<int>(api)));
        } catch (const common::errors::KafkaException& e) {
            // A request we cannot even route: close this connection only (Kafka does too).
            log_.warn("Closing connection {}: {}", receive.source(), e.what());
            selector_.close(receive.source());
            continue;
        }
        // One request of a connection at a time: its responses then go out in order.
        selector_.mute(receive.source());
        if (!settings_.requestChannel->sendRequest(std::move(request))) return;  // shutting down
    }
}
//< ch29 process-completed-receives

//> ch29 process-completed-sends
void Processor::processCompletedSends() {
    for (const auto& send : selector_.completedSends()) {
        inflightResponses_.erase(send.destination());
        selector_.unmute(send.destination());  // the response is out: read the next request
    }
}
//< ch29 process-completed-sends

//> ch29
void Processor::processDisconnected() {
    // A response being written to a client that left has nowhere to go.
    for (const auto& connection : selector_.disconnected()) inflightResponses_.erase(connection);
}
//< ch29

}  // namespace kafka::network
