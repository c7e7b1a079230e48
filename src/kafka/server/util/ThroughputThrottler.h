//@ ch25
#pragma once

#include <cstdint>

#include "kafka/common/utils/Time.h"

namespace kafka::server::util {

/// Holds a loop to a target rate, as Kafka's ThroughputThrottler holds ProducerPerformance's:
/// while the loop runs ahead of the rate, each call to throttle() adds 1/rate to a sleep
/// deficit, and the loop sleeps only once that deficit reaches 2 ms. At 10,000 records a
/// second the producer is handed bursts of about 20 records every 2 ms. Sleeping until each
/// record's own due time would hand it one record every 100 µs: a different load, and one that
/// wakes the sending thread, and the producer's I/O thread, once per record.
class ThroughputThrottler {
public:
    /// `targetThroughput` things a second from `startNs` on, sleeping through `time`; a
    /// negative target never throttles. `startNs` and the send times given to shouldThrottle()
    /// are nanoseconds of one monotonic clock.
    ThroughputThrottler(common::utils::Time& time, double targetThroughput, std::int64_t startNs);

    /// Whether `amountSoFar` things sent by `sendStartNs` is faster than the target. Kafka
    /// counts milliseconds here, and a loop that has not yet seen one is never throttled: its
    /// tool's first send() fetches the metadata, which takes longer than that. Ours fetches
    /// the metadata before the clock starts, and sends hundreds of records within the first
    /// millisecond, so it counts nanoseconds.
    bool shouldThrottle(std::int64_t amountSoFar, std::int64_t sendStartNs) const;

    /// Counts one thing's share of sleep, and sleeps once the shares add up to 2 ms.
    void throttle();

private:
    static constexpr std::int64_t kMinSleepNs = 2'000'000;  // Kafka's MIN_SLEEP_NS

    common::utils::Time& time_;
    const double targetThroughput_;
    const std::int64_t startNs_;
    const std::int64_t sleepTimeNs_;
    std::int64_t sleepDeficitNs_ = 0;
};

}  // namespace kafka::server::util
