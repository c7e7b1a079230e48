//@ ch14
#include "kafka/clients/InFlightRequests.h"

#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients {

InFlightRequests::InFlightRequests(int maxInFlightRequestsPerConnection)
    : maxInFlightRequestsPerConnection_(maxInFlightRequestsPerConnection) {}

void InFlightRequests::add(InFlightRequest request) {
    requests_[request.destination].push_back(std::move(request));
    ++inFlightRequestCount_;
}

std::deque<InFlightRequest>& InFlightRequests::queue(const std::string& node) {
    const auto it = requests_.find(node);
    if (it == requests_.end() || it->second.empty())
        throw common::errors::IllegalStateException("There are no in-flight requests for node " +
                                                    node);
    return it->second;
}

//> ch14 complete-next
InFlightRequest InFlightRequests::completeNext(const std::string& node) {
    auto& requests = queue(node);
    InFlightRequest oldest = std::move(requests.front());
    requests.pop_front();
    --inFlightRequestCount_;
    return oldest;
}
//< ch14 complete-next

InFlightRequest& InFlightRequests::lastSent(const std::string& node) {
    return queue(node).back();
}

InFlightRequest InFlightRequests::completeLastSent(const std::string& node) {
    auto& requests = queue(node);
    InFlightRequest newest = std::move(requests.back());
    requests.pop_back();
    --inFlightRequestCount_;
    return newest;
}

//> ch14 can-send-more
bool InFlightRequests::canSendMore(const std::string& node) const {
    const auto it = requests_.find(node);
    if (it == requests_.end() || it->second.empty()) return true;
    const auto& requests = it->second;
    // One request at a time goes onto a connection: the next waits until the last one's
    // bytes are all out. And only so many may wait for answers at once.
    return requests.back().sendCompleted &&
           static_cast<int>(requests.size()) < maxInFlightRequestsPerConnection_;
}
//< ch14 can-send-more

int InFlightRequests::count(const std::string& node) const {
    const auto it = requests_.find(node);
    return it == requests_.end() ? 0 : static_cast<int>(it->second.size());
}

int InFlightRequests::count() const {
    return inFlightRequestCount_;
}

bool InFlightRequests::isEmpty(const std::string& node) const {
    return count(node) == 0;
}

std::vector<InFlightRequest> InFlightRequests::clearAll(const std::string& node) {
    std::vector<InFlightRequest> cleared;
    const auto it = requests_.find(node);
    if (it == requests_.end()) return cleared;
    for (auto& request : it->second) cleared.push_back(std::move(request));
    inFlightRequestCount_ -= static_cast<int>(cleared.size());
    requests_.erase(it);
    return cleared;
}

//> ch25 timed-out-requests
std::vector<std::string> InFlightRequests::nodesWithTimedOutRequests(std::int64_t nowMs) const {
    std::vector<std::string> nodes;
    for (const auto& [node, requests] : requests_) {
        if (requests.empty()) continue;
        // The oldest request is the one that has waited longest.
        const InFlightRequest& oldest = requests.front();
        if (nowMs - oldest.sendTimeMs > oldest.requestTimeoutMs) nodes.push_back(node);
    }
    return nodes;
}
//< ch25 timed-out-requests

}  // namespace kafka::clients
