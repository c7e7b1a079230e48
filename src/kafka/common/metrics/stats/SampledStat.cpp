//@ ch25
#include "kafka/common/metrics/stats/SampledStat.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kafka::common::metrics::stats {

void SampledStat::record(const MetricConfig& config, double value, std::int64_t nowMs) {
    Sample* sample = &current(nowMs);
    if (nowMs - sample->lastWindowMs >= config.timeWindowMs) sample = &advance(config, nowMs);
    update(*sample, value);
    ++sample->eventCount;
}

double SampledStat::measure(const MetricConfig& config, std::int64_t nowMs) {
    purgeObsoleteSamples(config, nowMs);
    return combine(samples_);
}

const SampledStat::Sample& SampledStat::oldest(std::int64_t nowMs) {
    if (samples_.empty()) return current(nowMs);
    return *std::min_element(
        samples_.begin(), samples_.end(),
        [](const Sample& a, const Sample& b) { return a.lastWindowMs < b.lastWindowMs; });
}

void SampledStat::purgeObsoleteSamples(const MetricConfig& config, std::int64_t nowMs) {
    const std::int64_t expireAge = config.samples * config.timeWindowMs;
    for (auto& sample : samples_)
        if (nowMs - sample.lastWindowMs >= expireAge) reset(sample, nowMs);
}

SampledStat::Sample& SampledStat::current(std::int64_t nowMs) {
    if (samples_.empty()) samples_.push_back(Sample{initialValue_, 0, nowMs});
    return samples_[current_];
}

SampledStat::Sample& SampledStat::advance(const MetricConfig& config, std::int64_t nowMs) {
    current_ = (current_ + 1) % static_cast<std::size_t>(std::max(config.samples, 1));
    if (current_ >= samples_.size()) {
        samples_.push_back(Sample{initialValue_, 0, nowMs});
    } else {
        reset(samples_[current_], nowMs);
    }
    return samples_[current_];
}

void SampledStat::reset(Sample& sample, std::int64_t nowMs) const {
    sample.value = initialValue_;
    sample.eventCount = 0;
    sample.lastWindowMs = nowMs;
}

void Avg::update(Sample& sample, double value) {
    sample.value += value;
}

double Avg::combine(const std::vector<Sample>& samples) const {
    double total = 0;
    std::int64_t count = 0;
    for (const auto& sample : samples) {
        total += sample.value;
        count += sample.eventCount;
    }
    return count == 0 ? std::numeric_limits<double>::quiet_NaN() : total / count;
}

Max::Max() : SampledStat(-std::numeric_limits<double>::infinity()) {}

void Max::update(Sample& sample, double value) {
    sample.value = std::max(sample.value, value);
}

double Max::combine(const std::vector<Sample>& samples) const {
    double max = -std::numeric_limits<double>::infinity();
    std::int64_t count = 0;
    for (const auto& sample : samples) {
        max = std::max(max, sample.value);
        count += sample.eventCount;
    }
    return count == 0 ? std::numeric_limits<double>::quiet_NaN() : max;
}

void WindowedSum::update(Sample& sample, double value) {
    sample.value += value;
}

double WindowedSum::combine(const std::vector<Sample>& samples) const {
    double total = 0;
    for (const auto& sample : samples) total += sample.value;
    return total;
}

}  // namespace kafka::common::metrics::stats
