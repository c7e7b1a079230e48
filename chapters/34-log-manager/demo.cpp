// Chapter 34 demo: a broker killed and started again. kafka-server-start, as a child process,
// takes 5,000 records of 1 KB with acks=all and is killed with SIGKILL; a torn write is added
// to its active segment; started again it recovers, says so, and continues at the next offset.
// Stopped in order it leaves its checkpoints and the clean-shutdown marker, and the next start
// skips recovery. Last, retention by size deletes the oldest segments, whole.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "kafka/log/LogManager.h"
#include "support/DemoBroker.h"
#include "support/ServerProcess.h"

namespace {

using kafka::test::ServerProcess;

// kafka-server-start, beside this program in the build's bin directory.
const std::string kServer =
    (std::filesystem::canonical("/proc/self/exe").parent_path() / "kafka-server-start").string();

std::vector<std::string> brokerArgs(const std::filesystem::path& logDir) {
    return {"--override", "listeners=PLAINTEXT://127.0.0.1:0",
            "--override", "num.partitions=1",
            "--override", "log.dirs=" + logDir.string(),
            "--override", "log.segment.bytes=1048576"};
}

std::unique_ptr<kafka::test::DemoProducer> producerFor(int port) {
    return std::make_unique<kafka::test::DemoProducer>(
        kafka::common::config::Properties{
            {"bootstrap.servers", "127.0.0.1:" + std::to_string(port)}, {"acks", "all"}},
        std::make_unique<kafka::common::serialization::StringSerializer>(),
        std::make_unique<kafka::common::serialization::StringSerializer>());
}

// The broker's log lines that contain one of `words`, indented.
void printLogLines(const std::string& log, std::initializer_list<const char*> words) {
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);)
        for (const char* word : words)
            if (line.find(word) != std::string::npos) {
                std::cout << "     " << line.substr(line.find(']') + 2) << "\n";
                break;
            }
}

std::string fileText(const std::filesystem::path& file) {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

int main() {
    const auto logDir = kafka::test::scratchDir();
    const auto partitionDir = logDir / "orders-0";

    {
        ServerProcess broker(kServer, brokerArgs(logDir));
        const int port = broker.awaitPort();
        auto producer = producerFor(port);
        const std::string value(1000, 'x');
        for (int i = 0; i < 4999; ++i) producer->send({"orders", value});
        const auto last = producer->send({"orders", value}).get();
        std::cout
            << "1. kafka-server-start (pid of its own) took 5,000 records of 1 KB with acks=all;\n"
            << "   the last was acknowledged at offset " << last.offset()
            << ". Then: kill -9. No shutdown code ran.\n";
        broker.kill();
        producer->close(std::chrono::milliseconds(0));
    }
    kafka::test::printFiles(partitionDir);
    std::cout << "   No .kafka_cleanshutdown in " << logDir.string()
              << ", and the active segment's indexes\n   were never cut: a crash.\n";

    std::filesystem::path active;
    for (const auto& entry : std::filesystem::directory_iterator(partitionDir))
        if (entry.path().extension() == ".log" && (active.empty() || entry.path() > active))
            active = entry.path();
    std::ofstream(active, std::ios::app) << std::string(700, '\x42');
    std::cout
        << "\n2. 700 bytes of garbage appended to " << active.filename().string()
        << ", as a write torn by a\n   power cut might leave. The broker starts again; its log:\n";
    {
        ServerProcess broker(kServer, brokerArgs(logDir));
        const int port = broker.awaitPort();
        printLogLines(broker.log(), {"recovery", "Recovering", "Truncated", "corrupted", "Loaded"});
        auto producer = producerFor(port);
        std::cout << "   The next record gets offset "
                  << producer->send({"orders", "after the crash"}).get().offset()
                  << ": every acknowledged record kept, the garbage cut.\n";
        producer->close();
        broker.signal(SIGTERM);
        broker.waitForExit(std::chrono::seconds(30));
    }
    std::cout << "\n3. Stopped with SIGTERM, in order. It left in " << logDir.string() << ":\n"
              << "     recovery-point-offset-checkpoint, every log flushed to its end:\n";
    std::istringstream checkpoint(fileText(logDir / "recovery-point-offset-checkpoint"));
    for (std::string line; std::getline(checkpoint, line);) std::cout << "       " << line << "\n";
    std::cout << "     .kafka_cleanshutdown, written last: "
              << fileText(logDir / ".kafka_cleanshutdown") << "\n";
    {
        ServerProcess broker(kServer, brokerArgs(logDir));
        broker.awaitPort();
        std::cout << "   Started once more, its log says:\n";
        printLogLines(broker.log(), {"recovery", "Recovering"});
        broker.signal(SIGTERM);
        broker.waitForExit(std::chrono::seconds(30));
    }

    kafka::log::LogManager::Settings settings;
    settings.logDirs = {logDir};
    settings.defaultConfig.retentionBytes = 2 * 1024 * 1024;
    kafka::log::LogManager manager(settings);
    const auto log = manager.getLog({"orders", 0});
    std::cout << "\n4. Retention with log.retention.bytes=2 MiB on the same logs: the log holds "
              << log->size() << " bytes\n   in " << log->segmentBaseOffsets().size()
              << " segments; the cleanup deletes " << manager.cleanupLogs()
              << " of them, whole, the oldest first.\n   The log now starts at offset "
              << log->logStartOffset() << " and holds " << log->size() << " bytes:\n";
    kafka::test::printFiles(partitionDir);
    manager.shutdown();
    return 0;
}
