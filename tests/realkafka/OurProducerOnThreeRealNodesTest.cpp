//@ ch30
// Our producer against three real Kafka 4.x nodes (KRaft, each a broker and a controller),
// a topic with replication factor 3 and min.insync.replicas=2. Mid-run the leader of some
// partitions is killed with SIGKILL: the controller fences it, the followers take over its
// partitions, and our producer (acks=all) rides through the leader change by refreshing its
// metadata and retrying. Every record it acknowledged is read back at its offset by Kafka's
// Java consumer.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "RealKafka.h"
#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"

namespace kafka::test {
namespace {

using clients::producer::KafkaProducer;
using clients::producer::ProducerRecord;
using clients::producer::RecordMetadataFuture;
using Producer = KafkaProducer<std::string, std::string>;

constexpr int kPartitions = 6;

class OurProducerOnThreeRealNodes : public RealKafkaSuite<OurProducerOnThreeRealNodes> {
protected:
    static void SetUpTestSuite() {
        // A dead broker is fenced when its session times out (9 s by default): shorter here,
        // so that the leader change comes within a few seconds.
        startCluster("three-nodes", 3,
                     {"broker.session.timeout.ms=4000", "broker.heartbeat.interval.ms=500"},
                     "failover " + std::to_string(kPartitions) + " 3 min.insync.replicas=2");
    }

    // Partition -> leader's node id, as Kafka's Admin client sees it now.
    static std::map<int, int> leaders() {
        const auto run = JavaClients::run("leaders " + cluster_->bootstrapServers() + " failover");
        EXPECT_EQ(run.exitCode, 0) << run.output;
        std::map<int, int> leaders;
        for (const auto& line : parseLines(run.output, "leader"))
            leaders[line.partition] = static_cast<int>(line.offset);  // "leader P NODE ISR"
        return leaders;
    }
};

TEST_F(OurProducerOnThreeRealNodes, AcksAllRidesThroughItsLeaderBeingKilledAndEveryAckIsReadBack) {
    const auto before = leaders();
    ASSERT_EQ(before.size(), static_cast<std::size_t>(kPartitions));
    const int victim = before.at(0);
    int victimPartitions = 0;
    for (const auto& [partition, leader] : before) victimPartitions += leader == victim;

    constexpr int kRounds = 40, kPerRound = 50, kKillAfterRound = 10;
    std::vector<RecordMetadataFuture> futures;
    {
        Producer producer({{"bootstrap.servers", cluster_->bootstrapServers()},
                           {"acks", "all"},
                           {"linger.ms", "5"},
                           {"max.block.ms", "30000"},
                           {"request.timeout.ms", "10000"},
                           {"delivery.timeout.ms", "90000"}},
                          std::make_unique<common::serialization::StringSerializer>(),
                          std::make_unique<common::serialization::StringSerializer>());
        for (int round = 0; round < kRounds; ++round) {
            if (round == kKillAfterRound) cluster_->kill(victim);
            for (int i = round * kPerRound; i < (round + 1) * kPerRound; ++i)
                futures.push_back(producer.send(ProducerRecord<std::string, std::string>(
                    "failover", "key-" + std::to_string(i), "value-" + std::to_string(i))));
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
        }
        producer.close();
    }

    std::map<std::pair<int, std::int64_t>, int> acknowledged;  // place -> record index
    std::map<std::string, int> failures;                       // error -> count
    int onVictimsPartitions = 0;
    for (int i = 0; i < static_cast<int>(futures.size()); ++i) {
        try {
            const auto metadata = futures[i].get();
            acknowledged[{metadata.partition(), metadata.offset()}] = i;
            onVictimsPartitions += before.at(metadata.partition()) == victim;
        } catch (const std::exception& e) {
            ++failures[e.what()];
        }
    }
    for (const auto& [error, count] : failures)
        ADD_FAILURE() << count << " records failed: " << error;
    EXPECT_EQ(acknowledged.size(), futures.size()) << "acks=all rides through the leader change";
    EXPECT_GT(onVictimsPartitions, 0) << "some records went to the killed node's partitions";

    const auto after = leaders();
    ASSERT_EQ(after.size(), static_cast<std::size_t>(kPartitions));
    for (const auto& [partition, leader] : after)
        EXPECT_NE(leader, victim) << "partition " << partition << " has a live leader";
    std::cout << "node " << victim << " (leader of " << victimPartitions << " of " << kPartitions
              << " partitions) was killed after " << kKillAfterRound * kPerRound << " of "
              << futures.size() << " records; " << acknowledged.size() << " acknowledged\n";

    const auto read = JavaClients::run("consume " + cluster_->bootstrapServers() + " failover");
    ASSERT_EQ(read.exitCode, 0) << read.output;
    const auto places = byPlace(parseLines(read.output, "record"));
    for (const auto& [place, i] : acknowledged) {
        const auto found = places.find(place);
        ASSERT_NE(found, places.end())
            << "record " << i << " acknowledged at " << place.first << "/" << place.second;
        EXPECT_EQ(found->second.value, "value-" + std::to_string(i));
    }
}

}  // namespace
}  // namespace kafka::test
