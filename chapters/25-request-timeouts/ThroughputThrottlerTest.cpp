// kafka-producer-perf-test's --throughput, on a MockTime: the throttler sleeps in 2 ms pieces,
// as Kafka's does, so a throttled run hands the producer bursts, not one record at a time.

#include "kafka/server/util/ThroughputThrottler.h"

#include <gtest/gtest.h>

#include "kafka/common/utils/MockTime.h"

namespace kafka::server::util {
namespace {

using common::utils::MockTime;

TEST(ThroughputThrottler, ANegativeTargetNeverThrottles) {
    MockTime time;
    const ThroughputThrottler throttler(time, -1, time.nanoseconds());
    time.sleep(1);
    EXPECT_FALSE(throttler.shouldThrottle(1'000'000, time.nanoseconds()));
}

TEST(ThroughputThrottler, ThrottlesOnlyWhileAheadOfTheRate) {
    MockTime time;
    const std::int64_t start = time.nanoseconds();
    const ThroughputThrottler throttler(time, 1'000, start);
    EXPECT_FALSE(throttler.shouldThrottle(0, start));  // no time has passed: no rate yet
    EXPECT_TRUE(throttler.shouldThrottle(100, start + 50'000'000));    // 2,000 a second
    EXPECT_FALSE(throttler.shouldThrottle(100, start + 200'000'000));  // 500 a second
    // Within the first millisecond, where Kafka's count of milliseconds would not throttle yet.
    EXPECT_TRUE(throttler.shouldThrottle(1, start + 1'000));
}

TEST(ThroughputThrottler, SleepsTwoMillisecondsAfterTwentyRecordsAtTenThousandASecond) {
    MockTime time;
    const std::int64_t start = time.milliseconds();
    ThroughputThrottler throttler(time, 10'000, time.nanoseconds());
    // Each record is 100 µs of sleep owed. Nineteen of them are not yet worth a sleep...
    for (int record = 0; record < 19; ++record) throttler.throttle();
    EXPECT_EQ(time.milliseconds(), start);
    // ...the twentieth makes 2 ms, slept at once, and the count starts again.
    throttler.throttle();
    EXPECT_EQ(time.milliseconds(), start + 2);
    for (int record = 0; record < 19; ++record) throttler.throttle();
    EXPECT_EQ(time.milliseconds(), start + 2);
    throttler.throttle();
    EXPECT_EQ(time.milliseconds(), start + 4);
}

TEST(ThroughputThrottler, ASlowRateSleepsEveryTimeAndRoundsUp) {
    MockTime time;
    const std::int64_t start = time.milliseconds();
    ThroughputThrottler throttler(time, 300, time.nanoseconds());  // 3.33 ms a record
    throttler.throttle();
    EXPECT_EQ(time.milliseconds(), start + 4);
    throttler.throttle();
    EXPECT_EQ(time.milliseconds(), start + 8);
}

}  // namespace
}  // namespace kafka::server::util
