// Chapter 13: which brokers the sender sends to. Leaders of ready partitions, minus those the
// client is not ready to talk to (they start connecting, and their backoff bounds the sleep);
// a partition without a known leader asks for fresh metadata instead.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/common/utils/MockTime.h"
#include "support/MockClient.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::Cluster;
using common::Node;
using common::PartitionInfo;
using common::TopicPartition;
using common::utils::MockTime;
using common::utils::toBytes;
using internals::BufferPool;
using internals::RecordAccumulator;
using internals::Sender;

// Two brokers: node 1 leads t-0, node 2 leads t-1.
std::shared_ptr<const Cluster> twoBrokers() {
    const Node one(1, "localhost", 9092);
    const Node two(2, "localhost", 9093);
    return std::make_shared<Cluster>(
        "test-cluster", std::vector<Node>{one, two},
        std::vector<PartitionInfo>{{"t", 0, one, {one, two}, {one, two}},
                                   {"t", 1, two, {two, one}, {two, one}}});
}

class ReadyBrokers : public ::testing::Test {
protected:
    void append(const TopicPartition& tp) {
        const auto now = time->milliseconds();
        accumulator->append(tp, now, std::nullopt, toBytes("v"), {}, nullptr, 0, false, now);
    }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<test::MockClient> client = std::make_shared<test::MockClient>();
    std::shared_ptr<RecordAccumulator> accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{.batchSize = 1024, .lingerMs = 0, .retryBackoffMs = 100},
        std::make_shared<BufferPool>(65536, 1024, time), time);
    Sender sender{client, metadata, accumulator, {.acks = 1}, time};
};

TEST_F(ReadyBrokers, OnlyBrokersTheClientIsReadyForGetARequest) {
    metadata->update(twoBrokers(), time->milliseconds());
    client->makeUnreachable(2, 250);  // in reconnect backoff for 250 ms more
    append({"t", 0});
    append({"t", 1});
    sender.runOnce();

    const auto sent = client->sent();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].destination, "1");
    EXPECT_EQ(client->readyCalls(), (std::set<std::string>{"1", "2"}))
        << "asking ready() is what starts a connection";
    EXPECT_EQ(accumulator->batches({"t", 1}).size(), 1u) << "node 2's batch waits, undrained";
    EXPECT_EQ(client->lastPollTimeoutMs(), 0) << "node 1 was ready: no sleeping";

    client->respond({{{"t", 0}, {.baseOffset = 0}}});
    sender.runOnce();
    EXPECT_EQ(client->lastPollTimeoutMs(), 250) << "nothing to do until node 2's backoff ends";

    client->makeReachable(2);
    sender.runOnce();
    ASSERT_EQ(client->sent().size(), 2u);
    EXPECT_EQ(client->sent()[1].destination, "2");
}

TEST_F(ReadyBrokers, APartitionWithoutALeaderAsksForMetadataAndWaits) {
    metadata->update(test::singletonCluster("t", 2, /*leaderless=*/{1}), time->milliseconds());
    EXPECT_FALSE(metadata->updateRequested());
    append({"t", 1});
    sender.runOnce();

    EXPECT_TRUE(client->sent().empty());
    EXPECT_TRUE(metadata->updateRequested());
    EXPECT_TRUE(metadata->containsTopic("t"));
    EXPECT_EQ(accumulator->batches({"t", 1}).size(), 1u);

    // The new metadata names a leader: the batch goes.
    metadata->update(test::singletonCluster("t", 2), time->milliseconds());
    sender.runOnce();
    ASSERT_EQ(client->sent().size(), 1u);
    EXPECT_EQ(client->sent()[0].destination, "1");
}

TEST_F(ReadyBrokers, AccumulatorReadyNamesTheTopicsWithoutALeader) {
    const auto cluster = test::singletonCluster("t", 2, /*leaderless=*/{1});
    append({"t", 0});
    append({"t", 1});
    const auto result = accumulator->ready(*cluster, time->milliseconds());
    EXPECT_EQ(result.readyNodes, (std::set<Node>{Node(1, "localhost", 9092)}));
    EXPECT_EQ(result.unknownLeaderTopics, (std::set<std::string>{"t"}));
}

}  // namespace
}  // namespace kafka::clients::producer
