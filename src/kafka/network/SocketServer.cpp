//@ ch27
#include "kafka/network/SocketServer.h"

#include "kafka/common/errors/Exceptions.h"

namespace kafka::network {

SocketServer::SocketServer(const server::KafkaConfig& config,
                           std::shared_ptr<common::utils::Time> time)
    : config_(config),
      logContext_("[SocketServer listenerType=BROKER, nodeId=" + std::to_string(config.brokerId()) +
                  "] "),
      time_(std::move(time)) {
    //> ch29
    requestChannel_ = std::make_shared<RequestChannel>(
        config.numNetworkThreads(), static_cast<std::size_t>(config.queuedMaxRequests()));
    // A response for processor p wakes processor p, and only it.
    requestChannel_->addResponseListener([this](int processor) {
        if (processor < static_cast<int>(processors_.size())) processors_[processor]->wakeup();
    });
    //< ch29
}

SocketServer::~SocketServer() {
    shutdown();
}

//> ch27 startup
void SocketServer::startup() {
    if (!processors_.empty())
        throw common::errors::IllegalStateException("A socket server starts only once");
    std::vector<std::shared_ptr<Processor>> processors;
    for (int id = 0; id < config_.numNetworkThreads(); ++id) {
        processors.push_back(std::make_shared<Processor>(id, processorSettings()));
    }
    // Bind first: a taken port fails the startup before any thread has started.
    acceptor_ = std::make_unique<Acceptor>(config_.host(), config_.port(), processors, logContext_);
    processors_ = std::move(processors);
    //> ch28
    for (const auto& processor : processors_) processor->start(config_.brokerId());
    //< ch28
    acceptor_->start();
}
//< ch27 startup

Processor::Settings SocketServer::processorSettings() const {
    Processor::Settings settings;
    settings.logContext = logContext_;
    //> ch28
    settings.selector.maxReceiveSize = config_.socketRequestMaxBytes();
    settings.selector.connectionMaxIdleMs = config_.connectionsMaxIdleMs();
    settings.time = time_;
    //< ch28
    //> ch29
    settings.requestChannel = requestChannel_;
    //< ch29
    return settings;
}

void SocketServer::shutdown() {
    if (!acceptor_) return;
    acceptor_->shutdown();
    //> ch29
    requestChannel_->shutdown();  // a Processor waiting for room in the queue lets go
    //< ch29
    //> ch28
    for (const auto& processor : processors_) processor->shutdown();
    //< ch28
    acceptor_.reset();
    // The (stopped) Processors stay: a handler may still queue a response and wake one.
}

int SocketServer::boundPort() const {
    if (!acceptor_) throw common::errors::IllegalStateException("The socket server is not running");
    return acceptor_->boundPort();
}

}  // namespace kafka::network
