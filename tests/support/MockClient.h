//@ ch11
#pragma once

// A KafkaClient that talks to no network (Kafka's MockClient, from its clients' test tree):
// requests sent to it wait until the test answers them, prepared answers are matched to the
// next requests, nodes can be made unreachable, and poll() completes what was answered.
// Thread-safe, so that it can also sit under a producer's own I/O thread.

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "kafka/clients/KafkaClient.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/requests/ProduceResponse.h"
//> ch36
#include "kafka/common/requests/InitProducerIdResponse.h"
//< ch36

namespace kafka::test {

class MockClient final : public clients::KafkaClient {
public:
    using PartitionResponses =
        std::map<common::TopicPartition, common::requests::ProduceResponse::PartitionResponse>;

    // --- What the test controls -------------------------------------------------------------

    /// ready() says no for `nodeId`, and connectionDelay() says `delayMs` (a reconnect backoff).
    void makeUnreachable(std::int32_t nodeId, std::int64_t delayMs) {
        std::lock_guard lock(mutex_);
        unreachable_[std::to_string(nodeId)] = delayMs;
    }
    void makeReachable(std::int32_t nodeId) {
        std::lock_guard lock(mutex_);
        unreachable_.erase(std::to_string(nodeId));
    }

    /// Answers the oldest request in flight with `responses`; poll() completes it.
    void respond(PartitionResponses responses) {
        std::lock_guard lock(mutex_);
        if (inFlight_.empty()) throw std::logic_error("MockClient: no request to respond to");
        complete(std::move(inFlight_.front()), std::move(responses), false);
        inFlight_.pop_front();
        woken_.notify_all();
    }

    /// The answer for the next request that is sent, whenever that is.
    void prepareResponse(PartitionResponses responses) {
        std::lock_guard lock(mutex_);
        prepared_.push_back(std::move(responses));
    }

    /// From now on every request is answered as a healthy broker would: each partition's
    /// batch is appended at the end of that partition's log (offsets 0, 1, 2, ...).
    void answerEverything() {
        std::lock_guard lock(mutex_);
        answerEverything_ = true;
    }

    /// The connection to `nodeId` breaks: its requests in flight complete as disconnected.
    void disconnect(std::int32_t nodeId) {
        std::lock_guard lock(mutex_);
        const std::string id = std::to_string(nodeId);
        for (auto it = inFlight_.begin(); it != inFlight_.end();) {
            if (it->destination == id) {
                complete(std::move(*it), std::nullopt, true);
                it = inFlight_.erase(it);
            } else {
                ++it;
            }
        }
        woken_.notify_all();
    }

    // --- What the test looks at -------------------------------------------------------------

    /// Every request ever sent, in order.
    std::vector<clients::ClientRequest> sent() const {
        std::lock_guard lock(mutex_);
        return sent_;
    }
    /// The produce request inside sent()[i].
    std::shared_ptr<const common::requests::ProduceRequest> produceRequest(std::size_t i) const {
        std::lock_guard lock(mutex_);
        return std::dynamic_pointer_cast<const common::requests::ProduceRequest>(
            sent_.at(i).request);
    }
    /// Nodes that ready() was asked about: a real client starts connecting to them.
    std::set<std::string> readyCalls() const {
        std::lock_guard lock(mutex_);
        return readyCalls_;
    }
    std::optional<std::int64_t> lastPollTimeoutMs() const {
        std::lock_guard lock(mutex_);
        return lastPollTimeoutMs_;
    }
    bool closed() const {
        std::lock_guard lock(mutex_);
        return closed_;
    }

    // --- KafkaClient --------------------------------------------------------------------------

    bool isReady(const common::Node& node, std::int64_t) override {
        std::lock_guard lock(mutex_);
        return !unreachable_.contains(node.idString());
    }
    bool ready(const common::Node& node, std::int64_t nowMs) override {
        {
            std::lock_guard lock(mutex_);
            readyCalls_.insert(node.idString());
        }
        return isReady(node, nowMs);
    }
    std::int64_t connectionDelay(const common::Node& node, std::int64_t) override {
        std::lock_guard lock(mutex_);
        const auto it = unreachable_.find(node.idString());
        return it == unreachable_.end() ? 0 : it->second;
    }

    //> ch36 mock-init-producer-id
    /// The answer to the next InitProducerId request. Without one prepared, every request
    /// gets the next producer id (1000, 1001, ...) at epoch 0, as a broker would hand out.
    void prepareInitProducerId(common::protocol::Errors error, std::int64_t producerId = -1,
                               std::int16_t epoch = -1) {
        std::lock_guard lock(mutex_);
        initProducerIdAnswers_.push_back({error, producerId, epoch});
    }
    /// How many InitProducerId requests were sent (they are not in sent()).
    int initProducerIdRequests() const {
        std::lock_guard lock(mutex_);
        return initProducerIdRequests_;
    }
    std::optional<common::Node> leastLoadedNode(std::int64_t) override {
        return common::Node(0, "localhost", 9092);
    }
    //< ch36 mock-init-producer-id

