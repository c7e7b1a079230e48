//@ ch25
#include "kafka/common/metrics/Metrics.h"

#include <sstream>

namespace kafka::common::metrics {

std::string MetricName::displayName() const {
    std::ostringstream out;
    out << group << ':' << name << ":{";
    const char* separator = "";
    for (const auto& [key, value] : tags) {
        out << separator << key << '=' << value;
        separator = ", ";
    }
    out << '}';
    return out.str();
}

Metrics::Metrics(MetricConfig config, std::shared_ptr<utils::Time> time)
    : config_(config), time_(std::move(time)) {}

Sensor& Metrics::sensor(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto& sensor = sensors_[name];
    if (!sensor) sensor = std::make_unique<Sensor>(name, config_);
    return *sensor;
}

void Metrics::addGauge(MetricName name, Gauge gauge) {
    std::lock_guard lock(mutex_);
    gauges_.insert_or_assign(std::move(name), std::move(gauge));
}

std::map<MetricName, double> Metrics::values() const {
    const std::int64_t nowMs = time_->milliseconds();
    // Measured outside the registry's lock: a gauge takes its own part's lock (the pool's,
    // say), and no part should ever wait for the registry while holding one.
    std::vector<const Sensor*> sensors;
    std::map<MetricName, Gauge> gauges;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [name, sensor] : sensors_) sensors.push_back(sensor.get());
        gauges = gauges_;
    }
    std::map<MetricName, double> values;
    for (const Sensor* sensor : sensors)
        for (auto& [metricName, value] : sensor->measure(nowMs)) values.emplace(metricName, value);
    for (const auto& [name, gauge] : gauges) values.emplace(name, gauge(nowMs));
    return values;
}

}  // namespace kafka::common::metrics
