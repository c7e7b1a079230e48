//@ ch15
#include "kafka/clients/ClusterConnectionStates.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients {

ClusterConnectionStates::ClusterConnectionStates(Settings settings) : settings_(settings) {}

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
    //> ch16
    // Connecting: until the attempt completes, fails, or runs out of setup time.
    if (node.state == ConnectionState::kConnecting)
        return std::max<std::int64_t>(
            node.connectionSetupTimeoutMs - (nowMs - node.lastConnectAttemptMs), 0);
    //< ch16
    //> ch21
    // Throttled: the broker said when it will take requests again.
    if (nowMs < node.throttleUntilTimeMs) return node.throttleUntilTimeMs - nowMs;
    //< ch21
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
    //> ch16
    if (node.failedConnectAttempts == 0)
        node.connectionSetupTimeoutMs = connectionSetupTimeout_.backoff(0);
    //< ch16
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
    //> ch16
    node.failedConnectAttempts = 0;
    //< ch16
}

//> ch15 disconnected
void ClusterConnectionStates::disconnected(const std::string& id, std::int64_t nowMs) {
    NodeState& node = nodeState(id);
    //> ch16
    const bool wasConnecting = node.state == ConnectionState::kConnecting;
    //< ch16
    node.state = ConnectionState::kDisconnected;
    // The backoff counts from the failure, not from the attempt: a connection that took
    // ten seconds to fail does not get to retry at once.
    node.lastConnectAttemptMs = nowMs;
    // reconnect.backoff.ms × 2^failures, at most reconnect.backoff.max.ms, spread by ±jitter.
    node.reconnectBackoffMs = reconnectBackoff_.backoff(node.failedAttempts);
    ++node.failedAttempts;
    //> ch16
    // An attempt that never got connected makes the next one wait longer to be set up.
    if (wasConnecting)
        node.connectionSetupTimeoutMs =
            connectionSetupTimeout_.backoff(++node.failedConnectAttempts);
    //< ch16
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
bool ClusterConnectionStates::isPreparingConnection(const std::string& id) const {
    if (isConnecting(id)) return true;
    //> ch16
    if (state(id) == ConnectionState::kCheckingApiVersions) return true;
    //< ch16
    return false;
}

ConnectionState ClusterConnectionStates::state(const std::string& id) const {
    const auto it = nodeState_.find(id);
    return it == nodeState_.end() ? ConnectionState::kDisconnected : it->second.state;
}

std::int64_t ClusterConnectionStates::reconnectBackoffMs(const std::string& id) const {
    const auto it = nodeState_.find(id);
    return it == nodeState_.end() ? 0 : it->second.reconnectBackoffMs;
}

//> ch21 throttle
void ClusterConnectionStates::throttle(const std::string& id, std::int64_t untilMs) {
    NodeState& node = nodeState(id);
    node.throttleUntilTimeMs = std::max(node.throttleUntilTimeMs, untilMs);
}

bool ClusterConnectionStates::isThrottled(const std::string& id, std::int64_t nowMs) const {
    const auto it = nodeState_.find(id);
    return it != nodeState_.end() && nowMs < it->second.throttleUntilTimeMs;
}
//< ch21 throttle

//> ch16 setup-timeout
std::int64_t ClusterConnectionStates::connectionSetupTimeoutMs(const std::string& id) const {
    return nodeState(id).connectionSetupTimeoutMs;
}

std::vector<std::string> ClusterConnectionStates::nodesWithConnectionSetupTimeout(
    std::int64_t nowMs) const {
    std::vector<std::string> timedOut;
    for (const auto& [id, node] : nodeState_)
        if (node.state == ConnectionState::kConnecting &&
            nowMs - node.lastConnectAttemptMs > node.connectionSetupTimeoutMs)
            timedOut.push_back(id);
    return timedOut;
}
//< ch16 setup-timeout

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
