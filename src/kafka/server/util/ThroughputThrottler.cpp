//@ ch25
#include "kafka/server/util/ThroughputThrottler.h"

namespace kafka::server::util {

ThroughputThrottler::ThroughputThrottler(common::utils::Time& time, double targetThroughput,
                                         std::int64_t startNs)
    : time_(time),
      targetThroughput_(targetThroughput),
      startNs_(startNs),
      sleepTimeNs_(targetThroughput > 0 ? static_cast<std::int64_t>(1e9 / targetThroughput) : 0) {}

bool ThroughputThrottler::shouldThrottle(std::int64_t amountSoFar, std::int64_t sendStartNs) const {
    if (targetThroughput_ < 0) return false;
    const double elapsedSeconds = static_cast<double>(sendStartNs - startNs_) / 1e9;
    return elapsedSeconds > 0 &&
           static_cast<double>(amountSoFar) / elapsedSeconds > targetThroughput_;
}

//> ch25 throttle
void ThroughputThrottler::throttle() {
    sleepDeficitNs_ += sleepTimeNs_;
    if (sleepDeficitNs_ < kMinSleepNs) return;
    // Time sleeps in whole milliseconds: round up, so the deficit is slept in full. A sleep
    // that runs long is not paid back; shouldThrottle() lets the loop catch up.
    time_.sleep((sleepDeficitNs_ + 999'999) / 1'000'000);
    sleepDeficitNs_ = 0;
}
//< ch25 throttle

}  // namespace kafka::server::util
