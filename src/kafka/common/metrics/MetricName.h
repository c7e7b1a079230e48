//@ ch25
#pragma once

#include <map>
#include <string>

namespace kafka::common::metrics {

/// A metric's identity, as Kafka names it: a name ("record-send-rate"), a group
/// ("producer-metrics") and tags ({client-id=producer-1}).
struct MetricName {
    std::string name;
    std::string group;
    std::map<std::string, std::string> tags;

    auto operator<=>(const MetricName&) const = default;

    /// "group:name:{k=v, ...}", the form Kafka's tools print.
    std::string displayName() const;
};

/// How stats are sampled: `samples` windows of `timeWindowMs` each (metrics.num.samples,
/// metrics.sample.window.ms).
struct MetricConfig {
    int samples = 2;
    std::int64_t timeWindowMs = 30000;
};

}  // namespace kafka::common::metrics
