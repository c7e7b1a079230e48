//@ ch29
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kafka/common/protocol/Readable.h"
#include "kafka/common/requests/RequestHeader.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::network {

/// Where the network threads and the request handlers meet (Kafka's RequestChannel): one
/// bounded queue of requests that every Processor puts into and every handler takes from, and
/// one queue of responses per Processor, since only the Processor that owns a connection may
/// write to it. Putting a response wakes its Processor out of poll().
class RequestChannel {
public:
    /// A request as a Processor read it: which connection it came on (and so which Processor
    /// must answer), its parsed header, and the frame, whose body the handler parses.
    struct Request {
        int processor = 0;
        std::string connectionId;
        common::requests::RequestHeader header;
        common::utils::Bytes frame;    // header and body, as received
        std::size_t bodyOffset = 0;    // where the body starts in `frame`
        std::int64_t startTimeMs = 0;  // when the Processor read it

        std::span<const std::uint8_t> body() const { return std::span(frame).subspan(bodyOffset); }
    };

    /// What a handler decided about a request (Kafka's ResponseAction): send a frame, send
    /// nothing but read the connection's next request (a produce with acks=0), or close the
    /// connection (a request that cannot be answered).
    struct Response {
        enum class Action { kSend, kNoOp, kClose };
        std::shared_ptr<const Request> request;
        Action action = Action::kSend;
        /// Four bytes left for the frame's size, which the Processor fills in, then the
        /// response header and body: written once, and moved from there to the socket.
        common::utils::Bytes frame = common::utils::Bytes(4);
    };

    /// `queueSize` is queued.max.requests.
    RequestChannel(int numProcessors, std::size_t queueSize);

    /// Queues a request, waiting while the queue is full: back pressure that stalls the
    /// calling Processor and every connection it serves (Kafka 0.10 behaves the same). Returns
    /// false, without queueing, once the channel is shut down.
    bool sendRequest(std::shared_ptr<const Request> request);
    /// The oldest request, waiting up to `timeoutMs` for one; nullptr if none came.
    std::shared_ptr<const Request> receiveRequest(std::int64_t timeoutMs);

    /// Queues a response for the request's Processor, and wakes that Processor.
    void sendResponse(Response response);
    /// The next response for Processor `processor`, if any.
    std::optional<Response> receiveResponse(int processor);

    /// Called with the Processor's id after each response queued for it.
    void addResponseListener(std::function<void(int)> listener);

    /// Wakes whoever waits in sendRequest() or receiveRequest(); from now on they return at
    /// once.
    void shutdown();
    bool isShutdown() const;

    std::size_t requestQueueSize() const;
    std::size_t responseQueueSize(int processor) const;

private:
    const std::size_t queueSize_;
    mutable std::mutex requestMutex_;
    std::condition_variable notFull_;
    std::condition_variable notEmpty_;
    std::deque<std::shared_ptr<const Request>> requestQueue_;
    bool shutdown_ = false;

    struct ResponseQueue {
        mutable std::mutex mutex;
        std::deque<Response> responses;
    };
    std::vector<std::unique_ptr<ResponseQueue>> responseQueues_;
    std::mutex listenersMutex_;
    std::vector<std::function<void(int)>> listeners_;
};

}  // namespace kafka::network
