//@ ch30
#include "kafka/server/KafkaRequestHandlerPool.h"

namespace kafka::server {

KafkaRequestHandlerPool::KafkaRequestHandlerPool(
    int brokerId, std::shared_ptr<network::RequestChannel> requestChannel,
    std::shared_ptr<KafkaApis> apis, int numThreads)
    : requestChannel_(std::move(requestChannel)), apis_(std::move(apis)) {
    for (int id = 0; id < numThreads; ++id) {
        // Each thread speaks for itself, as Kafka's KafkaRequestHandler does.
        const common::utils::LogContext logContext("[Kafka Request Handler " + std::to_string(id) +
                                                   " on Broker " + std::to_string(brokerId) +
                                                   "], ");
        threads_.push_back(std::make_unique<common::utils::KafkaThread>(
            "kafka-request-handler-" + std::to_string(id),
            [this, log = logContext.logger("KafkaRequestHandler")] { run(log); }));
    }
}

KafkaRequestHandlerPool::~KafkaRequestHandlerPool() {
    shutdown();
}

//> ch30 handler-run
void KafkaRequestHandlerPool::run(const common::utils::Logger& log) {
    while (running_) {
        const auto request = requestChannel_->receiveRequest(300);
        if (!request) {
            if (requestChannel_->isShutdown()) return;  // no request will come any more
            continue;                                   // nothing for 300 ms: look again
        }
        try {
            apis_->handle(request);
        } catch (const std::exception& e) {
            log.error("Exception when handling request: {}", e.what());  // and carry on
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
