// Chapter 24 demo: a record cannot wait forever. Partition 0's leader goes down and stays
// down; records for it wait in the accumulator, are retried, and once delivery.timeout.ms has
// passed since they were appended they fail with a message that names the partition and the
// time. Records for the other partitions are not held up.
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <string>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/MockCluster.h"

using kafka::clients::producer::KafkaProducer;
using kafka::clients::producer::ProducerRecord;
using Clock = std::chrono::steady_clock;

int main() {
    kafka::test::MockCluster cluster(3);
    cluster.createTopic("expiring", 3);  // partition p is led by broker p + 1
    std::cout << "delivery.timeout.ms=3000, request.timeout.ms=1000, linger.ms=0\n"
              << "Broker 1 (the leader of partition 0) goes down before the records are sent.\n\n";
    KafkaProducer<std::string, std::string> producer(
        {{"bootstrap.servers", cluster.bootstrapServers()},
         {"acks", "1"},
         {"linger.ms", "0"},
         {"request.timeout.ms", "1000"},
         {"delivery.timeout.ms", "3000"}},
        std::make_unique<kafka::common::serialization::StringSerializer>(),
        std::make_unique<kafka::common::serialization::StringSerializer>());
    producer.send(ProducerRecord<std::string, std::string>("expiring", 1, std::nullopt, "warm"))
        .get();
    cluster.brokerDown(1);
    const auto start = Clock::now();
    // Each callback notes when its record's outcome came, and what it was.
    std::mutex mutex;
    std::map<int, std::string> outcomes;
    for (int i = 0; i < 9; ++i)
        producer.send(
            ProducerRecord<std::string, std::string>("expiring", i % 3, std::nullopt,
                                                     "record " + std::to_string(i)),
            [&, i](const kafka::clients::producer::RecordMetadata&, std::exception_ptr error) {
                std::string outcome = "acknowledged";
                if (error) try {
                        std::rethrow_exception(error);
                    } catch (const std::exception& e) {
                        outcome = e.what();
                    }
                const auto ms =
                    std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)
                        .count();
                std::scoped_lock lock(mutex);
                outcomes[i] = "after " + std::to_string(ms) + " ms: " + outcome;
            });
    producer.flush();
    for (const auto& [i, outcome] : outcomes)
        std::cout << "  record " << i << " (partition " << i % 3 << ") " << outcome << '\n';
    producer.close();
    std::cout << "\nThe records for partition 0 failed once delivery.timeout.ms had passed, not "
                 "before and not never; the others were not held up.\n";
    return 0;
}
