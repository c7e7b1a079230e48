// Chapter 25 demo: the whole producer against a cluster that misbehaves. librdkafka's mock
// cluster (three brokers, in this process) takes the records while, along the way, one broker
// goes down and comes back, a partition's leader moves, and produce requests are refused with
// NOT_LEADER_OR_FOLLOWER. Every send completes once; a librdkafka consumer then reads back
// every acknowledged record at the offset its future was given.
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/MockCluster.h"

using kafka::clients::producer::KafkaProducer;
using kafka::clients::producer::ProducerRecord;
using kafka::clients::producer::RecordMetadataFuture;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPartitions = 6;
constexpr std::int16_t kProduce = 0;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int records = argc > 1 ? std::atoi(argv[1]) : 30'000;
    kafka::test::MockCluster cluster(3);
    cluster.createTopic("demo", kPartitions);
    std::cout << "Kafka (librdkafka's mock cluster): 3 brokers at " << cluster.bootstrapServers()
              << "\nTopic \"demo\": " << kPartitions << " partitions, leaders spread\n"
              << "Producer: acks=all, retries, max.in.flight.requests.per.connection=1, "
                 "request.timeout.ms=2000\n\n";

    // What happens along the way, at these record numbers.
    const int brokerDownAt = records / 5, brokerUpAt = 2 * records / 5,
              leaderMovesAt = 3 * records / 5, errorsAt = 4 * records / 5;
    const auto start = Clock::now();
    std::vector<std::pair<std::string, RecordMetadataFuture>> futures;
    {
        KafkaProducer<std::string, std::string> producer(
            {{"bootstrap.servers", cluster.bootstrapServers()},
             {"acks", "all"},
             {"linger.ms", "5"},
             {"max.in.flight.requests.per.connection", "1"},
             {"request.timeout.ms", "2000"},
             {"delivery.timeout.ms", "30000"}},
            std::make_unique<kafka::common::serialization::StringSerializer>(),
            std::make_unique<kafka::common::serialization::StringSerializer>());
        for (int i = 0; i < records; ++i) {
            const std::string key = "key-" + std::to_string(i);
            futures.emplace_back(key, producer.send(ProducerRecord<std::string, std::string>(
                                          "demo", key, "record " + std::to_string(i))));
            if (i == brokerDownAt) {
                std::cout << "[record " << i << "] broker 2 goes down\n";
                cluster.brokerDown(2);
            } else if (i == brokerUpAt) {
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                std::cout << "[record " << i << "] broker 2 comes back\n";
                cluster.brokerUp(2);
            } else if (i == leaderMovesAt) {
                std::cout << "[record " << i << "] partition 0's leader moves from broker 1 to 3\n";
                cluster.setLeader("demo", 0, 3);
            } else if (i == errorsAt) {
                std::cout << "[record " << i
                          << "] the next 3 produce requests are refused: NOT_LEADER_OR_FOLLOWER\n";
                cluster.pushRequestErrors(kProduce, {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                                     RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                                     RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION});
            }
        }
        producer.close();  // every record has its outcome when this returns
    }

    std::map<std::string, std::pair<int, std::int64_t>> acknowledged;  // key → partition, offset
    int failed = 0;
    for (auto& [key, future] : futures) {
        try {
            const auto metadata = future.get();
            acknowledged[key] = {metadata.partition(), metadata.offset()};
        } catch (const std::exception& e) {
            if (failed++ < 3) std::cout << "failed: " << key << ": " << e.what() << '\n';
        }
    }
    std::cout << "\nSent " << records << " records in " << std::fixed << std::setprecision(2)
              << secondsSince(start) << " s: " << acknowledged.size() << " acknowledged, " << failed
              << " failed\n";

    const auto consumed =
        kafka::test::consumeAll(cluster.bootstrapServers(), "demo", kPartitions,
                                static_cast<std::size_t>(records), std::chrono::seconds(30));
    int atTheirOffset = 0, duplicates = 0;
    std::map<std::string, int> seen;
    for (const auto& record : consumed) {
        if (++seen[*record.key] > 1) ++duplicates;
        const auto found = acknowledged.find(*record.key);
        if (found != acknowledged.end() &&
            found->second == std::make_pair(record.partition, record.offset))
            ++atTheirOffset;
    }
    std::cout << "Read back by librdkafka's consumer: " << consumed.size() << " records; "
              << atTheirOffset << " of the " << acknowledged.size()
              << " acknowledged at the offset their future was given; " << duplicates
              << " duplicates\n";
    const bool good = atTheirOffset == static_cast<int>(acknowledged.size()) &&
                      failed + static_cast<int>(acknowledged.size()) == records;
    std::cout << (good ? "Nothing lost: every send completed once, every acknowledged record is "
                         "where its future said."
                       : "Something is wrong: see above.")
              << '\n';
    return good ? 0 : 1;
}
