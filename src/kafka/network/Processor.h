//@ ch27
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "kafka/common/utils/LogContext.h"
//> ch28
#include <map>

#include "kafka/common/network/Selector.h"
#include "kafka/common/utils/KafkaThread.h"
#include "kafka/common/utils/Time.h"
//< ch28
//> ch29
#include "kafka/network/RequestChannel.h"
//< ch29

namespace kafka::network {

/// One network thread of the broker (Kafka's SocketServer.Processor). The Acceptor hands it
/// connections; from then on this thread alone reads and writes them, with a Selector of its
/// own, and a broker runs num.network.threads of them side by side.
class Processor {
public:
    /// What a Processor works with, one member per chapter that needs it.
    struct Settings {
        /// Whose lines it writes: its SocketServer's "[SocketServer listenerType=BROKER,
        /// nodeId=0] ", as Kafka hands its LogContext to every Processor.
        common::utils::LogContext logContext;
        //> ch28
        /// How its Selector treats connections: socket.request.max.bytes (a larger frame
        /// closes its connection) and connections.max.idle.ms.
        common::network::Selector::Settings selector;
        std::shared_ptr<common::utils::Time> time = common::utils::Time::system();
        //< ch28
        //> ch29
        /// Where its requests go, and the responses to them come back from.
        std::shared_ptr<RequestChannel> requestChannel;
        //< ch29
    };

    Processor(int id, Settings settings);
    ~Processor();
    Processor(const Processor&) = delete;
    Processor& operator=(const Processor&) = delete;

    int id() const { return id_; }

    /// How many accepted connections may wait for the Processor's thread (Kafka's
    /// ArrayBlockingQueue of 20): beyond that, new clients wait in the kernel's backlog.
    static constexpr std::size_t kConnectionQueueSize = 20;

    /// Called by the Acceptor's thread: queues a freshly accepted socket (a native handle,
    /// then owned by this Processor) under its connection's addresses, and wakes its thread
    /// (chapter 28). When kConnectionQueueSize sockets wait already, returns false without
    /// taking it, or with `mayBlock` waits for room; false also once stopAccepting() is called.
    bool accept(std::string addresses, int nativeSocket, bool mayBlock);
    /// The broker is shutting down: an Acceptor waiting in accept() gives up, and so will
    /// every later call.
    void stopAccepting();
    /// How many connections the Acceptor has handed to this Processor so far.
    std::size_t acceptedCount() const { return accepted_; }

    //> ch28
    /// Starts the thread "kafka-network-thread-<brokerId>-PLAINTEXT-<id>".
    void start(int brokerId);
    /// Stops the thread and closes every connection it holds.
    void shutdown();
    /// Makes the thread's poll() return at once: a new connection or a response is waiting.
    void wakeup() { selector_.wakeup(); }
    /// How many connections this Processor serves right now.
    std::size_t connectionCount() const { return connectionCount_; }
    //< ch28

private:
    //> ch28
    void run();
    void configureNewConnections();
    std::string connectionId(const std::string& addresses);
    //> ch29
    void processNewResponses();
    void processCompletedReceives();
    void processCompletedSends();
    void processDisconnected();
    //< ch29
    //< ch28

    const int id_;
    const Settings settings_;
    const common::utils::Logger log_ = settings_.logContext.logger("Processor");
    std::mutex newConnectionsMutex_;
    std::condition_variable newConnectionsTaken_;
    std::deque<std::pair<std::string, int>> newConnections_;  // from the Acceptor's thread
    bool accepting_ = true;
    std::atomic<std::size_t> accepted_ = 0;
    //> ch28
    common::network::Selector selector_{settings_.selector};
    std::atomic<bool> running_ = false;
    std::atomic<std::size_t> connectionCount_ = 0;
    std::unique_ptr<common::utils::KafkaThread> thread_;
    std::int32_t nextConnectionIndex_ = 0;
    //< ch28
    //> ch29
    // The request each response being written answers, by connection.
    std::map<std::string, common::requests::RequestHeader> inflightResponses_;
    //< ch29
};

}  // namespace kafka::network
