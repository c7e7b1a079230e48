// Chapter 21 demo: what comes back. Ten records go to librdkafka's mock cluster (three
// brokers, in this process); each callback gets the partition, the offset the broker gave the
// batch's first record plus the record's place in the batch, and the timestamp. Callbacks of
// one partition run in the order the records were sent.
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/MockCluster.h"

using kafka::clients::producer::KafkaProducer;
using kafka::clients::producer::ProducerRecord;
using kafka::clients::producer::RecordMetadata;

int main() {
    kafka::test::MockCluster cluster(3);
    cluster.createTopic("answers", 2);
    std::cout << "librdkafka's mock cluster at " << cluster.bootstrapServers()
              << "; topic \"answers\" with 2 partitions. Sending 10 records (acks=1, "
                 "linger.ms=20, so that they travel in two batches).\n\n"
              << "callback   record   partition   offset   timestamp\n";
    std::mutex mutex;
    int callbacks = 0;
    {
        KafkaProducer<std::string, std::string> producer(
            {{"bootstrap.servers", cluster.bootstrapServers()}, {"acks", "1"}, {"linger.ms", "20"}},
            std::make_unique<kafka::common::serialization::StringSerializer>(),
            std::make_unique<kafka::common::serialization::StringSerializer>());
        for (int i = 0; i < 10; ++i)
            producer.send(ProducerRecord<std::string, std::string>("answers", i % 2, std::nullopt,
                                                                   "record " + std::to_string(i)),
                          [&, i](const RecordMetadata& metadata, std::exception_ptr error) {
                              std::scoped_lock lock(mutex);
                              std::cout << "   " << ++callbacks << "\t    " << i << "\t     "
                                        << metadata.partition() << "\t   " << metadata.offset()
                                        << "\t    " << metadata.timestamp()
                                        << (error ? "  (failed)" : "") << '\n';
                          });
        producer.close();
    }
    std::cout << "\nEach partition's answer covered its whole batch: one base offset, and the "
                 "records at base + 0, 1, 2, ...\nThe timestamp is the broker's when it answers "
                 "with a log append time, as the mock cluster does (1234, a placeholder of its "
                 "own); a real broker answers -1 for a CreateTime topic, and each record keeps "
                 "the time it was sent.\n";
    return callbacks == 10 ? 0 : 1;
}
