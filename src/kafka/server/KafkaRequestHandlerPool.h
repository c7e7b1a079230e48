//@ ch30
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "kafka/common/utils/KafkaThread.h"
#include "kafka/common/utils/LogContext.h"
#include "kafka/network/RequestChannel.h"
#include "kafka/server/KafkaApis.h"

namespace kafka::server {

/// The broker's I/O threads (Kafka's KafkaRequestHandlerPool of KafkaRequestHandlers):
/// num.io.threads of them take requests from the shared queue, any of them any request, and
/// hand each to KafkaApis. The Processors never wait for a request to be handled; the
/// handlers never touch a socket.
class KafkaRequestHandlerPool {
public:
    KafkaRequestHandlerPool(int brokerId, std::shared_ptr<network::RequestChannel> requestChannel,
                            std::shared_ptr<KafkaApis> apis, int numThreads);
    ~KafkaRequestHandlerPool();
    KafkaRequestHandlerPool(const KafkaRequestHandlerPool&) = delete;
    KafkaRequestHandlerPool& operator=(const KafkaRequestHandlerPool&) = delete;

    /// Lets each thread finish the request in hand, then joins them all. Kafka queues one
    /// AllDone request per thread for this; here a flag and the channel's wakeup do it.
    void shutdown();
    std::size_t threadCount() const { return threads_.size(); }

private:
    void run(const common::utils::Logger& log);

    std::shared_ptr<network::RequestChannel> requestChannel_;
    std::shared_ptr<KafkaApis> apis_;
    std::atomic<bool> running_ = true;
    std::vector<std::unique_ptr<common::utils::KafkaThread>> threads_;
};

}  // namespace kafka::server
