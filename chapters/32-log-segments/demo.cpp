// Chapter 32 demo: the log on disk. Our producer writes about 3 MB to one partition of a broker
// whose segments roll at 1 MiB; the demo lists the partition's directory, Kafka's file names
// and sizes; then a second broker opens the same directory and the next record gets the next
// offset.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/server/KafkaServer.h"
#include "support/LogDirs.h"

namespace {

using Producer = kafka::clients::producer::KafkaProducer<std::string, std::string>;

std::unique_ptr<kafka::server::KafkaServer> startBroker(const std::filesystem::path& logDir) {
    auto broker = std::make_unique<kafka::server::KafkaServer>(kafka::server::KafkaConfig(
        kafka::common::config::Properties{{"listeners", "PLAINTEXT://127.0.0.1:0"},
                                          {"num.partitions", "1"},
                                          {"log.dirs", logDir.string()},
                                          {"log.segment.bytes", "1048576"}}));
    broker->startup();
    return broker;
}

std::unique_ptr<Producer> producerFor(const kafka::server::KafkaServer& broker) {
    return std::make_unique<Producer>(
        kafka::common::config::Properties{
            {"bootstrap.servers", "127.0.0.1:" + std::to_string(broker.boundPort())},
            {"linger.ms", "5"}},
        std::make_unique<kafka::common::serialization::StringSerializer>(),
        std::make_unique<kafka::common::serialization::StringSerializer>());
}

void list(const std::filesystem::path& dir) {
    std::map<std::string, std::uintmax_t> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        files[entry.path().filename().string()] = entry.file_size();
    for (const auto& [name, size] : files)
        std::cout << "     " << std::setw(9) << size << "  " << name << "\n";
}

}  // namespace

int main() {
    const auto logDir = kafka::test::scratchDir();
    const auto partitionDir = logDir / "orders-0";

    auto broker = startBroker(logDir);
    std::cout << "1. A broker with log.dirs=" << logDir.string()
              << " and log.segment.bytes=1048576 (1 MiB).\n"
              << "   Our producer sends 30,000 records of 100 bytes to orders-0...\n";
    {
        auto producer = producerFor(*broker);
        const std::string value(100, 'x');
        for (int i = 0; i < 30'000; ++i)
            producer->send({"orders", std::nullopt, std::nullopt, value});
        producer->close();
    }
    std::cout << "\n2. " << partitionDir.string() << " now holds, named by base offset:\n";
    list(partitionDir);
    std::cout << "   (each file is record batches back to back, exactly as Kafka writes them;\n"
              << "   Kafka's DumpLogSegments reads them, see the chapter's Try it)\n";

    broker->shutdown();
    broker = startBroker(logDir);
    std::cout << "\n3. A new broker on the same directory. The next record gets offset ";
    auto producer = producerFor(*broker);
    std::cout << producer->send({"orders", std::nullopt, std::nullopt, "after the restart"})
                     .get()
                     .offset()
              << ":\n   the log opened its segments again and continued where it stopped.\n";
    producer->close();
    return 0;
}
