//@ ch25
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/ProducerBatch.h"
#include "kafka/common/metrics/Metrics.h"

namespace kafka::clients::producer::internals {

/// The Sender's metrics, under Kafka's names in the group "producer-metrics" (Kafka's
/// Sender.SenderMetrics). Recorded on the I/O thread, once per batch or per request, never
/// per record: at a million records a second, per-record bookkeeping would show.
class SenderMetrics {
public:
    static constexpr const char* kGroup = "producer-metrics";

    SenderMetrics(std::shared_ptr<common::metrics::Metrics> metrics, const std::string& clientId,
                  std::shared_ptr<Metadata> metadata);

    /// A produce request with these batches leaves now: batch-size, record-queue-time,
    /// compression-rate, and records-per-request with record-send-rate.
    void updateProduceRequestMetrics(const std::vector<std::shared_ptr<ProducerBatch>>& batches,
                                     std::int64_t nowMs);
    /// request-latency: from the request's creation to its answer.
    void recordLatency(std::int64_t latencyMs, std::int64_t nowMs);
    void recordRetries(int records, std::int64_t nowMs);
    void recordErrors(int records, std::int64_t nowMs);
    //> ch38
    /// batch-split-rate: a batch the broker refused as too large was split (chapter 38).
    void recordBatchSplit(std::int64_t nowMs);
    //< ch38
    /// The I/O thread says how many requests it has in flight after each poll; the
    /// requests-in-flight gauge reads that, from any thread, without touching the client.
    void updateRequestsInFlight(int count) { requestsInFlight_->store(count); }

    common::metrics::MetricName name(const std::string& name) const;

private:
    std::shared_ptr<common::metrics::Metrics> metrics_;
    std::string clientId_;
    common::metrics::Sensor* batchSize_;
    common::metrics::Sensor* compressionRate_;
    common::metrics::Sensor* queueTime_;
    common::metrics::Sensor* requestTime_;
    common::metrics::Sensor* recordsPerRequest_;
    common::metrics::Sensor* retries_;
    common::metrics::Sensor* errors_;
    //> ch38
    common::metrics::Sensor* batchSplit_;
    //< ch38
    std::shared_ptr<std::atomic<int>> requestsInFlight_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace kafka::clients::producer::internals
