//@ ch25
// A soak: many records through the whole producer to librdkafka's mock cluster, with a broker
// down for a second on the way, and a buffer.memory small enough that send() has to wait for
// the pool. At the end: sent == acknowledged + failed, every send completed once,
// every acknowledged record is in the log at its offset, and the pool is whole again.
//
// Its size is COURSE_SOAK_RECORDS (default 20000, which ./course test runs);
// COURSE_SOAK_RECORDS=1000000 ctest --test-dir build -R Soak --output-on-failure for the long one.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/MockCluster.h"

namespace kafka::clients::producer {
namespace {

using Clock = std::chrono::steady_clock;

int soakRecords() {
    const char* configured = std::getenv("COURSE_SOAK_RECORDS");
    return configured ? std::max(1, std::atoi(configured)) : 20'000;
}

TEST(MockClusterSoak, EverythingSentIsAccountedForAndThePoolIsWholeAgain) {
    const int records = soakRecords();
    // The mock cluster keeps about 5 MB of log per partition and drops the oldest beyond that:
    // enough partitions, and small records, keep a million of them whole.
    constexpr int kPartitions = 32;
    test::MockCluster cluster(3);
    cluster.createTopic("soak", kPartitions);
    KafkaProducer<std::string, std::string> producer(
        {{"bootstrap.servers", cluster.bootstrapServers()},
         {"acks", "1"},
         {"linger.ms", "5"},
         {"buffer.memory", std::to_string(2 * 1024 * 1024)},  // 2 MiB: send() will wait
         {"request.timeout.ms", "2000"},
         {"delivery.timeout.ms", "30000"}},
        std::make_unique<common::serialization::StringSerializer>(),
        std::make_unique<common::serialization::StringSerializer>());

    const std::string value(16, 'x');
    std::vector<std::atomic<int>> completions(static_cast<std::size_t>(records));
    std::vector<std::pair<std::int32_t, std::int64_t>> acknowledgedAt(
        static_cast<std::size_t>(records), {-1, -1});
    std::atomic<int> acknowledged{0}, failed{0};
    std::thread bounce;
    const auto start = Clock::now();
    for (int i = 0; i < records; ++i) {
        const auto index = static_cast<std::size_t>(i);
        producer.send(ProducerRecord<std::string, std::string>("soak", std::to_string(i), value),
                      [&, index](const RecordMetadata& metadata, std::exception_ptr error) {
                          ++completions[index];
                          if (error) {
                              ++failed;
                              return;
                          }
                          acknowledgedAt[index] = {metadata.partition(), metadata.offset()};
                          ++acknowledged;
                      });
        if (i == records / 3) {
            // Down for a second, whatever the pace of the sends.
            cluster.brokerDown(2);
            bounce = std::thread([&cluster] {
                std::this_thread::sleep_for(std::chrono::seconds(1));
                cluster.brokerUp(2);
            });
        }
    }
    bounce.join();
    producer.close(std::chrono::seconds(60));
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

    EXPECT_EQ(acknowledged + failed, records);
    for (std::size_t i = 0; i < completions.size(); ++i)
        ASSERT_EQ(completions[i].load(), 1) << "record " << i;
    auto& pool = producer.accumulator().bufferPool();
    EXPECT_EQ(pool.availableMemory(), pool.totalMemory()) << "the pool is whole again";

    const auto log = test::consumeAll(cluster.bootstrapServers(), "soak", kPartitions,
                                      test::kUntilTheEnd, std::chrono::seconds(120));
    std::map<std::pair<std::int32_t, std::int64_t>, int> keyAt;
    for (const auto& record : log)
        keyAt[{record.partition, record.offset}] = std::stoi(*record.key);
    int atTheirOffset = 0;
    for (int i = 0; i < records; ++i) {
        const auto& at = acknowledgedAt[static_cast<std::size_t>(i)];
        if (at.first < 0) continue;
        const auto found = keyAt.find(at);
        if (found != keyAt.end() && found->second == i) ++atTheirOffset;
    }
    EXPECT_EQ(atTheirOffset, acknowledged.load());
    std::cout << "soak: " << records << " records in " << seconds << " s ("
              << static_cast<long>(records / seconds) << " records/s); " << acknowledged
              << " acknowledged, " << failed << " failed; log holds " << log.size() << " records ("
              << static_cast<long>(log.size()) - acknowledged << " duplicates from retries)\n";
    RecordProperty("records", records);
    RecordProperty("acknowledged", acknowledged.load());
    RecordProperty("failed", failed.load());
}

}  // namespace
}  // namespace kafka::clients::producer
