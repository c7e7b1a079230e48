// Chapter 3: the immutable Cluster snapshot and its indexes.
#include <gtest/gtest.h>

#include "kafka/clients/ClientUtils.h"
#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/Cluster.h"
#include "kafka/common/serialization/StringSerializer.h"

namespace kafka::common {
namespace {

TEST(Cluster, IndexesPartitionsByTopicLeaderAndNode) {
    const Node b1(1, "h1", 9092), b2(2, "h2", 9092);
    const Cluster cluster("id", {b1, b2},
                          {{"t", 0, b1, {b1, b2}, {b1}},
                           {"t", 1, std::nullopt, {b1, b2}, {}},
                           {"t", 2, b2, {b2}, {b2}},
                           {"u", 0, b2, {b2}, {b2}}});
    EXPECT_EQ(cluster.partitionCountForTopic("t"), 3);
    EXPECT_EQ(cluster.partitionCountForTopic("missing"), std::nullopt);
    EXPECT_EQ(cluster.availablePartitionsForTopic("t").size(), 2u);
    EXPECT_EQ(cluster.leaderFor({"t", 2}), b2);
    EXPECT_EQ(cluster.leaderFor({"t", 1}), std::nullopt);  // no leader during an election
    EXPECT_EQ(cluster.leaderFor({"t", 9}), std::nullopt);  // unknown partition
    EXPECT_EQ(cluster.partitionsForNode(2).size(), 2u);
    EXPECT_EQ(cluster.nodeById(1), b1);
    EXPECT_EQ(cluster.topics(), (std::set<std::string>{"t", "u"}));
}

TEST(Cluster, ALeaderOutsideTheNodeListIsRefused) {
    const Node b1(1, "h1", 9092), ghost(7, "h7", 9092);
    EXPECT_THROW(Cluster("id", {b1}, {{"t", 0, ghost, {}, {}}}), errors::IllegalArgumentException);
}

TEST(Cluster, BootstrapNodesHaveNegativeIds) {
    const auto cluster = Cluster::bootstrap({{"a", 9092}, {"b", 9093}});
    EXPECT_TRUE(cluster->isBootstrapConfigured());
    ASSERT_EQ(cluster->nodes().size(), 2u);
    EXPECT_EQ(cluster->nodes()[0].id(), -1);
    EXPECT_EQ(cluster->nodes()[1].id(), -2);
    EXPECT_EQ(cluster->nodes()[1].host(), "b");
    EXPECT_TRUE(cluster->topics().empty());
}

TEST(Cluster, ANewProducerKnowsOnlyItsBootstrapBrokersAndWaitsForMaxAge) {
    using namespace kafka::clients::producer;
    // Not idempotent: from chapter 36 an idempotent producer's I/O thread goes looking for a
    // broker at once, to ask for its producer id, and a failed connection to these made-up
    // hosts brings the next metadata update forward, racing the check below.
    KafkaProducer<std::string, std::string> producer(
        {{"bootstrap.servers", "a:9092,b:9093"}, {"enable.idempotence", "false"}},
        std::make_unique<serialization::StringSerializer>(),
        std::make_unique<serialization::StringSerializer>());
    const auto& metadata = *producer.metadata();
    EXPECT_TRUE(metadata.fetch()->isBootstrapConfigured());
    EXPECT_EQ(metadata.fetch()->nodes().size(), 2u);
    EXPECT_EQ(metadata.version(), 1);
    // Nothing is due until a topic needs it or metadata.max.age.ms passes.
    const auto now = metadata.lastSuccessfulUpdate();
    EXPECT_EQ(metadata.timeToNextUpdate(now), 300000);
}

}  // namespace
}  // namespace kafka::common
