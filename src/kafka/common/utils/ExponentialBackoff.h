//@ ch15
#pragma once

#include <cstdint>
#include <random>

namespace kafka::common::utils {

/// A delay that grows with each failed attempt (Kafka's ExponentialBackoff):
/// `initialInterval × multiplier^attempts`, never above `maxInterval`, spread at random by
/// ±`jitter` so that many clients failing together do not all come back at the same moment.
/// Kafka uses it for the reconnect backoff (KIP-144), the connection setup timeout (KIP-601)
/// and, since 3.7, the retry backoff (KIP-580). Not thread-safe: its owner's thread uses it.
class ExponentialBackoff {
public:
    ExponentialBackoff(std::int64_t initialInterval, int multiplier, std::int64_t maxInterval,
                       double jitter);

    /// The delay after `attempts` failures in a row (0: the first).
    std::int64_t backoff(std::int64_t attempts);

private:
    const std::int64_t initialInterval_;
    const int multiplier_;
    const std::int64_t maxInterval_;
    const double jitter_;
    const double expMax_;  // the exponent at which the delay reaches maxInterval
    std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace kafka::common::utils
