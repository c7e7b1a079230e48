//@ ch25
#pragma once

#include <memory>

#include "kafka/common/metrics/stats/SampledStat.h"

namespace kafka::common::metrics::stats {

/// Per second: what a SampledStat (a WindowedSum unless told otherwise) adds up over its
/// windows, divided by the time those windows cover. Until the windows have run for
/// samples-1 full windows, that time counts as if they had (Kafka's choice, so that a rate
/// does not start with a huge value measured over a few milliseconds): a 10-second run with
/// the default two 30-second samples is divided by 40 seconds.
class Rate : public MeasurableStat {
public:
    Rate() : stat_(std::make_unique<WindowedSum>()) {}
    explicit Rate(std::unique_ptr<SampledStat> stat) : stat_(std::move(stat)) {}

    void record(const MetricConfig& config, double value, std::int64_t nowMs) override;
    double measure(const MetricConfig& config, std::int64_t nowMs) override;
    /// The milliseconds the rate divides by.
    std::int64_t windowSize(const MetricConfig& config, std::int64_t nowMs);

private:
    std::unique_ptr<SampledStat> stat_;
};

/// The sum of every value ever recorded (Kafka's CumulativeSum: the "-total" metrics).
class CumulativeSum : public MeasurableStat {
public:
    void record(const MetricConfig&, double value, std::int64_t) override { total_ += value; }
    double measure(const MetricConfig&, std::int64_t) override { return total_; }

private:
    double total_ = 0;
};

}  // namespace kafka::common::metrics::stats
