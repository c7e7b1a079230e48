// Chapter 30: the two halves of the course meet. Our producer sends to our broker, in one
// process, and every record is found in the broker's log at the offset its future was given,
// in the order it was sent. (tests/interop has the same with librdkafka's consumer reading;
// this one needs no peer, so it also runs under ThreadSanitizer, which librdkafka cannot.)
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/server/KafkaServer.h"
#include "support/LogDirs.h"

namespace kafka::server {
namespace {

using Placement = std::pair<std::int32_t, std::int64_t>;  // partition, offset

TEST(ProducerToBroker, EveryRecordIsInTheLogAtTheOffsetItsFutureGot) {
    KafkaServer broker(KafkaConfig(test::brokerProperties(
        {{"listeners", "PLAINTEXT://127.0.0.1:0"}, {"num.partitions", "4"}})));
    broker.startup();
    constexpr int kRecords = 20'000;
    std::map<Placement, std::string> sentTo;
    {
        clients::producer::KafkaProducer<std::string, std::string> producer(
            {{"bootstrap.servers", "127.0.0.1:" + std::to_string(broker.boundPort())},
             {"acks", "all"},
             {"linger.ms", "2"},
             {"batch.size", "4096"}},  // many batches, many requests
            std::make_unique<common::serialization::StringSerializer>(),
            std::make_unique<common::serialization::StringSerializer>());
        std::vector<clients::producer::RecordMetadataFuture> futures;
        for (int i = 0; i < kRecords; ++i)
            futures.push_back(producer.send(
                {"both", "key-" + std::to_string(i % 100), "value-" + std::to_string(i)}));
        for (int i = 0; i < kRecords; ++i) {
            const auto metadata = futures[static_cast<std::size_t>(i)].get();
            ASSERT_TRUE(sentTo
                            .emplace(Placement{metadata.partition(), metadata.offset()},
                                     "value-" + std::to_string(i))
                            .second)
                << "two records acknowledged at one offset";
        }
        producer.close();
    }

    std::map<Placement, std::string> inTheLog;
    for (std::int32_t p = 0; p < 4; ++p) {
        const auto log = broker.logManager()->getLog({"both", p});
        ASSERT_NE(log, nullptr);
        const auto found = log->read(0, 1 << 30, true);
        for (const auto& batch :
             common::record::MemoryRecords::readableRecords(found.records).batches()) {
            batch.ensureValid();
            for (const auto& record : batch.records())
                inTheLog[{p, record.offset()}] =
                    std::string(record.value()->begin(), record.value()->end());
        }
    }
    EXPECT_EQ(inTheLog, sentTo);
    // And in the order sent: within a partition, values grow with the offsets.
    std::map<std::int32_t, int> last;
    for (const auto& [place, value] : inTheLog) {
        const int index = std::stoi(value.substr(6));
        if (last.contains(place.first)) {
            EXPECT_GT(index, last[place.first]) << "partition " << place.first;
        }
        last[place.first] = index;
    }
    broker.shutdown();
}

}  // namespace
}  // namespace kafka::server