    /// Every send() from now on throws `error` (as NetworkClient's does when the broker speaks
    /// no version of the request's API); null sends normally again.
    void failSends(std::exception_ptr error) {
        std::lock_guard lock(mutex_);
        sendError_ = std::move(error);
    }

    void send(clients::ClientRequest request, std::int64_t) override {
        std::lock_guard lock(mutex_);
        if (sendError_) std::rethrow_exception(sendError_);
        if (unreachable_.contains(request.destination))
            throw std::logic_error("MockClient: send to node " + request.destination +
                                   ", which is not ready");
        request.correlationId = nextCorrelationId_++;
        //> ch36
        if (request.request->apiKey() == common::protocol::ApiKeys::kInitProducerId)
            return answerInitProducerId(std::move(request));
        //< ch36
        sent_.push_back(request);
        if (!request.expectResponse) {
            // acks=0: done as soon as it is on the wire, with nothing to say.
            complete(std::move(request), std::nullopt, false);
        } else if (answerEverything_) {
            PartitionResponses answer;
            const auto produce =
                std::dynamic_pointer_cast<const common::requests::ProduceRequest>(request.request);
            for (const auto& [tp, records] : produce->partitionRecords()) {
                answer[tp] = common::requests::ProduceResponse::PartitionResponse{
                    .baseOffset = logEndOffsets_[tp]};
                logEndOffsets_[tp] += recordCount(records);
            }
            complete(std::move(request), std::move(answer), false);
        } else if (!prepared_.empty()) {
            complete(std::move(request), std::move(prepared_.front()), false);
            prepared_.pop_front();
        } else {
            inFlight_.push_back(std::move(request));
        }
    }

    std::vector<clients::ClientResponse> poll(std::int64_t timeoutMs, std::int64_t) override {
        std::vector<clients::ClientResponse> responses;
        {
            std::unique_lock lock(mutex_);
            lastPollTimeoutMs_ = timeoutMs;
            // Under a real I/O thread, wait like a selector would; the test's own calls pass 0
            // or find work at once.
            woken_.wait_for(lock, std::chrono::milliseconds(std::min<std::int64_t>(timeoutMs, 100)),
                            [this] { return !completed_.empty() || wakeupPending_; });
            wakeupPending_ = false;
            responses.swap(completed_);
        }
        for (const auto& response : responses) response.onComplete();  // outside the lock
        return responses;
    }

    int inFlightRequestCount() const override {
        std::lock_guard lock(mutex_);
        return static_cast<int>(inFlight_.size());
    }
    void wakeup() override {
        std::lock_guard lock(mutex_);
        wakeupPending_ = true;
        woken_.notify_all();
    }
    void close() override {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }

private:
    // The record count of a record batch v2: the header's last field, bytes 57 to 60.
    static std::int64_t recordCount(std::span<const std::uint8_t> batch) {
        return (std::int64_t{batch[57]} << 24) | (batch[58] << 16) | (batch[59] << 8) | batch[60];
    }

    //> ch36
    struct InitProducerIdAnswer {
        common::protocol::Errors error;
        std::int64_t producerId;
        std::int16_t epoch;
    };

    // Called with the lock held: answered at once, completed by the next poll().
    void answerInitProducerId(clients::ClientRequest request) {
        ++initProducerIdRequests_;
        InitProducerIdAnswer answer{common::protocol::Errors::kNone, -1, 0};
        if (!initProducerIdAnswers_.empty()) {
            answer = initProducerIdAnswers_.front();
            initProducerIdAnswers_.pop_front();
        } else {
            answer.producerId = nextProducerId_++;
        }
        completed_.emplace_back(request.destination, request.correlationId,
                                std::move(request.callback), 0, false,
                                std::make_shared<common::requests::InitProducerIdResponse>(
                                    answer.error, answer.producerId, answer.epoch));
        woken_.notify_all();
    }
    //< ch36

    // Called with the lock held; the callback runs in the next poll().
    void complete(clients::ClientRequest request, std::optional<PartitionResponses> responses,
                  bool disconnected) {
        std::shared_ptr<const common::requests::AbstractResponse> body;
        if (responses)
            body = std::make_shared<common::requests::ProduceResponse>(std::move(*responses));
        completed_.emplace_back(request.destination, request.correlationId,
                                std::move(request.callback), 0, disconnected, std::move(body));
    }

    mutable std::mutex mutex_;
    std::condition_variable woken_;
    std::map<std::string, std::int64_t> unreachable_;
    std::deque<PartitionResponses> prepared_;
    std::deque<clients::ClientRequest> inFlight_;
    std::vector<clients::ClientResponse> completed_;
    std::vector<clients::ClientRequest> sent_;
    std::set<std::string> readyCalls_;
    std::optional<std::int64_t> lastPollTimeoutMs_;
    std::exception_ptr sendError_;
    std::int32_t nextCorrelationId_ = 0;
    std::map<common::TopicPartition, std::int64_t> logEndOffsets_;
    bool answerEverything_ = false;
    bool wakeupPending_ = false;
    bool closed_ = false;
    //> ch36
    std::deque<InitProducerIdAnswer> initProducerIdAnswers_;
    std::int64_t nextProducerId_ = 1000;
    int initProducerIdRequests_ = 0;
    //< ch36
};

}  // namespace kafka::test
