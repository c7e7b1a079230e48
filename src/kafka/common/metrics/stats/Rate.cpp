//@ ch25
#include "kafka/common/metrics/stats/Rate.h"

#include <algorithm>

namespace kafka::common::metrics::stats {

void Rate::record(const MetricConfig& config, double value, std::int64_t nowMs) {
    stat_->record(config, value, nowMs);
}

double Rate::measure(const MetricConfig& config, std::int64_t nowMs) {
    const double value = stat_->measure(config, nowMs);
    return value / (static_cast<double>(windowSize(config, nowMs)) / 1000.0);
}

//> ch25 rate-window
std::int64_t Rate::windowSize(const MetricConfig& config, std::int64_t nowMs) {
    stat_->purgeObsoleteSamples(config, nowMs);
    std::int64_t elapsedMs = nowMs - stat_->oldest(nowMs).lastWindowMs;
    const std::int64_t fullWindows = elapsedMs / config.timeWindowMs;
    const std::int64_t minFullWindows = config.samples - 1;
    if (fullWindows < minFullWindows)
        elapsedMs += (minFullWindows - fullWindows) * config.timeWindowMs;
    return std::max<std::int64_t>(elapsedMs, 1);
}
//< ch25 rate-window

}  // namespace kafka::common::metrics::stats
