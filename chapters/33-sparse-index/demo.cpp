// Chapter 33 demo: the sparse index. Our producer writes about 3 MB to a broker whose segments
// roll at 1 MiB; the demo lists the partition's files with their indexes, reads the first
// entries of an offset index, finds an offset through the index and counts the batch headers
// that costs against a scan from the file's start, finds an offset by timestamp, and shows a
// deleted index built again, byte for byte, when a new broker opens the log.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "kafka/common/record/FileRecords.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/log/LogSegment.h"
#include "kafka/log/OffsetIndex.h"
#include "support/DemoBroker.h"

namespace {

using kafka::common::record::FileRecords;
using kafka::log::LogSegment;
using kafka::test::printFiles;

std::unique_ptr<kafka::server::KafkaServer> startBroker(const std::filesystem::path& logDir) {
    return kafka::test::startDemoBroker(
        {{"log.dirs", logDir.string()}, {"log.segment.bytes", "1048576"}});
}

std::unique_ptr<kafka::test::DemoProducer> producerFor(const kafka::server::KafkaServer& broker) {
    // Batches of about 1 KiB: several between two index entries.
    return kafka::test::demoProducerFor(broker, {{"linger.ms", "5"}, {"batch.size", "1024"}});
}

// How many batch headers a search for `offset` reads in `file` from `position` on.
int headersRead(const FileRecords& file, std::int64_t offset, std::int32_t position) {
    int headers = 0;
    for (auto batch = file.batchAt(position); batch;
         batch = file.batchAt(batch->position + batch->size)) {
        ++headers;
        if (batch->lastOffset >= offset) break;
    }
    return headers;
}

std::string fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

int main() {
    const auto logDir = kafka::test::scratchDir();
    const auto partitionDir = logDir / "orders-0";

    auto broker = startBroker(logDir);
    std::cout << "1. A broker with log.segment.bytes=1 MiB, log.index.interval.bytes=4096 and\n"
              << "   log.index.size.max.bytes=10 MiB (the defaults). Our producer sends 30,000\n"
              << "   records of 100 bytes to orders-0. The partition's directory:\n";
    {
        auto producer = producerFor(*broker);
        const std::string value(100, 'x');
        for (int i = 0; i < 30'000; ++i)
            producer->send({"orders", std::nullopt, std::nullopt, value});
        producer->close();
    }
    printFiles(partitionDir);
    std::cout
        << "   Beside each .log, an .index and a .timeindex. The active segment's are 10 MiB\n"
        << "   long, a hole in a sparse file that costs no disk; the rolled ones are cut to\n"
        << "   their entries.\n";

    const auto log = broker->logManager()->getLog({"orders", 0});
    const auto bases = log->segmentBaseOffsets();
    {
        const kafka::log::OffsetIndex index(LogSegment::offsetIndexFile(partitionDir, bases[0]),
                                            bases[0], 10 * 1024 * 1024);
        std::cout << "\n2. The first entries of " << index.file().filename().string() << " ("
                  << index.entries() << " entries of 8 bytes):\n";
        for (int slot = 0; slot < 4 && slot < index.entries(); ++slot) {
            const auto entry = index.entry(slot);
            std::cout << "     offset " << std::setw(5) << entry.offset << " -> position "
                      << std::setw(7) << entry.position << "\n";
        }
        std::cout << "   An entry once more than 4096 bytes of batches went in: the batch's last\n"
                  << "   offset and where the batch starts.\n";
    }

    const std::int64_t target = bases.size() > 1 ? bases[1] - 1 : log->logEndOffset() - 1;
    {
        const auto segment = std::prev(std::upper_bound(bases.begin(), bases.end(), target));
        const auto file = FileRecords::open(LogSegment::logFile(partitionDir, *segment));
        const kafka::log::OffsetIndex index(LogSegment::offsetIndexFile(partitionDir, *segment),
                                            *segment, 10 * 1024 * 1024);
        const auto entry = index.lookup(target);
        std::cout << "\n3. Offset " << target << ", the last of segment " << *segment
                  << ". The index's greatest entry at most it is\n"
                  << "   offset " << entry.offset << " at position " << entry.position
                  << ": from there the search reads " << headersRead(file, target, entry.position)
                  << " batch header(s);\n   from the file's start it would read "
                  << headersRead(file, target, 0) << ".\n";
    }

    const auto middle = log->read(log->logEndOffset() / 2, 1, true);
    const auto batch =
        kafka::common::record::MemoryRecords::readableRecords(middle.records).batches().front();
    const auto [offset, timestamp] = log->offsetForTimestamp(batch.maxTimestamp());
    std::cout << "\n4. ListOffsets for timestamp " << batch.maxTimestamp()
              << ", the largest in the batch of offsets " << batch.baseOffset() << ".."
              << batch.lastOffset() << ":\n   offset " << offset << ", the first record stamped "
              << timestamp << " or later, found through the\n"
              << "   .timeindex (a timestamp and an offset per entry) and then the .index.\n";

    broker->shutdown();
    broker.reset();
    const auto index = LogSegment::offsetIndexFile(partitionDir, bases[0]);
    const auto before = fileBytes(index);
    std::filesystem::remove(index);
    broker = startBroker(logDir);
    std::cout << "\n5. The broker stopped, " << index.filename().string()
              << " deleted, a new broker started.\n";
    broker->logManager()->createTopic("orders", 1);  // what the first request would do
    const auto reopened = broker->logManager()->getLog({"orders", 0});
    std::cout << "   It opened the log (log end offset " << reopened->logEndOffset()
              << ") and built the index again:\n   " << std::filesystem::file_size(index)
              << " bytes, " << (fileBytes(index) == before ? "the same" : "NOT the same")
              << " bytes as before.\n";
    broker->shutdown();
    return fileBytes(index) == before ? 0 : 1;
}
