//@ ch30
#include "kafka/server/KafkaRequestHandlerPool.h"

namespace kafka::server {

KafkaRequestHandlerPool::KafkaRequestHandlerPool(
    [[maybe_unused]] int brokerId, std::shared_ptr<network::RequestChannel> requestChannel,
    std::shared_ptr<KafkaApis> apis, int numThreads)
    : requestChannel_(std::move(requestChannel)), apis_(std::move(apis)) {
    for (int i = 0; i < numThreads; ++i)
        threads_.push_back(std::make_unique<common::utils::KafkaThread>(
            "kafka-request-handler-" + std::to_string(i), [this] { run(); }));
}

KafkaRequestHandlerPool::~KafkaRequestHandlerPool() {
    shutdown();
}

//> ch30 handler-run
void KafkaRequestHandlerPool::run() {
    while (running_) {
        const auto request = requestChannel_->receiveRequest(300);
        if (!request) {
            if (requestChannel_->isShutdown()) return;  // no request will come any more
            continue;                                   // nothing for 300 ms: look again
        }
        try {
            apis_->handle(request);
        } catch (const std::exception& e) {
            log_.error("Request handler error: {}", e.what());  // and carry on
        }
    }
}
//< ch30 handler-run

void KafkaRequestHandlerPool::shutdown() {
    running_ = false;
    requestChannel_->shutdown();  // wakes the threads waiting for a request
    for (auto& thread : threads_)
        if (thread->joinable()) thread->join();
}

}  // namespace kafka::server
