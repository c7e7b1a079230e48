// Chapter 3: metadata versions, waiting for an update, and when to refresh (on a fake clock).
#include <gtest/gtest.h>

#include <limits>

#include <future>
#include <thread>

#include "kafka/clients/Metadata.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/MockTime.h"
#include "support/TestUtils.h"

namespace kafka::clients {
namespace {

using common::Cluster;
using common::errors::TimeoutException;
using common::utils::MockTime;

constexpr std::int64_t kBackoffMs = 100;
constexpr std::int64_t kMaxAgeMs = 300000;
constexpr std::int64_t kIdleMs = 300000;

std::shared_ptr<const Cluster> clusterWithTopic(const std::string& topic, int partitions) {
    return test::singletonCluster(topic, partitions);
}

class MetadataTest : public ::testing::Test {
protected:
    std::shared_ptr<MockTime> time = std::make_shared<MockTime>(0);
    Metadata metadata{kBackoffMs, kMaxAgeMs, kIdleMs, time};
};

TEST_F(MetadataTest, TimeToNextUpdateHonoursMaxAgeAndBackoff) {
    metadata.update(clusterWithTopic("t", 1), 0);
    EXPECT_EQ(metadata.timeToNextUpdate(1000), 299000);  // only the age matters
    time->setCurrentTimeMs(50);
    metadata.requestUpdate();
    EXPECT_EQ(metadata.timeToNextUpdate(50), 50);  // requested, but the backoff is not over
    EXPECT_EQ(metadata.timeToNextUpdate(150), 0);  // now it is
    EXPECT_EQ(metadata.timeToNextUpdate(kMaxAgeMs + 10), 0);
}

TEST_F(MetadataTest, AFailedUpdateStartsTheBackoffAgain) {
    metadata.update(clusterWithTopic("t", 1), 0);
    metadata.requestUpdate();
    metadata.failedUpdate(1000);
    EXPECT_EQ(metadata.timeToNextUpdate(1000), kBackoffMs);
    EXPECT_EQ(metadata.timeToNextUpdate(1000 + kBackoffMs), 0);
    EXPECT_TRUE(metadata.updateRequested());  // a failed refresh is still wanted
}

TEST_F(MetadataTest, DataOlderThanMaxAgeIsDueWithoutARequest) {
    metadata.update(clusterWithTopic("t", 1), 0);
    EXPECT_FALSE(metadata.updateRequested());
    EXPECT_EQ(metadata.timeToNextUpdate(kMaxAgeMs - 1), 1);
    EXPECT_EQ(metadata.timeToNextUpdate(kMaxAgeMs), 0);
}

TEST_F(MetadataTest, UpdateBumpsTheVersionAndClearsTheRequest) {
    const int before = metadata.requestUpdate();
    EXPECT_TRUE(metadata.updateRequested());
    metadata.update(clusterWithTopic("t", 3), 0);
    EXPECT_EQ(metadata.version(), before + 1);
    EXPECT_FALSE(metadata.updateRequested());
    EXPECT_EQ(metadata.fetch()->partitionCountForTopic("t"), 3);
}

TEST_F(MetadataTest, AwaitUpdateWakesOnANewerVersion) {
    const int version = metadata.requestUpdate();
    auto waiter = std::async(std::launch::async, [&] { metadata.awaitUpdate(version, 60000); });
    EXPECT_EQ(waiter.wait_for(std::chrono::milliseconds(20)), std::future_status::timeout);
    metadata.update(clusterWithTopic("t", 1), time->milliseconds());
    EXPECT_NO_THROW(waiter.get());
}

TEST_F(MetadataTest, AwaitUpdateTimesOutWhenTheClockPassesTheDeadline) {
    const int version = metadata.requestUpdate();
    auto waiter = std::async(std::launch::async, [&] { metadata.awaitUpdate(version, 1000); });
    time->awaitWaiters(1);
    time->sleep(999);
    EXPECT_EQ(waiter.wait_for(std::chrono::milliseconds(20)), std::future_status::timeout);
    time->sleep(1);
    try {
        waiter.get();
        FAIL() << "awaitUpdate returned without an update";
    } catch (const TimeoutException& e) {
        EXPECT_STREQ(e.what(), "Failed to update metadata after 1000 ms.");
    }
}

// max.block.ms may be Long.MAX_VALUE ("forever"). A bug this test guards against: now + wait
// computed without a bound: a signed overflow (UBSan reports it), and a deadline in the past.
TEST_F(MetadataTest, AwaitUpdateCanWaitForever) {
    time->sleep(1000);  // a clock past zero, as every real one is
    const int version = metadata.requestUpdate();
    auto waiter = std::async(std::launch::async, [&] {
        metadata.awaitUpdate(version, std::numeric_limits<std::int64_t>::max());
    });
    ASSERT_EQ(waiter.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout)
        << "it gave up at once: the deadline overflowed into the past";
    time->sleep(1'000'000);
    EXPECT_EQ(waiter.wait_for(std::chrono::milliseconds(20)), std::future_status::timeout);
    metadata.update(clusterWithTopic("t", 1), time->milliseconds());
    EXPECT_NO_THROW(waiter.get());
}

TEST_F(MetadataTest, AwaitUpdateReturnsAtOnceIfTheVersionAlreadyMoved) {
    const int version = metadata.requestUpdate();
    metadata.update(clusterWithTopic("t", 1), 0);
    EXPECT_NO_THROW(metadata.awaitUpdate(version, 0));
    EXPECT_THROW(metadata.awaitUpdate(metadata.version(), 0), TimeoutException);
    EXPECT_THROW(metadata.awaitUpdate(version, -1), common::errors::IllegalArgumentException);
}

TEST_F(MetadataTest, TopicsIdleLongerThanMaxIdleAreForgotten) {
    metadata.add("busy", 0);
    metadata.add("idle", 0);
    metadata.add("busy", kIdleMs - 1);
    metadata.update(clusterWithTopic("busy", 1), kIdleMs);
    EXPECT_TRUE(metadata.containsTopic("busy"));
    EXPECT_FALSE(metadata.containsTopic("idle"));
}

}  // namespace
}  // namespace kafka::clients
