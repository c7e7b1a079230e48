//@ ch25
#include "kafka/common/metrics/Sensor.h"

#include "kafka/common/metrics/stats/Rate.h"

namespace kafka::common::metrics {

Sensor::Sensor(std::string name, MetricConfig config) : name_(std::move(name)), config_(config) {}

void Sensor::add(MetricName metricName, std::unique_ptr<stats::MeasurableStat> stat) {
    std::lock_guard lock(mutex_);
    stats_.emplace_back(std::move(metricName), std::move(stat));
}

void Sensor::addMeter(MetricName rateName, MetricName totalName) {
    add(std::move(rateName), std::make_unique<stats::Rate>());
    add(std::move(totalName), std::make_unique<stats::CumulativeSum>());
}

void Sensor::record(double value, std::int64_t nowMs) {
    std::lock_guard lock(mutex_);
    for (auto& [name, stat] : stats_) stat->record(config_, value, nowMs);
}

std::vector<std::pair<MetricName, double>> Sensor::measure(std::int64_t nowMs) const {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<MetricName, double>> values;
    for (const auto& [name, stat] : stats_)
        values.emplace_back(name, stat->measure(config_, nowMs));
    return values;
}

}  // namespace kafka::common::metrics
