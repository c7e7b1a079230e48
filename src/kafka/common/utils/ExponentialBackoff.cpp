//@ ch15
#include "kafka/common/utils/ExponentialBackoff.h"

#include <algorithm>
#include <cmath>

namespace kafka::common::utils {

ExponentialBackoff::ExponentialBackoff(std::int64_t initialInterval, int multiplier,
                                       std::int64_t maxInterval, double jitter)
    : initialInterval_(std::min(initialInterval, maxInterval)),
      multiplier_(multiplier),
      maxInterval_(maxInterval),
      jitter_(jitter),
      expMax_(maxInterval > initialInterval
                  ? std::log(static_cast<double>(maxInterval) /
                             static_cast<double>(std::max<std::int64_t>(initialInterval, 1))) /
                        std::log(static_cast<double>(multiplier))
                  : 0) {}

std::int64_t ExponentialBackoff::backoff(std::int64_t attempts) {
    if (expMax_ == 0) return initialInterval_;
    const double exponent = std::min(static_cast<double>(attempts), expMax_);
    const double term = static_cast<double>(initialInterval_) * std::pow(multiplier_, exponent);
    const double factor =
        jitter_ > 0 ? std::uniform_real_distribution<double>(1 - jitter_, 1 + jitter_)(random_)
                    : 1.0;
    return std::min(static_cast<std::int64_t>(factor * term), maxInterval_);
}

}  // namespace kafka::common::utils
