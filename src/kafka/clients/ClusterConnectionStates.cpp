//@ ch15
#include "kafka/clients/ClusterConnectionStates.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients {

ClusterConnectionStates::ClusterConnectionStates(std::int64_t reconnectBackoffMs,
                                                 std::int64_t reconnectBackoffMaxMs, double jitter)
    : reconnectBackoffMs_(reconnectBackoffMs),
      reconnectBackoffMaxMs_(std::max(reconnectBackoffMs, reconnectBackoffMaxMs)),
      jitter_(jitter) {}

//> ch15 can-connect
bool ClusterConnectionStates::canConnect(const std::string& id, std::int64_t nowMs) const {
    const auto it = nodeState_.find(id);
    if (it == nodeState_.end()) return true;
    const NodeState& node = it->second;
    return node.state == ConnectionState::kDisconnected &&
           nowMs - node.lastConnectAttemptMs >= node.reconnectBackoffMs;
}

bool ClusterConnectionStates::isBlackedOut(const std::string& id, std::int64_t nowMs) const {
    const auto it = nodeState_.find(id);
    return it != nodeState_.end() && it->second.state == ConnectionState::kDisconnected &&
           nowMs - it->second.lastConnectAttemptMs < it->second.reconnectBackoffMs;
}

std::int64_t ClusterConnectionStates::connectionDelay(const std::string& id,
                                                      std::int64_t nowMs) const {
    const auto it = nodeState_.find(id);
    if (it == nodeState_.end()) return 0;
    const NodeState& node = it->second;
    if (node.state == ConnectionState::kDisconnected)
        return std::max<std::int64_t>(node.reconnectBackoffMs - (nowMs - node.lastConnectAttemptMs),
                                      0);
    // Connecting, checking versions or ready: no timer to wait for. Whatever happens next (the
    // connection completes or fails, an answer frees a full in-flight window, a send() wakes
    // the sender) wakes the poll. A delay of 0 for a ready node would make the Sender spin
    // while the node's window is full.
    return std::numeric_limits<std::int64_t>::max();
}
//< ch15 can-connect

void ClusterConnectionStates::connecting(const std::string& id, std::int64_t nowMs) {
    NodeState& node = nodeState_[id];  // a new node starts here
    node.state = ConnectionState::kConnecting;
    node.lastConnectAttemptMs = nowMs;
}

//> ch16
void ClusterConnectionStates::checkingApiVersions(const std::string& id) {
    nodeState(id).state = ConnectionState::kCheckingApiVersions;
}
//< ch16

void ClusterConnectionStates::ready(const std::string& id) {
    NodeState& node = nodeState(id);
    node.state = ConnectionState::kReady;
    node.failedAttempts = 0;
    node.reconnectBackoffMs = 0;
}

//> ch15 disconnected
void ClusterConnectionStates::disconnected(const std::string& id, std::int64_t nowMs) {
    NodeState& node = nodeState(id);
    node.state = ConnectionState::kDisconnected;
    // The backoff counts from the failure, not from the attempt: a connection that took
    // ten seconds to fail does not get to retry at once.
    node.lastConnectAttemptMs = nowMs;
    node.reconnectBackoffMs = backoff(node.failedAttempts);
    ++node.failedAttempts;
}

// reconnect.backoff.ms × 2^failures, at most reconnect.backoff.max.ms, spread by ±jitter.
std::int64_t ClusterConnectionStates::backoff(int failedAttempts) {
    if (reconnectBackoffMs_ >= reconnectBackoffMaxMs_) return reconnectBackoffMaxMs_;
    const double doublingsToMax =
        std::log2(static_cast<double>(reconnectBackoffMaxMs_) /
                  static_cast<double>(std::max<std::int64_t>(reconnectBackoffMs_, 1)));
    const double term =
        static_cast<double>(reconnectBackoffMs_) *
        std::pow(2.0, std::min(static_cast<double>(failedAttempts), doublingsToMax));
    double factor = 1.0;
    if (jitter_ > 0)
        factor = std::uniform_real_distribution<double>(1 - jitter_, 1 + jitter_)(random_);
    return static_cast<std::int64_t>(factor * term);
}
//< ch15 disconnected

void ClusterConnectionStates::remove(const std::string& id) {
    nodeState_.erase(id);
}

bool ClusterConnectionStates::isReady(const std::string& id) const {
    return state(id) == ConnectionState::kReady;
}
bool ClusterConnectionStates::isConnecting(const std::string& id) const {
    return state(id) == ConnectionState::kConnecting;
}
bool ClusterConnectionStates::isDisconnected(const std::string& id) const {
    return state(id) == ConnectionState::kDisconnected;
}

ConnectionState ClusterConnectionStates::state(const std::string& id) const {
    const auto it = nodeState_.find(id);
    return it == nodeState_.end() ? ConnectionState::kDisconnected : it->second.state;
}

std::int64_t ClusterConnectionStates::reconnectBackoffMs(const std::string& id) const {
    const auto it = nodeState_.find(id);
    return it == nodeState_.end() ? 0 : it->second.reconnectBackoffMs;
}

const ClusterConnectionStates::NodeState& ClusterConnectionStates::nodeState(
    const std::string& id) const {
    const auto it = nodeState_.find(id);
    if (it == nodeState_.end())
        throw common::errors::IllegalStateException("No entry found for connection " + id);
    return it->second;
}

ClusterConnectionStates::NodeState& ClusterConnectionStates::nodeState(const std::string& id) {
    return const_cast<NodeState&>(std::as_const(*this).nodeState(id));
}

}  // namespace kafka::clients
