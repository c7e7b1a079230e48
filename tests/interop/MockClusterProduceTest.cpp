//@ ch17
// Chapter 17 against a peer: librdkafka's mock cluster, three brokers with the partitions'
// leaders spread over them. Our producer learns the cluster from one bootstrap broker,
// connects to each leader, and what it sends is read back by a librdkafka consumer: every
// key, value and header, in order per partition, each record in the partition Kafka's murmur2
// picks, and (with acks=1) at the offset its future was given.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/common/utils/Utils.h"
#include "support/MockCluster.h"

namespace kafka::clients::producer {
namespace {

using common::utils::Utils;
using test::ConsumedRecord;
using test::MockCluster;
using Producer = KafkaProducer<std::string, std::string>;

constexpr int kPartitions = 6;

Producer newProducer(const MockCluster& cluster, const std::string& acks) {
    return Producer({{"bootstrap.servers", cluster.bootstrapServers()},
                     {"acks", acks},
                     {"linger.ms", "5"},
                     {"max.block.ms", "10000"},
                     {"request.timeout.ms", "5000"},
                     {"delivery.timeout.ms", "20000"}},
                    std::make_unique<common::serialization::StringSerializer>(),
                    std::make_unique<common::serialization::StringSerializer>());
}

ProducerRecord<std::string, std::string> keyed(int i) {
    const std::string key = "key-" + std::to_string(i);
    return ProducerRecord<std::string, std::string>(
        "orders", std::nullopt, std::nullopt, key, "value-" + std::to_string(i),
        {{"seq", common::utils::toBytes(std::to_string(i))}, {"empty", std::nullopt}});
}

int murmur2Partition(const std::string& key) {
    return Utils::toPositive(Utils::murmur2(common::utils::toBytes(key))) % kPartitions;
}

TEST(MockClusterProduce, RecordsSentWithAcksZeroComeBackWhole_InOrder_InTheirMurmur2Partition) {
    MockCluster cluster(3);
    cluster.createTopic("orders", kPartitions);
    constexpr int kRecords = 300;
    {
        auto producer = newProducer(cluster, "0");
        for (int i = 0; i < kRecords; ++i) producer.send(keyed(i));
        producer.close();  // delivers everything first
        EXPECT_EQ(producer.metadata()->fetch()->nodes().size(), 3u)
            << "the cluster, not the bootstrap";
    }
    const auto records = test::consumeAll(cluster.bootstrapServers(), "orders", kPartitions,
                                          kRecords, std::chrono::seconds(20));
    ASSERT_EQ(records.size(), static_cast<std::size_t>(kRecords));
    std::map<int, int> lastSeqInPartition;
    std::set<int> partitionsUsed;
    for (const ConsumedRecord& record : records) {
        ASSERT_TRUE(record.key && record.value);
        const int seq = std::stoi(record.key->substr(4));
        EXPECT_EQ(*record.value, "value-" + std::to_string(seq));
        EXPECT_EQ(record.partition, murmur2Partition(*record.key)) << *record.key;
        ASSERT_EQ(record.headers.size(), 2u);
        EXPECT_EQ(record.headers[0].first, "seq");
        EXPECT_EQ(record.headers[0].second, std::to_string(seq));
        EXPECT_EQ(record.headers[1].first, "empty");
        EXPECT_FALSE(record.headers[1].second.has_value()) << "a null header value stays null";
        // In order within the partition: sequence numbers only go up.
        auto [last, fresh] = lastSeqInPartition.try_emplace(record.partition, seq);
        if (!fresh) {
            EXPECT_LT(last->second, seq) << "partition " << record.partition;
            last->second = seq;
        }
        partitionsUsed.insert(record.partition);
    }
    // Six partitions led by three brokers: every leader got its share.
    EXPECT_EQ(partitionsUsed.size(), static_cast<std::size_t>(kPartitions));
}

TEST(MockClusterProduce, WithAcksOneEachFutureHoldsTheOffsetTheConsumerReads) {
    MockCluster cluster(3);
    cluster.createTopic("orders", kPartitions);
    constexpr int kRecords = 120;
    std::map<std::string, RecordMetadata> acknowledged;
    {
        auto producer = newProducer(cluster, "1");
        std::vector<std::pair<std::string, RecordMetadataFuture>> futures;
        for (int i = 0; i < kRecords; ++i)
            futures.emplace_back("key-" + std::to_string(i), producer.send(keyed(i)));
        for (auto& [key, future] : futures) acknowledged.emplace(key, future.get());
        producer.close();
    }
    const auto records = test::consumeAll(cluster.bootstrapServers(), "orders", kPartitions,
                                          kRecords, std::chrono::seconds(20));
    ASSERT_EQ(records.size(), static_cast<std::size_t>(kRecords));
    for (const ConsumedRecord& record : records) {
        const RecordMetadata& metadata = acknowledged.at(*record.key);
        EXPECT_EQ(metadata.partition(), record.partition) << *record.key;
        EXPECT_EQ(metadata.offset(), record.offset) << *record.key;
    }
}

}  // namespace
}  // namespace kafka::clients::producer
