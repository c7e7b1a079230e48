// Chapter 6 demo: where records go. Keys are hashed with murmur2; key-less records stick to
// one partition until its batch is full, then move on.
#include <iomanip>
#include <iostream>
#include <map>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/clients/producer/internals/DefaultPartitioner.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/common/utils/Utils.h"

using namespace kafka::clients;
using namespace kafka::clients::producer;
using namespace kafka::common;

int main() {
    std::cout << "Keyed records: toPositive(murmur2(key)) % 6\n";
    for (const char* key : {"21", "foobar", "abc", "alice", "bob"}) {
        const auto bytes = utils::toBytes(key);
        std::cout << "  " << std::left << std::setw(8) << key << " murmur2 " << std::right
                  << std::setw(12) << utils::Utils::murmur2(bytes) << "  -> partition "
                  << internals::DefaultPartitioner::partitionForKey(bytes, 6) << "\n";
    }

    auto time = utils::Time::system();
    auto metadata = std::make_shared<Metadata>(100, 300000, 300000, time);
    const Node broker(1, "localhost", 9092);
    std::vector<PartitionInfo> partitions;
    for (int p = 0; p < 6; ++p) partitions.push_back({"clicks", p, broker, {broker}, {broker}});
    metadata->update(std::make_shared<Cluster>("demo", std::vector<Node>{broker}, partitions),
                     time->milliseconds());
    KafkaProducer<std::string, std::string> producer(
        ProducerConfig({{"bootstrap.servers", "localhost:9092"}, {"batch.size", "1024"}}),
        std::make_unique<serialization::StringSerializer>(),
        std::make_unique<serialization::StringSerializer>(), {.time = time, .metadata = metadata});
    for (int i = 0; i < 60; ++i) producer.send({"clicks", std::string(100, 'c')});

    std::cout << "\n60 key-less records of 100 bytes, batch.size=1024:\n";
    for (int p = 0; p < 6; ++p) {
        std::cout << "  clicks-" << p << ":";
        for (const auto& batch : producer.accumulator().batches({"clicks", p}))
            std::cout << " [batch of " << batch->recordCount() << "]";
        std::cout << "\n";
    }
    std::cout << "Each batch was filled by consecutive records before the partition moved on.\n";
    return 0;
}
