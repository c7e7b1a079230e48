// Chapter 38 demo: compression, end to end, on a broker in this process. The same 20,000 log
// lines go to five topics, one per codec (none, gzip, snappy, lz4, zstd): the table shows what
// each codec leaves on the broker's disk, the ratio the producer measured, and how fast it
// went. Then a batch the broker refuses as too large: the producer's estimate of the ratio is
// made far too hopeful, the broker's message.max.bytes is 8 KiB, and the refused batch is split
// and delivered, every record once and in order.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "kafka/common/record/CompressionRatioEstimator.h"
#include "kafka/log/LogManager.h"
#include "support/DemoBroker.h"
#include "support/LogReader.h"

namespace {

using kafka::clients::producer::ProducerRecord;
using kafka::common::metrics::MetricName;

constexpr int kRecords = 20'000;

// A line of an application's log: the kind of payload Kafka mostly carries, and compresses.
std::string logLine(int i) {
    static const char* levels[] = {"INFO", "INFO", "INFO", "WARN", "DEBUG"};
    return "2026-12-04 12:" + std::to_string(10 + i / 1000 % 50) + ":" +
           std::to_string(10 + i % 50) + "," + std::to_string(100 + i % 900) + " " + levels[i % 5] +
           " [OrderService] order " + std::to_string(100'000 + i) + " accepted for customer " +
           std::to_string(i % 977) + ", 3 items, total " + std::to_string(i % 300) + ".99 EUR";
}

double metric(const kafka::test::DemoProducer& producer, const std::string& name) {
    return producer.metrics().at(
        MetricName{name, "producer-metrics", {{"client-id", producer.clientId()}}});
}

void eachCodec(kafka::server::KafkaServer& broker) {
    std::cout
        << "1. The same " << kRecords << " log lines (" << logLine(0).size()
        << " bytes each) through each codec\n\n"
        << "   codec   on disk (bytes)  vs none  compression-rate-avg  batch-size-avg    ms\n";
    std::int64_t uncompressedBytes = 0;
    for (const std::string codec : {"none", "gzip", "snappy", "lz4", "zstd"}) {
        const std::string topic = "logs-" + codec;
        const auto started = std::chrono::steady_clock::now();
        double ratio = 0, batchSize = 0;
        {
            auto producer = kafka::test::demoProducerFor(
                broker,
                {{"compression.type", codec}, {"linger.ms", "10"}, {"batch.size", "65536"}});
            for (int i = 0; i < kRecords; ++i)
                producer->send(
                    ProducerRecord<std::string, std::string>(topic, std::nullopt, logLine(i)));
            producer->flush();
            ratio = metric(*producer, "compression-rate-avg");
            batchSize = metric(*producer, "batch-size-avg");
        }
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
        const auto log = broker.logManager()->getLog({topic, 0});
        const auto onDisk = log->size();
        if (codec == "none") uncompressedBytes = onDisk;
        // Read back as a consumer would: every batch decompressed, every record there.
        const auto records = kafka::test::readRecords(*log, 0);
        const bool complete =
            records.size() == kRecords && records.back().second == logLine(kRecords - 1);
        std::cout << "   " << std::left << std::setw(6) << codec << std::right << std::setw(17)
                  << onDisk << "  " << std::setw(7) << std::fixed << std::setprecision(2)
                  << static_cast<double>(onDisk) / static_cast<double>(uncompressedBytes) << "  "
                  << std::setw(20) << std::setprecision(3) << ratio << "  " << std::setw(14)
                  << std::setprecision(0) << batchSize << "  " << std::setw(4) << ms
                  << (complete ? "" : "   (records missing!)") << "\n";
    }
    std::cout << "\n   compression-rate-avg is the producer's own measure (compressed records over"
                 "\n   raw records, per batch); on disk counts the batches' headers too.\n\n";
}

void splitTooLargeBatch(kafka::server::KafkaServer& broker) {
    constexpr int kSplitRecords = 300;
    std::cout << "2. A batch too large for the broker (message.max.bytes=8192)\n\n";
    // The topic's batches "compressed to a tenth" so far: an 8,000-byte batch is allowed
    // about 76,000 bytes of records. These records are random letters, and lz4 gains little.
    kafka::common::record::CompressionRatioEstimator::setEstimation(
        "random", kafka::common::record::CompressionType::kLz4, 0.1F);
    std::cout << "   estimate for topic 'random', lz4: 0.1\n";
    auto producer = kafka::test::demoProducerFor(
        broker, {{"compression.type", "lz4"}, {"batch.size", "8000"}, {"linger.ms", "50"}});
    std::mt19937 random(38);
    std::vector<kafka::clients::producer::RecordMetadataFuture> futures;
    for (int i = 0; i < kSplitRecords; ++i) {
        std::string letters(100, ' ');
        for (auto& c : letters) c = static_cast<char>('a' + random() % 26);
        futures.push_back(producer->send(
            ProducerRecord<std::string, std::string>("random", std::nullopt, letters)));
    }
    int inOrder = 0;
    for (int i = 0; i < kSplitRecords; ++i) inOrder += futures[i].get().offset() == i ? 1 : 0;
    std::cout << "   batch-split-total: " << metric(*producer, "batch-split-total") << "\n"
              << std::setprecision(3) << "   estimate now: "
              << kafka::common::record::CompressionRatioEstimator::estimation(
                     "random", kafka::common::record::CompressionType::kLz4)
              << " (reset to 1, the refused batch's ratio at least, then\n"
              << "   learnt from the smaller batches: lz4 cannot shrink random letters)\n"
              << "   records acknowledged at offset = send order: " << inOrder << " of "
              << kSplitRecords << "\n"
              << "   records in the log: "
              << kafka::test::readRecords(*broker.logManager()->getLog({"random", 0}), 0).size()
              << "\n";
}

}  // namespace

int main() {
    {
        auto broker = kafka::test::startDemoBroker();
        eachCodec(*broker);
        broker->shutdown();
    }
    auto strict = kafka::test::startDemoBroker({{"message.max.bytes", "8192"}});
    splitTooLargeBatch(*strict);
    strict->shutdown();
}
