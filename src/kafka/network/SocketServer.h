//@ ch27
#pragma once

#include <memory>
#include <vector>

#include "kafka/common/utils/LogContext.h"
#include "kafka/common/utils/Time.h"
#include "kafka/network/Acceptor.h"
#include "kafka/network/Processor.h"
//> ch29
#include "kafka/network/RequestChannel.h"
//< ch29
#include "kafka/server/KafkaConfig.h"

namespace kafka::network {

/// The broker's network front end (Kafka's SocketServer): one Acceptor thread for the
/// listener, num.network.threads Processor threads, and the RequestChannel through which
/// they pass requests to the handlers and get responses back.
///
///     Acceptor ──round robin──► Processor 0..n-1 ──requests──► RequestChannel ──► handlers
///                                     ▲                                              │
///                                     └──────────── response queue n, wakeup ◄───────┘
class SocketServer {
public:
    SocketServer(const server::KafkaConfig& config, std::shared_ptr<common::utils::Time> time);
    ~SocketServer();
    SocketServer(const SocketServer&) = delete;
    SocketServer& operator=(const SocketServer&) = delete;

    /// Binds the listener (or throws KafkaException: the port is taken, ...), then starts
    /// the Processors and the Acceptor. Connections are accepted from here on.
    void startup();
    /// Stops accepting, stops the Processors, and closes every connection. Idempotent.
    void shutdown();

    /// The port the listener is bound to (useful when it was configured as 0).
    int boundPort() const;
    const std::vector<std::shared_ptr<Processor>>& processors() const { return processors_; }
    //> ch29
    const std::shared_ptr<RequestChannel>& requestChannel() const { return requestChannel_; }
    //< ch29

private:
    Processor::Settings processorSettings() const;

    const server::KafkaConfig config_;
    /// The prefix of every line its Acceptor and Processors write, Kafka's
    /// "[SocketServer listenerType=BROKER, nodeId=0] ".
    const common::utils::LogContext logContext_;
    std::shared_ptr<common::utils::Time> time_;
    //> ch29
    std::shared_ptr<RequestChannel> requestChannel_;
    //< ch29
    std::vector<std::shared_ptr<Processor>> processors_;
    std::unique_ptr<Acceptor> acceptor_;
};

}  // namespace kafka::network
