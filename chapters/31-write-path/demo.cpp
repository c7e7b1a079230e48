// Chapter 31 demo: the write path, seen from outside. Three producers write to one partition
// at once and the log shows how their batches were lined up; then the broker refuses what it
// must (a record from the future, acks=all without enough in-sync replicas) and stamps what it
// should (LogAppendTime).
#include <chrono>
#include <exception>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/server/KafkaServer.h"
#include "support/DemoBroker.h"

using kafka::clients::producer::ProducerRecord;

namespace {

using Producer = kafka::test::DemoProducer;
using kafka::test::demoProducerFor;
using kafka::test::startDemoBroker;

// What send(record).get() ends with: the offset and timestamp, or the error.
std::string outcomeOf(Producer& producer, const ProducerRecord<std::string, std::string>& record) {
    try {
        const auto metadata = producer.send(record).get();
        return "offset " + std::to_string(metadata.offset()) + ", timestamp " +
               std::to_string(metadata.timestamp());
    } catch (const std::exception& e) {
        return std::string("refused: ") + e.what();
    }
}

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

int main() {
    // 1. Three producers, one partition: the log decides the order, batch by batch.
    const auto broker = startDemoBroker({});
    std::cout << "1. Producers A, B and C each send 3,000 records to orders-0 at once.\n";
    std::vector<std::thread> writers;
    for (const std::string name : {"A", "B", "C"})
        writers.emplace_back([&broker, name] {
            auto producer = demoProducerFor(*broker, {{"batch.size", "2048"}});
            for (int i = 0; i < 3000; ++i)
                producer->send({"orders", std::nullopt, std::nullopt, name + std::to_string(i)});
            producer->close();
        });
    for (auto& writer : writers) writer.join();

    const auto log = broker->logManager()->getLog({"orders", 0});
    const auto read = log->read(0, 1 << 30, true);
    std::map<char, int> batchesOf;
    std::string lineUp;
    for (const auto& batch :
         kafka::common::record::MemoryRecords::readableRecords(read.records).batches()) {
        const auto records = batch.records();
        const auto& value = records.front().value();
        const char producer = value && !value->empty() ? static_cast<char>(value->front()) : '?';
        ++batchesOf[producer];
        if (lineUp.size() < 60) lineUp += producer;
    }
    std::cout << "   The log end offset is " << log->logEndOffset()
              << ": 9,000 records at offsets 0.." << log->logEndOffset() - 1
              << ", no gap, no overlap.\n"
              << "   The first batches in the log came from: " << lineUp << " ...\n"
              << "   (batches: A " << batchesOf['A'] << ", B " << batchesOf['B'] << ", C "
              << batchesOf['C'] << "; each batch whole, each producer's batches in its order)\n\n";

    // 2. A record from two hours ahead: INVALID_TIMESTAMP (log.message.timestamp.after.max.ms).
    auto producer = demoProducerFor(*broker);
    std::cout << "2. A record stamped two hours ahead of the broker's clock:\n   "
              << outcomeOf(*producer,
                           {"orders", std::nullopt, nowMs() + 7'200'000, std::nullopt, "late"})
              << "\n\n";
    producer->close();

    // 3. acks=all on a broker whose topics want two in-sync replicas: it has one.
    const auto strict = startDemoBroker({{"min.insync.replicas", "2"}});
    auto careful = demoProducerFor(*strict, {{"acks", "all"},
                                             {"delivery.timeout.ms", "1500"},
                                             {"request.timeout.ms", "1000"},
                                             {"linger.ms", "0"}});
    std::cout << "3. acks=all with min.insync.replicas=2 on a broker that is the only replica:\n   "
              << outcomeOf(*careful, {"orders", std::nullopt, std::nullopt, "safe?"}) << "\n";
    auto relaxed = demoProducerFor(*strict, {{"acks", "1"}});
    std::cout << "   the same record with acks=1: "
              << outcomeOf(*relaxed, {"orders", std::nullopt, std::nullopt, "safe?"}) << "\n\n";
    careful->close();
    relaxed->close();

    // 4. LogAppendTime: the broker's clock replaces the producer's.
    const auto stamping = startDemoBroker({{"log.message.timestamp.type", "LogAppendTime"}});
    auto stamped = demoProducerFor(*stamping);
    std::cout << "4. A record stamped 1000 (1970) sent to a LogAppendTime broker at " << nowMs()
              << ":\n   "
              << outcomeOf(*stamped, {"orders", std::nullopt, 1000, std::nullopt, "then"}) << "\n";
    stamped->close();
    return 0;
}
