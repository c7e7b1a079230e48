//@ ch25
#pragma once

#include <cstdint>
#include <vector>

#include "kafka/common/metrics/MetricName.h"

namespace kafka::common::metrics::stats {

/// What a Sensor feeds: a stat that takes values and can be read as one number.
class MeasurableStat {
public:
    virtual ~MeasurableStat() = default;
    virtual void record(const MetricConfig& config, double value, std::int64_t nowMs) = 0;
    virtual double measure(const MetricConfig& config, std::int64_t nowMs) = 0;
};

/// A stat kept over a few rolling windows rather than forever, so that it follows what the
/// producer does now: `config.samples` samples of `config.timeWindowMs` each. A value goes
/// into the current sample; when that sample is older than a window, the next one (the
/// oldest) is reset and takes over. Samples older than all the windows together are reset
/// before a measurement, so a stat that hears nothing fades out rather than lingering.
class SampledStat : public MeasurableStat {
public:
    struct Sample {
        double value;
        std::int64_t eventCount = 0;
        std::int64_t lastWindowMs;
    };

    void record(const MetricConfig& config, double value, std::int64_t nowMs) override;
    double measure(const MetricConfig& config, std::int64_t nowMs) override;

    /// The sample that started longest ago (one is made if there is none).
    const Sample& oldest(std::int64_t nowMs);
    void purgeObsoleteSamples(const MetricConfig& config, std::int64_t nowMs);

protected:
    explicit SampledStat(double initialValue) : initialValue_(initialValue) {}
    virtual void update(Sample& sample, double value) = 0;
    virtual double combine(const std::vector<Sample>& samples) const = 0;

private:
    Sample& current(std::int64_t nowMs);
    Sample& advance(const MetricConfig& config, std::int64_t nowMs);
    void reset(Sample& sample, std::int64_t nowMs) const;

    double initialValue_;
    std::vector<Sample> samples_;
    std::size_t current_ = 0;
};

/// The mean of the values in the windows (NaN when there are none).
class Avg : public SampledStat {
public:
    Avg() : SampledStat(0.0) {}

protected:
    void update(Sample& sample, double value) override;
    double combine(const std::vector<Sample>& samples) const override;
};

/// The largest value in the windows (NaN when there are none).
class Max : public SampledStat {
public:
    Max();

protected:
    void update(Sample& sample, double value) override;
    double combine(const std::vector<Sample>& samples) const override;
};

/// The sum of the values in the windows: what a Rate divides by time.
class WindowedSum : public SampledStat {
public:
    WindowedSum() : SampledStat(0.0) {}

protected:
    void update(Sample& sample, double value) override;
    double combine(const std::vector<Sample>& samples) const override;
};

}  // namespace kafka::common::metrics::stats
