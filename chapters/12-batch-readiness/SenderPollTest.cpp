// Chapter 12 in the sender: a batch that is not ready yet decides how long the sender sleeps.
#include <gtest/gtest.h>

#include <memory>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/common/utils/MockTime.h"
#include "support/MockClient.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::utils::MockTime;
using common::utils::toBytes;
using internals::BufferPool;
using internals::RecordAccumulator;
using internals::Sender;

TEST(SenderPoll, TheLoopSleepsUntilLingerRunsOutThenSends) {
    auto time = std::make_shared<MockTime>();
    auto metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    metadata->update(test::singletonCluster("t", 1), time->milliseconds());
    auto client = std::make_shared<test::MockClient>();
    auto accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{.batchSize = 1024, .lingerMs = 100, .retryBackoffMs = 100},
        std::make_shared<BufferPool>(65536, 1024, time), time);
    Sender sender(client, metadata, accumulator, {.acks = 1}, time);

    const auto now = time->milliseconds();
    accumulator->append({"t", 0}, now, std::nullopt, toBytes("v"), {}, nullptr, 0, false, now);
    time->sleep(30);
    sender.runOnce();
    EXPECT_TRUE(client->sent().empty());
    EXPECT_EQ(client->lastPollTimeoutMs(), 70) << "asleep exactly until linger.ms runs out";

    time->sleep(70);
    sender.runOnce();
    EXPECT_EQ(client->sent().size(), 1u);
    EXPECT_EQ(client->lastPollTimeoutMs(), 0) << "a node was ready: look again at once";
}

}  // namespace
}  // namespace kafka::clients::producer
