// Chapter 17 demo: the first records on a real Kafka. The demo starts librdkafka's mock cluster
// (three brokers on 127.0.0.1, in this process), sends records with our producer, then reads
// them back with librdkafka's consumer and shows where each partition's records went.
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/MockCluster.h"

using kafka::clients::producer::KafkaProducer;
using kafka::clients::producer::ProducerRecord;
using kafka::clients::producer::RecordMetadata;
using kafka::clients::producer::RecordMetadataFuture;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPartitions = 6;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int records = argc > 1 ? std::atoi(argv[1]) : 20'000;
    kafka::test::MockCluster cluster(3);
    cluster.createTopic("demo", kPartitions);
    std::cout << "Kafka (librdkafka's mock cluster): 3 brokers at " << cluster.bootstrapServers()
              << "\nTopic \"demo\": " << kPartitions
              << " partitions; partition p is led by broker p % 3 + 1\n\n";

    std::map<int, std::vector<std::int64_t>> offsetsByPartition;
    const auto start = Clock::now();
    {
        KafkaProducer<std::string, std::string> producer(
            {{"bootstrap.servers", cluster.bootstrapServers()}, {"acks", "1"}, {"linger.ms", "5"}},
            std::make_unique<kafka::common::serialization::StringSerializer>(),
            std::make_unique<kafka::common::serialization::StringSerializer>());
        std::vector<RecordMetadataFuture> futures;
        futures.reserve(static_cast<std::size_t>(records));
        for (int i = 0; i < records; ++i) {
            futures.push_back(producer.send(ProducerRecord<std::string, std::string>(
                "demo", "key-" + std::to_string(i), "record number " + std::to_string(i))));
            if ((i + 1) % 5000 == 0)
                std::cout << "\rsent " << i + 1 << " of " << records << std::flush;
        }
        for (auto& future : futures) {
            const RecordMetadata metadata = future.get();
            offsetsByPartition[metadata.partition()].push_back(metadata.offset());
        }
        producer.close();
        const auto cluster = producer.metadata()->fetch();
        std::cout << "\rProduced " << records << " records (acks=1) in " << std::fixed
                  << std::setprecision(2) << secondsSince(start) << " s; the producer knew "
                  << cluster->nodes().size() << " brokers from one bootstrap address\n\n";
    }

    const auto readStart = Clock::now();
    const auto consumed =
        kafka::test::consumeAll(cluster.bootstrapServers(), "demo", kPartitions,
                                static_cast<std::size_t>(records), std::chrono::seconds(30));
    std::map<int, int> consumedByPartition;
    for (const auto& record : consumed) ++consumedByPartition[record.partition];
    std::cout << "Read back by librdkafka's consumer in " << secondsSince(readStart) << " s:\n"
              << "  partition  leader  acknowledged  read back  offsets\n";
    for (int p = 0; p < kPartitions; ++p) {
        const auto& offsets = offsetsByPartition[p];
        std::cout << "  " << std::setw(9) << p << "  " << std::setw(6) << p % 3 + 1 << "  "
                  << std::setw(12) << offsets.size() << "  " << std::setw(9)
                  << consumedByPartition[p] << "  ";
        if (!offsets.empty()) std::cout << offsets.front() << ".." << offsets.back();
        std::cout << '\n';
    }
    const bool allBack = consumed.size() == static_cast<std::size_t>(records);
    std::cout << '\n'
              << (allBack ? "Every record came back." : "Some records did not come back!") << '\n';
    return allBack ? 0 : 1;
}
