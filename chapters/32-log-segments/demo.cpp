// Chapter 32 demo: the log on disk. Our producer writes about 3 MB to one partition of a broker
// whose segments roll at 1 MiB; the demo lists the partition's directory, Kafka's file names
// and sizes; then a second broker opens the same directory and the next record gets the next
// offset.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "support/DemoBroker.h"

namespace {

using kafka::test::demoProducerFor;
using kafka::test::printFiles;

std::unique_ptr<kafka::server::KafkaServer> startBroker(const std::filesystem::path& logDir) {
    return kafka::test::startDemoBroker(
        {{"log.dirs", logDir.string()}, {"log.segment.bytes", "1048576"}});
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
        auto producer = demoProducerFor(*broker, {{"linger.ms", "5"}});
        const std::string value(100, 'x');
        for (int i = 0; i < 30'000; ++i)
            producer->send({"orders", std::nullopt, std::nullopt, value});
        producer->close();
    }
    std::cout << "\n2. " << partitionDir.string() << " now holds, named by base offset:\n";
    printFiles(partitionDir);
    std::cout
        << "   (each .log file is record batches back to back, exactly as Kafka writes them;\n"
        << "   Kafka's DumpLogSegments reads them, see the chapter's Try it)\n";

    broker->shutdown();
    broker = startBroker(logDir);
    std::cout << "\n3. A new broker on the same directory. The next record gets offset ";
    auto producer = demoProducerFor(*broker, {{"linger.ms", "5"}});
    std::cout << producer->send({"orders", std::nullopt, std::nullopt, "after the restart"})
                     .get()
                     .offset()
              << ":\n   the log opened its segments again and continued where it stopped.\n";
    producer->close();
    return 0;
}
