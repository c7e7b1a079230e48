// Chapter 22 demo: memory comes back. A producer with a small buffer.memory sends to
// librdkafka's mock cluster; the pool's free memory drops as batches fill and returns to the
// full buffer.memory once every response has been handled, which flush() waits for.
#include <iostream>
#include <string>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/MockCluster.h"

using kafka::clients::producer::KafkaProducer;
using kafka::clients::producer::ProducerRecord;

int main() {
    kafka::test::MockCluster cluster(3);
    cluster.createTopic("memory", 6);
    KafkaProducer<std::string, std::string> producer(
        {{"bootstrap.servers", cluster.bootstrapServers()},
         {"acks", "1"},
         {"linger.ms", "50"},
         {"batch.size", "16384"},
         {"buffer.memory", "1048576"}},
        std::make_unique<kafka::common::serialization::StringSerializer>(),
        std::make_unique<kafka::common::serialization::StringSerializer>());
    const auto& pool = producer.accumulator().bufferPool();
    auto show = [&](const std::string& when) {
        std::cout << "  " << when << ": " << pool.availableMemory() << " of " << pool.totalMemory()
                  << " bytes free\n";
    };
    std::cout << "buffer.memory=1 MiB, batch.size=16 KiB, linger.ms=50; 6 partitions.\n\n";
    show("before sending        ");
    for (int i = 0; i < 2000; ++i)
        producer.send(ProducerRecord<std::string, std::string>("memory", "key-" + std::to_string(i),
                                                               std::string(100, 'x')));
    show("2000 records appended ");
    producer.flush();
    show("after flush()         ");
    producer.close();
    show("after close()         ");
    std::cout << "\nEvery batch's buffer went back to the pool once its response was handled: "
                 "the next records reuse them instead of asking the allocator.\n";
    return pool.availableMemory() == pool.totalMemory() ? 0 : 1;
}
