//@ ch15
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kafka/common/utils/ExponentialBackoff.h"

namespace kafka::clients {

/// Where the client stands with each broker's connection.
enum class ConnectionState {
    kDisconnected,  // no connection; a new one may be tried once the backoff has passed
    kConnecting,    // connect() was called; waiting for the socket to complete
    //> ch16
    kCheckingApiVersions,  // connected; asking the broker which versions it speaks
    //< ch16
    kReady,  // requests may be sent
};

/// The client's book of connections (Kafka's ClusterConnectionStates), one entry per node id:
/// its state, when the client last tried to connect, and how long to wait before trying
/// again. A failed connection is retried after reconnect.backoff.ms, doubling with each
/// failure in a row up to reconnect.backoff.max.ms, with ±20 % jitter so that many clients
/// do not all come back at the same moment (KIP-144). Not thread-safe: the I/O thread owns it.
class ClusterConnectionStates {
public:
    struct Settings {
        std::int64_t reconnectBackoffMs = 50;       // reconnect.backoff.ms
        std::int64_t reconnectBackoffMaxMs = 1000;  // reconnect.backoff.max.ms
        //> ch16
        std::int64_t connectionSetupTimeoutMs = 10'000;     // socket.connection.setup.timeout.ms
        std::int64_t connectionSetupTimeoutMaxMs = 30'000;  // ... .max.ms
        //< ch16
        /// The random spread of each backoff and timeout (0.2 in Kafka; tests pass 0).
        double jitter = 0.2;
    };

    explicit ClusterConnectionStates(Settings settings);

    /// True if a connection may be started now: the node is unknown, or disconnected and past
    /// its backoff.
    bool canConnect(const std::string& id, std::int64_t nowMs) const;
    /// Disconnected and still inside its backoff.
    bool isBlackedOut(const std::string& id, std::int64_t nowMs) const;
    /// How long until the node is worth looking at again: the backoff left when it is
    /// disconnected; "forever" otherwise, because then an event, not a timer, changes things
    /// (the connection completes or fails, an answer comes).
    std::int64_t connectionDelay(const std::string& id, std::int64_t nowMs) const;

    /// A connection attempt starts now.
    void connecting(const std::string& id, std::int64_t nowMs);
    //> ch16
    /// The socket is connected; the versions are being checked.
    void checkingApiVersions(const std::string& id);
    //< ch16
    /// The connection may carry requests. Resets the backoff: the next failure starts over.
    void ready(const std::string& id);
    /// The connection failed or closed now: the backoff counts from this moment, and grows.
    void disconnected(const std::string& id, std::int64_t nowMs);
    /// Forgets the node altogether (no backoff left for it).
    void remove(const std::string& id);

    bool isReady(const std::string& id) const;
    bool isConnecting(const std::string& id) const;
    bool isDisconnected(const std::string& id) const;
    /// On its way to ready: connecting (or, from chapter 16, checking its API versions).
    bool isPreparingConnection(const std::string& id) const;
    //> ch21
    /// The broker asked the client to hold back until `untilMs` (KIP-219).
    void throttle(const std::string& id, std::int64_t untilMs);
    bool isThrottled(const std::string& id, std::int64_t nowMs) const;
    //< ch21
    /// DISCONNECTED for a node never seen.
    ConnectionState state(const std::string& id) const;
    /// The current backoff of a node (for tests and logs).
    std::int64_t reconnectBackoffMs(const std::string& id) const;
    //> ch16
    /// How long the node's current connection attempt may take to be set up.
    std::int64_t connectionSetupTimeoutMs(const std::string& id) const;
    /// The nodes still connecting after their setup timeout: the client gives them up.
    std::vector<std::string> nodesWithConnectionSetupTimeout(std::int64_t nowMs) const;
    //< ch16

private:
    struct NodeState {
        ConnectionState state = ConnectionState::kDisconnected;
        std::int64_t lastConnectAttemptMs = 0;
        int failedAttempts = 0;
        std::int64_t reconnectBackoffMs = 0;
        //> ch21
        std::int64_t throttleUntilTimeMs = 0;
        //< ch21
        //> ch16
        int failedConnectAttempts = 0;  // attempts in a row that never got connected
        std::int64_t connectionSetupTimeoutMs = 0;
        //< ch16
    };

    const NodeState& nodeState(const std::string& id) const;
    NodeState& nodeState(const std::string& id);

    static constexpr int kBackoffMultiplier = 2;  // each failure doubles the wait

    const Settings settings_;
    common::utils::ExponentialBackoff reconnectBackoff_{
        settings_.reconnectBackoffMs, kBackoffMultiplier,
        std::max(settings_.reconnectBackoffMs, settings_.reconnectBackoffMaxMs), settings_.jitter};
    //> ch16
    common::utils::ExponentialBackoff connectionSetupTimeout_{
        settings_.connectionSetupTimeoutMs, kBackoffMultiplier,
        std::max(settings_.connectionSetupTimeoutMs, settings_.connectionSetupTimeoutMaxMs),
        settings_.jitter};
    //< ch16
    std::map<std::string, NodeState> nodeState_;
};

}  // namespace kafka::clients
