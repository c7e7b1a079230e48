//@ ch25
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "kafka/common/metrics/MetricName.h"
#include "kafka/common/metrics/stats/SampledStat.h"

namespace kafka::common::metrics {

/// One place where something is measured ("batch-size", "request-time"): record() a value
/// and every stat the sensor carries takes it (an Avg and a Max, say), each published under
/// its own MetricName. Thread-safe; a recording costs a mutex and a few additions.
class Sensor {
public:
    Sensor(std::string name, MetricConfig config);

    const std::string& name() const { return name_; }
    void add(MetricName metricName, std::unique_ptr<stats::MeasurableStat> stat);
    /// A Meter, as Kafka calls the pair: a per-second rate and a running total.
    void addMeter(MetricName rateName, MetricName totalName);
    void record(double value, std::int64_t nowMs);

    /// Every stat's current value, under its name.
    std::vector<std::pair<MetricName, double>> measure(std::int64_t nowMs) const;

private:
    const std::string name_;
    const MetricConfig config_;
    mutable std::mutex mutex_;
    std::vector<std::pair<MetricName, std::unique_ptr<stats::MeasurableStat>>> stats_;
};

}  // namespace kafka::common::metrics
