//@ ch26
#include "kafka/server/KafkaServer.h"

#include "kafka/common/errors/Exceptions.h"

namespace kafka::server {

KafkaServer::KafkaServer(KafkaConfig config, std::shared_ptr<common::utils::Time> time)
    : config_(std::move(config)), time_(std::move(time)) {}

KafkaServer::~KafkaServer() {
    shutdown();
}

//> ch26 startup
void KafkaServer::startup() {
    {
        std::scoped_lock lock(mutex_);
        if (started_) throw common::errors::IllegalStateException("A broker starts only once");
        started_ = true;
        state_ = BrokerState::kStarting;
    }
    try {
        /*> ch26-27 startup-parts-to-come
        // Nothing to start yet: chapters 27 to 35 put their parts here, in the order of
        // Kafka's startup (the scheduler, the logs, the socket server, the handlers).
        */
        //> ch34
        kafkaScheduler_ = std::make_unique<util::KafkaScheduler>();
        kafkaScheduler_->startup();
        //< ch34
        //> ch30
        logManager_ = std::make_shared<log::LogManager>(logManagerSettings());
        //< ch30
        //> ch34
        logManager_->startup(*kafkaScheduler_);  // retention and checkpoints, on a timetable
        //< ch34
        //> ch31
        replicaManager_ = std::make_shared<ReplicaManager>(
            ReplicaManager::Settings{logManager_, config_.brokerId()});
        //< ch31
        //> ch27
        socketServer_ = std::make_unique<network::SocketServer>(config_, time_);
        socketServer_->startup();  // from here on, requests are accepted and queued
        //< ch27
        //> ch30
        apis_ = std::make_shared<KafkaApis>(apisSettings());
        requestHandlerPool_ = std::make_unique<KafkaRequestHandlerPool>(
            config_.brokerId(), socketServer_->requestChannel(), apis_, config_.numIoThreads());
        //< ch30
    } catch (...) {
        shutdown();
        throw;
    }
    std::scoped_lock lock(mutex_);
    state_ = BrokerState::kRunningAsBroker;
    stateChanged_.notify_all();
}
//< ch26 startup

//> ch30
log::LogManager::Settings KafkaServer::logManagerSettings() const {
    log::LogManager::Settings settings{config_.logConfig()};
    //> ch31
    settings.time = time_;
    //< ch31
    //> ch32
    settings.logDirs = config_.logDirs();
    //< ch32
    //> ch34
    settings.retentionCheckMs = config_.logRetentionCheckIntervalMs();
    settings.flushRecoveryOffsetCheckpointMs = config_.logFlushOffsetCheckpointIntervalMs();
    settings.flushStartOffsetCheckpointMs = config_.logFlushStartOffsetCheckpointIntervalMs();
    //< ch34
    return settings;
}

KafkaApis::Settings KafkaServer::apisSettings() const {
    KafkaApis::Settings settings{socketServer_->requestChannel(), logManager_, config_,
                                 socketServer_->boundPort()};
    //> ch31
    settings.replicaManager = replicaManager_;
    //< ch31
    return settings;
}
//< ch30

//> ch26 shutdown
void KafkaServer::shutdown() {
    {
        std::scoped_lock lock(mutex_);
        if (state_ == BrokerState::kNotRunning || state_ == BrokerState::kShuttingDown) return;
        state_ = BrokerState::kShuttingDown;
    }
    //> ch27
    if (socketServer_) socketServer_->shutdown();  // no new connection, no new request
    //< ch27
    //> ch30
    if (requestHandlerPool_) requestHandlerPool_->shutdown();
    if (apis_) apis_->shutdown();  // fetches still waiting get their (empty) answer
    //< ch30
    //> ch34
    if (kafkaScheduler_) kafkaScheduler_->shutdown();  // no retention run during what follows
    if (logManager_) logManager_->shutdown();          // flushed, checkpointed, marked clean
    //< ch34
    std::scoped_lock lock(mutex_);
    state_ = BrokerState::kNotRunning;
    stateChanged_.notify_all();
}
//< ch26 shutdown

void KafkaServer::awaitShutdown() {
    std::unique_lock lock(mutex_);
    stateChanged_.wait(lock, [this] { return started_ && state_ == BrokerState::kNotRunning; });
}

KafkaServer::BrokerState KafkaServer::state() const {
    std::scoped_lock lock(mutex_);
    return state_;
}

std::string toString(KafkaServer::BrokerState state) {
    switch (state) {
        case KafkaServer::BrokerState::kNotRunning:
            return "NotRunning";
        case KafkaServer::BrokerState::kStarting:
            return "Starting";
        case KafkaServer::BrokerState::kRunningAsBroker:
            return "RunningAsBroker";
        case KafkaServer::BrokerState::kShuttingDown:
            return "ShuttingDown";
    }
    return "Unknown";
}

}  // namespace kafka::server
