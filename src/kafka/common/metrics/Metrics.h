//@ ch25
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kafka/common/metrics/MetricName.h"
#include "kafka/common/metrics/Sensor.h"
#include "kafka/common/utils/Time.h"

namespace kafka::common::metrics {

/// A client's registry of metrics (Kafka's Metrics): the sensors its parts record into,
/// and gauges, values read only when someone asks (free memory in the pool, requests in
/// flight). Kafka also reports them through JMX; here they are read with values(), which
/// is what kafka-producer-perf-test --print-metrics prints.
class Metrics {
public:
    using Gauge = std::function<double(std::int64_t nowMs)>;

    explicit Metrics(MetricConfig config = {},
                     std::shared_ptr<utils::Time> time = utils::Time::system());

    /// The sensor of that name, made on first use. Sensors live as long as the registry.
    Sensor& sensor(const std::string& name);
    void addGauge(MetricName name, Gauge gauge);

    /// Every metric's current value, ordered by name.
    std::map<MetricName, double> values() const;
    const MetricConfig& config() const { return config_; }
    utils::Time& time() const { return *time_; }

private:
    const MetricConfig config_;
    const std::shared_ptr<utils::Time> time_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Sensor>> sensors_;
    std::map<MetricName, Gauge> gauges_;
};

}  // namespace kafka::common::metrics
