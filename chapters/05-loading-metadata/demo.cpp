// Chapter 5 demo: send() for a topic the producer has never seen waits for its metadata;
// here a second thread plays the I/O thread and answers after a while.
#include <iostream>
#include <thread>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"

using namespace kafka::clients;
using namespace kafka::clients::producer;
using namespace kafka::common;

int main() {
    auto time = utils::Time::system();
    auto metadata = std::make_shared<Metadata>(100, 300000, 300000, time);
    metadata->update(Cluster::bootstrap({{"localhost", 9092}}), time->milliseconds());
    KafkaProducer<std::string, std::string> producer(
        ProducerConfig({{"bootstrap.servers", "localhost:9092"}, {"max.block.ms", "2000"}}),
        std::make_unique<serialization::StringSerializer>(),
        std::make_unique<serialization::StringSerializer>(), {.time = time, .metadata = metadata});

    std::thread ioThread([&] {
        while (!metadata->updateRequested())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::cout << "[io]   a refresh was requested; answering in 300 ms\n";
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        const Node broker(1, "localhost", 9092);
        metadata->update(std::make_shared<Cluster>(
                             "demo", std::vector<Node>{broker},
                             std::vector<PartitionInfo>{{"orders", 0, broker, {broker}, {broker}}}),
                         time->milliseconds());
    });
    const auto start = time->milliseconds();
    std::cout << "[user] send() to 'orders', which is not in the metadata yet\n";
    producer.send({"orders", std::string("first order")});
    std::cout << "[user] send() returned after " << time->milliseconds() - start << " ms\n";
    ioThread.join();

    std::cout << "[user] send() to 'nowhere': nobody answers, so it fails after max.block.ms\n";
    auto future = producer.send({"nowhere", std::string("lost")});
    try {
        future.get();
    } catch (const std::exception& e) {
        std::cout << "[user] " << e.what() << "\n";
    }
    return 0;
}
