// Chapter 4 demo: send() from the caller's side. Records land in their partition's batch;
// a record too large for max.request.size fails through its callback; nothing is sent yet,
// because the sender's loop arrives in chapter 11.
#include <iostream>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"

using namespace kafka::clients;
using namespace kafka::clients::producer;
using namespace kafka::common;

int main() {
    auto time = utils::Time::system();
    auto metadata = std::make_shared<Metadata>(100, 300000, 300000, time);
    const Node broker(1, "localhost", 9092);
    metadata->update(std::make_shared<Cluster>(
                         "demo", std::vector<Node>{broker},
                         std::vector<PartitionInfo>{{"orders", 0, broker, {broker}, {broker}},
                                                    {"orders", 1, broker, {broker}, {broker}}}),
                     time->milliseconds());
    KafkaProducer<std::string, std::string> producer(
        ProducerConfig({{"bootstrap.servers", "localhost:9092"}, {"max.request.size", "1000"}}),
        std::make_unique<serialization::StringSerializer>(),
        std::make_unique<serialization::StringSerializer>(), {.time = time, .metadata = metadata});

    auto report = [](const RecordMetadata& m, std::exception_ptr error) {
        if (!error) return;
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            std::cout << "  callback for " << m.topic() << ": " << e.what() << "\n";
        }
    };
    for (int i = 0; i < 5; ++i)
        producer.send({"orders", i % 2, std::string("key-") + std::to_string(i),
                       std::string("order #") + std::to_string(i)},
                      report);
    std::cout << "Sent 5 records; send() returned at once each time.\n";
    producer.send({"orders", std::string(5000, 'x')}, report);

    for (int p = 0; p < 2; ++p) {
        for (const auto& batch : producer.accumulator().batches({"orders", p}))
            std::cout << "  orders-" << p << ": a batch of " << batch->recordCount()
                      << " records, about " << batch->estimatedSizeInBytes() << " bytes\n";
    }
    std::cout << "They wait in the accumulator for the sender (chapter 11).\n";
    return 0;
}
