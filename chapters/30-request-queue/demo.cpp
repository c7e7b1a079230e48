// Chapter 30 demo, and the course's end-to-end demo (./course demo): our broker starts in
// this process; our producer sends it records, with a progress line; librdkafka's consumer,
// which no one here wrote, reads them back; and a short summary says what happened where.
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/server/KafkaServer.h"
#include "support/LogDirs.h"
#include "support/MockCluster.h"  // consumeAll: librdkafka's consumer

using kafka::clients::producer::KafkaProducer;
using kafka::clients::producer::ProducerRecord;
using kafka::clients::producer::RecordMetadata;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPartitions = 6;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string withCommas(std::int64_t n) {
    std::string digits = std::to_string(n);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3)
        digits.insert(static_cast<std::size_t>(at), ",");
    return digits;
}

void showProgress(std::int64_t done, std::int64_t total, double seconds) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(kWidth * done / std::max<std::int64_t>(total, 1));
    std::cout << "\r  [" << std::string(static_cast<std::size_t>(filled), '#')
              << std::string(static_cast<std::size_t>(kWidth - filled), '.') << "] "
              << withCommas(done) << " / " << withCommas(total) << " acknowledged  " << std::fixed
              << std::setprecision(1) << seconds << " s" << std::flush;
}

}  // namespace

int main(int argc, char** argv) {
    const int records = argc > 1 ? std::atoi(argv[1]) : 200'000;

    // 1. The broker: Acceptor, Processors, request queue, handlers, logs (in a directory of
    // the demo's own from chapter 32 on).
    kafka::server::KafkaServer broker(kafka::server::KafkaConfig(
        kafka::test::brokerProperties({{"listeners", "PLAINTEXT://127.0.0.1:0"},
                                       {"num.partitions", std::to_string(kPartitions)}})));
    broker.startup();
    const std::string bootstrap = "127.0.0.1:" + std::to_string(broker.boundPort());
    std::cout << "Our broker is listening on PLAINTEXT://" << bootstrap << " ("
              << broker.config().numNetworkThreads() << " network threads, "
              << broker.config().numIoThreads() << " request handlers; new topics get "
              << kPartitions << " partitions)\n\n";

    // 2. Our producer sends to it. Callbacks count the acknowledgements, and remember where
    //    each record went.
    std::cout << "Our producer sends " << withCommas(records)
              << " records to topic \"demo\" (acks=all, linger.ms=5):\n";
    std::atomic<std::int64_t> acknowledged = 0, failed = 0;
    std::mutex placesMutex;
    std::map<int, std::pair<int, std::int64_t>> placeOf;  // record → partition, offset
    std::string firstError;
    const auto start = Clock::now();
    {
        KafkaProducer<std::string, std::string> producer(
            {{"bootstrap.servers", bootstrap}, {"acks", "all"}, {"linger.ms", "5"}},
            std::make_unique<kafka::common::serialization::StringSerializer>(),
            std::make_unique<kafka::common::serialization::StringSerializer>());
        auto lastShown = Clock::now();
        for (int i = 0; i < records; ++i) {
            producer.send(ProducerRecord<std::string, std::string>(
                              "demo", "key-" + std::to_string(i), "record " + std::to_string(i)),
                          [&, i](const RecordMetadata& metadata, std::exception_ptr error) {
                              std::scoped_lock lock(placesMutex);
                              if (error) {
                                  if (failed++ == 0) try {
                                          std::rethrow_exception(error);
                                      } catch (const std::exception& e) {
                                          firstError = e.what();
                                      }
                                  return;
                              }
                              placeOf[i] = {metadata.partition(), metadata.offset()};
                              ++acknowledged;
                          });
            if (Clock::now() - lastShown > std::chrono::milliseconds(100)) {
                showProgress(acknowledged, records, secondsSince(start));
                lastShown = Clock::now();
            }
        }
        while (acknowledged + failed < records) {
            showProgress(acknowledged, records, secondsSince(start));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        producer.close();
    }
    const double produceSeconds = secondsSince(start);
    showProgress(acknowledged, records, produceSeconds);
    std::cout << "\n  " << withCommas(static_cast<std::int64_t>(records / produceSeconds))
              << " records/s; " << failed << " failed"
              << (failed ? " (first: " + firstError + ")" : "") << "\n\n";

    // 3. A client no one here wrote reads them back: ListOffsets, then Fetch, from our broker.
    std::cout << "librdkafka's consumer reads the topic back ...\n";
    const auto readStart = Clock::now();
    const auto consumed =
        kafka::test::consumeAll(bootstrap, "demo", kPartitions, static_cast<std::size_t>(records),
                                std::chrono::seconds(60));
    std::map<std::pair<int, std::int64_t>, std::string> valueAt;
    for (const auto& record : consumed) valueAt[{record.partition, record.offset}] = *record.value;
    int atTheirOffset = 0;
    for (const auto& [i, place] : placeOf)
        if (valueAt[place] == "record " + std::to_string(i)) ++atTheirOffset;
    std::cout << "  " << withCommas(static_cast<std::int64_t>(consumed.size())) << " records in "
              << std::fixed << std::setprecision(1) << secondsSince(readStart) << " s\n\n";

    // 4. What happened where.
    std::cout << "partition   records   offsets       log end offset (broker)\n";
    std::map<int, std::int64_t> perPartition;
    for (const auto& record : consumed) ++perPartition[record.partition];
    for (int p = 0; p < kPartitions; ++p) {
        const auto log = broker.logManager()->getLog({"demo", p});
        std::cout << "    " << p << "       " << std::setw(8) << withCommas(perPartition[p])
                  << "   0.." << std::left << std::setw(10) << perPartition[p] - 1 << std::right
                  << "  " << (log ? log->logEndOffset() : -1) << '\n';
    }
    broker.shutdown();

    const bool good = failed == 0 && atTheirOffset == records &&
                      consumed.size() == static_cast<std::size_t>(records);
    std::cout << '\n'
              << (good ? "All " + withCommas(records) +
                             " records were acknowledged once and read back by another client, "
                             "each at the offset our broker gave it."
                       : "Something is wrong: " + std::to_string(atTheirOffset) + " of " +
                             std::to_string(records) + " records were found where acknowledged.")
              << '\n';
    return good ? 0 : 1;
}
