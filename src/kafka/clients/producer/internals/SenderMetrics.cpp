//@ ch25
#include "kafka/clients/producer/internals/SenderMetrics.h"

#include "kafka/common/metrics/stats/Rate.h"

namespace kafka::clients::producer::internals {

namespace stats = common::metrics::stats;

SenderMetrics::SenderMetrics(std::shared_ptr<common::metrics::Metrics> metrics,
                             const std::string& clientId, std::shared_ptr<Metadata> metadata)
    : metrics_(std::move(metrics)), clientId_(clientId) {
    auto& registry = *metrics_;
    batchSize_ = &registry.sensor("batch-size");
    batchSize_->add(name("batch-size-avg"), std::make_unique<stats::Avg>());
    batchSize_->add(name("batch-size-max"), std::make_unique<stats::Max>());

    compressionRate_ = &registry.sensor("compression-rate");
    compressionRate_->add(name("compression-rate-avg"), std::make_unique<stats::Avg>());

    queueTime_ = &registry.sensor("queue-time");
    queueTime_->add(name("record-queue-time-avg"), std::make_unique<stats::Avg>());
    queueTime_->add(name("record-queue-time-max"), std::make_unique<stats::Max>());

    requestTime_ = &registry.sensor("request-time");
    requestTime_->add(name("request-latency-avg"), std::make_unique<stats::Avg>());
    requestTime_->add(name("request-latency-max"), std::make_unique<stats::Max>());

    recordsPerRequest_ = &registry.sensor("records-per-request");
    recordsPerRequest_->addMeter(name("record-send-rate"), name("record-send-total"));
    recordsPerRequest_->add(name("records-per-request-avg"), std::make_unique<stats::Avg>());

    retries_ = &registry.sensor("record-retries");
    retries_->addMeter(name("record-retry-rate"), name("record-retry-total"));

    errors_ = &registry.sensor("errors");
    errors_->addMeter(name("record-error-rate"), name("record-error-total"));
    //> ch38
    batchSplit_ = &registry.sensor("batch-split");
    batchSplit_->addMeter(name("batch-split-rate"), name("batch-split-total"));
    //< ch38

    // Read when asked, not recorded: what the client and the metadata know right now.
    registry.addGauge(name("requests-in-flight"), [inFlight = requestsInFlight_](std::int64_t) {
        return static_cast<double>(inFlight->load());
    });
    registry.addGauge(name("metadata-age"), [metadata](std::int64_t nowMs) {
        return static_cast<double>(nowMs - metadata->lastSuccessfulUpdate()) / 1000.0;
    });
}

common::metrics::MetricName SenderMetrics::name(const std::string& name) const {
    return {name, kGroup, {{"client-id", clientId_}}};
}

//> ch25 produce-request-metrics
void SenderMetrics::updateProduceRequestMetrics(
    const std::vector<std::shared_ptr<ProducerBatch>>& batches, std::int64_t nowMs) {
    int records = 0;
    for (const auto& batch : batches) {
        batchSize_->record(batch->estimatedSizeInBytes(), nowMs);
        queueTime_->record(static_cast<double>(nowMs - batch->createdMs()), nowMs);
        /*> ch25-38 compression-rate-one
        compressionRate_->record(1.0, nowMs);  // no compression: written size / raw size
        */
        //> ch38
        compressionRate_->record(batch->compressionRatio(), nowMs);  // compressed / raw size
        //< ch38
        records += batch->recordCount();
    }
    recordsPerRequest_->record(records, nowMs);
}
//< ch25 produce-request-metrics

void SenderMetrics::recordLatency(std::int64_t latencyMs, std::int64_t nowMs) {
    requestTime_->record(static_cast<double>(latencyMs), nowMs);
}

void SenderMetrics::recordRetries(int records, std::int64_t nowMs) {
    retries_->record(records, nowMs);
}

void SenderMetrics::recordErrors(int records, std::int64_t nowMs) {
    errors_->record(records, nowMs);
}

//> ch38
void SenderMetrics::recordBatchSplit(std::int64_t nowMs) {
    batchSplit_->record(1, nowMs);
}
//< ch38

}  // namespace kafka::clients::producer::internals
