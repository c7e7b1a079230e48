// Chapter 2 demo: a producer is built from properties: defaults filled in, a bad value
// refused with its key named, and one network thread started and joined again.
#include <iostream>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"

using namespace kafka::clients::producer;
using kafka::common::serialization::StringSerializer;

int main() {
    kafka::common::config::Properties props{
        {"bootstrap.servers", "localhost:9092"}, {"linger.ms", "20"}, {"colour", "blue"}};
    std::cout << "Building a producer (a warning for the unknown key 'colour' follows):\n";
    KafkaProducer<std::string, std::string> producer(props, std::make_unique<StringSerializer>(),
                                                     std::make_unique<StringSerializer>());
    const auto& config = producer.config();
    std::cout << "  client.id         " << producer.clientId() << "\n"
              << "  I/O thread        " << producer.ioThreadName() << "\n"
              << "  acks              " << config.getString("acks")
              << " (on the wire: " << config.acks() << ")\n"
              << "  linger.ms         " << config.getLong("linger.ms") << " (we set it)\n"
              << "  batch.size        " << config.getInt("batch.size") << " (default)\n"
              << "  buffer.memory     " << config.getLong("buffer.memory") << " (default)\n";

    std::cout << "\nA bad value is refused before any thread starts:\n";
    try {
        KafkaProducer<std::string, std::string> broken(
            {{"bootstrap.servers", "localhost:9092"}, {"acks", "2"}},
            std::make_unique<StringSerializer>(), std::make_unique<StringSerializer>());
    } catch (const std::exception& e) {
        std::cout << "  " << e.what() << "\n";
    }

    producer.close();
    std::cout << "\nClosed: the network thread has been joined.\n";
    return 0;
}
