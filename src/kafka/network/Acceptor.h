//@ ch27
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kafka/common/utils/LogContext.h"
#include "kafka/network/Processor.h"

namespace kafka::network {

/// The thread that takes new connections for one listener (Kafka's SocketServer.Acceptor):
/// it accepts each one, sets its socket options, and hands it to the next Processor in turn,
/// round robin. It reads and writes nothing itself, so a flood of requests cannot keep new
/// clients out.
class Acceptor {
public:
    /// Binds and listens on host:port (an empty host: every interface; port 0: any free
    /// port). Throws KafkaException("Socket server failed to bind to ...") when it cannot,
    /// for instance because the port is taken. Its lines carry `logContext`'s prefix.
    Acceptor(const std::string& host, int port, std::vector<std::shared_ptr<Processor>> processors,
             const common::utils::LogContext& logContext = {});
    ~Acceptor();
    Acceptor(const Acceptor&) = delete;
    Acceptor& operator=(const Acceptor&) = delete;

    /// Starts the thread "kafka-socket-acceptor-PLAINTEXT-<port>".
    void start();
    /// Stops accepting and closes the listening socket.
    void shutdown();
    /// The port it listens on: the one chosen by the system when it was asked for port 0.
    int boundPort() const;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kafka::network
