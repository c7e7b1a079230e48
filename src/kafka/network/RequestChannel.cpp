//@ ch29
#include "kafka/network/RequestChannel.h"

#include <chrono>

#include "kafka/common/errors/Exceptions.h"

namespace kafka::network {

RequestChannel::RequestChannel(int numProcessors, std::size_t queueSize) : queueSize_(queueSize) {
    if (numProcessors < 1 || queueSize < 1)
        throw common::errors::IllegalArgumentException(
            "A request channel needs at least one processor and a queue of at least one request");
    for (int i = 0; i < numProcessors; ++i)
        responseQueues_.push_back(std::make_unique<ResponseQueue>());
}

//> ch29 send-request
bool RequestChannel::sendRequest(std::shared_ptr<const Request> request) {
    std::unique_lock lock(requestMutex_);
    notFull_.wait(lock, [this] { return shutdown_ || requestQueue_.size() < queueSize_; });
    if (shutdown_) return false;
    requestQueue_.push_back(std::move(request));
    notEmpty_.notify_one();
    return true;
}
//< ch29 send-request

std::shared_ptr<const RequestChannel::Request> RequestChannel::receiveRequest(
    std::int64_t timeoutMs) {
    std::unique_lock lock(requestMutex_);
    notEmpty_.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                       [this] { return shutdown_ || !requestQueue_.empty(); });
    if (requestQueue_.empty()) return nullptr;
    auto request = std::move(requestQueue_.front());
    requestQueue_.pop_front();
    notFull_.notify_one();
    return request;
}

//> ch29 send-response
void RequestChannel::sendResponse(Response response) {
    const int processor = response.request->processor;
    auto& queue = *responseQueues_.at(static_cast<std::size_t>(processor));
    {
        std::scoped_lock lock(queue.mutex);
        queue.responses.push_back(std::move(response));
    }
    std::scoped_lock lock(listenersMutex_);
    for (const auto& listener : listeners_) listener(processor);  // wakes that Processor
}
//< ch29 send-response

std::optional<RequestChannel::Response> RequestChannel::receiveResponse(int processor) {
    auto& queue = *responseQueues_.at(static_cast<std::size_t>(processor));
    std::scoped_lock lock(queue.mutex);
    if (queue.responses.empty()) return std::nullopt;
    auto response = std::move(queue.responses.front());
    queue.responses.pop_front();
    return response;
}

void RequestChannel::addResponseListener(std::function<void(int)> listener) {
    std::scoped_lock lock(listenersMutex_);
    listeners_.push_back(std::move(listener));
}

void RequestChannel::shutdown() {
    std::scoped_lock lock(requestMutex_);
    shutdown_ = true;
    notFull_.notify_all();
    notEmpty_.notify_all();
}

bool RequestChannel::isShutdown() const {
    std::scoped_lock lock(requestMutex_);
    return shutdown_;
}

std::size_t RequestChannel::requestQueueSize() const {
    std::scoped_lock lock(requestMutex_);
    return requestQueue_.size();
}

std::size_t RequestChannel::responseQueueSize(int processor) const {
    const auto& queue = *responseQueues_.at(static_cast<std::size_t>(processor));
    std::scoped_lock lock(queue.mutex);
    return queue.responses.size();
}

}  // namespace kafka::network
