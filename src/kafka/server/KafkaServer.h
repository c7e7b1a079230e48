//@ ch26
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "kafka/common/utils/Time.h"
#include "kafka/server/KafkaConfig.h"
//> ch27
#include "kafka/network/SocketServer.h"
//< ch27
//> ch30
#include "kafka/log/LogManager.h"
#include "kafka/server/KafkaApis.h"
#include "kafka/server/KafkaRequestHandlerPool.h"
//> ch34
#include "kafka/server/util/KafkaScheduler.h"
//< ch34
//< ch30

namespace kafka::server {

/// The broker: its parts, started in order and stopped in the reverse order (Kafka's
/// KafkaServer). In Kafka 0.10 the order is: logs, then the socket server (connections are
/// accepted and requests queued from here on), then the request handlers, which start taking
/// requests off the queue. Shutdown stops the network first, so no new request comes in
/// while the handlers finish.
class KafkaServer {
public:
    /// Kafka's BrokerState, the part of it a single broker goes through.
    enum class BrokerState { kNotRunning, kStarting, kRunningAsBroker, kShuttingDown };

    explicit KafkaServer(KafkaConfig config,
                         std::shared_ptr<common::utils::Time> time = common::utils::Time::system());
    ~KafkaServer();
    KafkaServer(const KafkaServer&) = delete;
    KafkaServer& operator=(const KafkaServer&) = delete;

    /// Starts every part; throws (having stopped what had started) if one cannot start, for
    /// instance because the port is taken.
    void startup();
    /// Stops every part, in reverse order. Idempotent; safe from any thread but a broker's own.
    void shutdown();
    /// Waits until shutdown() has completed.
    void awaitShutdown();

    BrokerState state() const;
    const KafkaConfig& config() const { return config_; }
    //> ch27
    /// The port the broker listens on.
    int boundPort() const { return socketServer_->boundPort(); }
    //< ch27
    //> ch30
    const std::shared_ptr<log::LogManager>& logManager() const { return logManager_; }
    //< ch30
    //> ch31
    const std::shared_ptr<ReplicaManager>& replicaManager() const { return replicaManager_; }
    //< ch31

private:
    //> ch30
    // What the parts are made of, from this broker's config.
    log::LogManager::Settings logManagerSettings() const;
    KafkaApis::Settings apisSettings() const;
    //< ch30

    const KafkaConfig config_;
    std::shared_ptr<common::utils::Time> time_;
    mutable std::mutex mutex_;
    std::condition_variable stateChanged_;
    BrokerState state_ = BrokerState::kNotRunning;
    bool started_ = false;
    //> ch34
    std::unique_ptr<util::KafkaScheduler> kafkaScheduler_;
    //< ch34
    //> ch30
    std::shared_ptr<log::LogManager> logManager_;
    //< ch30
    //> ch31
    std::shared_ptr<ReplicaManager> replicaManager_;
    //< ch31
    //> ch27
    std::unique_ptr<network::SocketServer> socketServer_;
    //< ch27
    //> ch30
    std::shared_ptr<KafkaApis> apis_;
    std::unique_ptr<KafkaRequestHandlerPool> requestHandlerPool_;
    //< ch30
};

/// The state's name, as Kafka logs it.
std::string toString(KafkaServer::BrokerState state);

}  // namespace kafka::server
