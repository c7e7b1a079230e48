// Chapter 6: which partition a record goes to: keyed, explicit, sticky, round-robin.
#include <gtest/gtest.h>

#include <map>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/clients/producer/RoundRobinPartitioner.h"
#include "kafka/clients/producer/internals/DefaultPartitioner.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/common/utils/MockTime.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::Cluster;
using common::utils::toBytes;
using internals::DefaultPartitioner;
using Producer = KafkaProducer<std::string, std::string>;
using Record = ProducerRecord<std::string, std::string>;

// A topic with `count` partitions; those in `leaderless` have no leader.
std::shared_ptr<const Cluster> topic(int count, std::set<int> leaderless = {}) {
    return test::singletonCluster("t", count, std::move(leaderless));
}

TEST(DefaultPartitioner, AKeyUsesAllPartitionsWhateverTheirLeaders) {
    DefaultPartitioner partitioner;
    // "foobar" -> 6 of 12, even when partition 6 (and others) have no leader right now.
    EXPECT_EQ(partitioner.partition("t", toBytes("foobar"), std::nullopt, *topic(12)), 6);
    EXPECT_EQ(partitioner.partition("t", toBytes("foobar"), std::nullopt, *topic(12, {5, 6, 7})),
              6);
}

TEST(DefaultPartitioner, TheSameKeyAlwaysMapsToTheSamePartition) {
    DefaultPartitioner partitioner;
    const auto cluster = topic(10);
    for (int i = 0; i < 100; ++i) {
        const auto key = toBytes("user-" + std::to_string(i));
        const int first = partitioner.partition("t", key, std::nullopt, *cluster);
        for (int repeat = 0; repeat < 3; ++repeat)
            EXPECT_EQ(partitioner.partition("t", key, std::nullopt, *cluster), first);
    }
}

TEST(DefaultPartitioner, KeylessRecordsStickUntilANewBatchAndAvoidLeaderlessPartitions) {
    DefaultPartitioner partitioner;
    const auto cluster = topic(3, {1});
    const int sticky = partitioner.partition("t", std::nullopt, std::nullopt, *cluster);
    EXPECT_NE(sticky, 1);
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(partitioner.partition("t", std::nullopt, std::nullopt, *cluster), sticky);
    partitioner.onNewBatch("t", *cluster, sticky);
    const int next = partitioner.partition("t", std::nullopt, std::nullopt, *cluster);
    EXPECT_NE(next, sticky);
    EXPECT_NE(next, 1);
    // A second thread reporting the same old partition does not move it again.
    partitioner.onNewBatch("t", *cluster, sticky);
    EXPECT_EQ(partitioner.partition("t", std::nullopt, std::nullopt, *cluster), next);
}

TEST(RoundRobinPartitioner, TakesAvailablePartitionsInTurn) {
    RoundRobinPartitioner partitioner;
    const auto cluster = topic(3, {1});
    std::vector<int> chosen;
    for (int i = 0; i < 6; ++i)
        chosen.push_back(partitioner.partition("t", std::nullopt, std::nullopt, *cluster));
    EXPECT_EQ(chosen, (std::vector<int>{0, 2, 0, 2, 0, 2}));
}

class ProducerPartitioningTest : public ::testing::Test {
protected:
    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>();
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300000, 300000, time);

    std::unique_ptr<Producer> newProducer(std::shared_ptr<const Cluster> cluster,
                                          common::config::Properties props = {}) {
        props.emplace("bootstrap.servers", "localhost:9092");
        metadata->update(std::move(cluster), time->milliseconds());
        return std::make_unique<Producer>(
            ProducerConfig(props), std::make_unique<common::serialization::StringSerializer>(),
            std::make_unique<common::serialization::StringSerializer>(),
            Producer::Dependencies{.time = time, .metadata = metadata});
    }

    // For each record value "r<i>", the partition and the batch it was appended to.
    static std::map<int, std::pair<int, const void*>> placements(Producer& producer, int count) {
        std::map<int, std::pair<int, const void*>> where;
        for (int p = 0; p < count; ++p)
            for (const auto& batch : producer.accumulator().batches({"t", p}))
                for (const auto& record : batch->records())
                    where[std::stoi(common::utils::toString(*record.value).substr(1))] = {
                        p, batch.get()};
        return where;
    }
};

TEST_F(ProducerPartitioningTest, StickyPartitionChangesOnlyWhenANewBatchStarts) {
    // Records of about 70 bytes in batches of 400 bytes: a handful of records a batch.
    auto producer = newProducer(topic(4), {{"batch.size", "400"}});
    const std::string padding(45, '.');
    constexpr int kRecords = 40;
    for (int i = 0; i < kRecords; ++i)
        producer->send(Record(
            "t", "r" + std::to_string(i) + padding.substr(0, 48 - std::to_string(i).size())));
    const auto where = placements(*producer, 4);
    ASSERT_EQ(where.size(), static_cast<std::size_t>(kRecords));
    int switches = 0;
    std::set<const void*> batches{where.at(0).second};
    for (int i = 1; i < kRecords; ++i) {
        const bool newBatch = where.at(i).second != where.at(i - 1).second;
        const bool newPartition = where.at(i).first != where.at(i - 1).first;
        EXPECT_EQ(newPartition, newBatch) << "record " << i;
        switches += newPartition;
        batches.insert(where.at(i).second);
    }
    // Every batch was filled by consecutive records, one partition after another.
    EXPECT_GE(batches.size(), 5u);
    EXPECT_EQ(switches, static_cast<int>(batches.size()) - 1);
}

TEST_F(ProducerPartitioningTest, KeyedRecordsGoWhereMurmur2SaysAndExplicitPartitionsWin) {
    auto producer = newProducer(topic(12));
    producer->send(Record("t", std::string("foobar"), std::string("r0")));
    producer->send(Record("t", 3, std::string("foobar"), std::string("r1")));
    const auto where = placements(*producer, 12);
    EXPECT_EQ(where.at(0).first, 6);
    EXPECT_EQ(where.at(1).first, 3);
}

TEST_F(ProducerPartitioningTest, IgnoreKeysTreatsKeyedRecordsAsKeyless) {
    auto producer = newProducer(topic(12), {{"partitioner.ignore.keys", "true"}});
    for (int i = 0; i < 5; ++i)
        producer->send(Record("t", std::string("foobar"), "r" + std::to_string(i)));
    const auto where = placements(*producer, 12);
    // All five stick together in one partition, chosen at random rather than by the key.
    for (int i = 1; i < 5; ++i) EXPECT_EQ(where.at(i).first, where.at(0).first);
}

TEST_F(ProducerPartitioningTest, PartitionerClassSelectsRoundRobin) {
    auto producer = newProducer(topic(3, {1}), {{"partitioner.class", "RoundRobinPartitioner"}});
    for (int i = 0; i < 4; ++i) producer->send(Record("t", "r" + std::to_string(i)));
    const auto where = placements(*producer, 3);
    std::vector<int> partitions;
    for (int i = 0; i < 4; ++i) partitions.push_back(where.at(i).first);
    // The first append of each partition asks for a new batch, which moves round robin on.
    for (int p : partitions) EXPECT_NE(p, 1);
}

}  // namespace
}  // namespace kafka::clients::producer
