// Chapter 37 demo: one lost answer, two producers, side by side. Our broker runs in this
// process behind a proxy (the course's FaultyProxy) that lets one Produce request through,
// waits for the broker to store its batch, then throws the answer away and closes the
// connection. The producer sends the batch again. Not idempotent, the partition ends up with
// the batch twice; idempotent, the broker recognises the retry by its producer id, epoch and
// sequence and answers it with the first copy's offset. Last, the same with the broker
// restarted between the two copies: its snapshot remembers the producer.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/EmbeddedBroker.h"
#include "support/FaultyProxy.h"
#include "support/LogReader.h"

namespace {

using namespace kafka;
using Producer = clients::producer::KafkaProducer<std::string, std::string>;

constexpr int kRecords = 5;

struct Run {
    std::vector<std::int64_t> acknowledgedOffsets;
    std::vector<std::pair<std::int64_t, std::string>> stored;
};

std::vector<std::pair<std::int64_t, std::string>> storedRecords(test::EmbeddedBroker& broker,
                                                                const std::string& topic) {
    const auto log = broker.server().logManager()->getLog({topic, 0});
    return log ? test::readRecords(*log, 0) : std::vector<std::pair<std::int64_t, std::string>>{};
}

// Sends a warm-up record, loses the answer to the next Produce, sends kRecords records, and
// (with `restart`) restarts the broker on the same port and log directory before the retry.
Run throughALostAnswer(bool idempotent, bool restart) {
    const auto logDir = test::scratchDir();
    const std::string topic = idempotent ? "idempotent" : "plain";
    auto broker = std::make_optional<test::EmbeddedBroker>(
        common::config::Properties{{"num.partitions", "1"}, {"log.dirs", logDir.string()}});
    const int port = broker->server().boundPort();
    test::FaultyProxy proxy(port);
    Run run;
    {
        Producer producer({{"bootstrap.servers", proxy.bootstrapServers()},
                           {"enable.idempotence", idempotent ? "true" : "false"},
                           {"acks", "all"},
                           {"linger.ms", "0"},
                           {"max.in.flight.requests.per.connection", idempotent ? "5" : "1"},
                           {"reconnect.backoff.ms", restart ? "1500" : "50"}},
                          std::make_unique<common::serialization::StringSerializer>(),
                          std::make_unique<common::serialization::StringSerializer>());
        producer.send({topic, "warm-up"}).get();
        proxy.dropNextProduceResponse();
        std::vector<clients::producer::RecordMetadataFuture> futures;
        for (int i = 0; i < kRecords; ++i)
            futures.push_back(producer.send({topic, "record-" + std::to_string(i)}));
        if (restart) {
            while (proxy.droppedResponses() == 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            broker.reset();  // a clean shutdown: each log writes its producer snapshot
            broker.emplace(common::config::Properties{
                {"num.partitions", "1"},
                {"log.dirs", logDir.string()},
                {"listeners", "PLAINTEXT://127.0.0.1:" + std::to_string(port)}});
        }
        for (auto& future : futures) run.acknowledgedOffsets.push_back(future.get().offset());
        producer.close();
    }
    run.stored = storedRecords(*broker, topic);
    return run;
}

void show(const std::string& title, const Run& run) {
    std::cout << "\n" << title << "\n  acknowledged at offsets:";
    for (const auto offset : run.acknowledgedOffsets) std::cout << " " << offset;
    std::map<std::string, int> copies;
    std::cout << "\n  the partition holds " << run.stored.size() << " records:\n";
    for (const auto& [offset, value] : run.stored) {
        const bool again = ++copies[value] > 1;
        std::cout << "    " << std::setw(2) << offset << "  " << value
                  << (again ? "   <- a copy" : "") << "\n";
    }
}

}  // namespace

int main() {
    std::cout << "One Produce answer lost after the broker stored the batch; " << kRecords
              << " records sent.\n";
    show("1. enable.idempotence=false (max.in.flight=1):", throughALostAnswer(false, false));
    show("2. enable.idempotence=true (max.in.flight=5):", throughALostAnswer(true, false));
    show("3. idempotent, and the broker restarted before the retry:",
         throughALostAnswer(true, true));
    std::cout << "\nThe retry carried the same producer id, epoch and sequence as the lost "
                 "batch;\nthe broker found them among the last five it remembers (in memory, "
                 "or in its\nsnapshot after the restart) and answered with the first copy's "
                 "offsets.\n";
}
