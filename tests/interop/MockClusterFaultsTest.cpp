//@ ch25
// Chapters 20-25 against a peer that misbehaves on purpose: librdkafka's mock cluster with a
// broker going down and up, NOT_LEADER_OR_FOLLOWER injected, a leader moved, answers slower
// than request.timeout.ms, and a leader gone for longer than delivery.timeout.ms. Whatever
// happens: every send completes exactly once; every acknowledged record is read back by a
// librdkafka consumer at the offset it was acknowledged with; with
// max.in.flight.requests.per.connection=1 each partition keeps the order of the sends; what
// fails, fails with the error that says why; and nothing hangs.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
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

using test::MockCluster;
using Producer = KafkaProducer<std::string, std::string>;

constexpr int kPartitions = 6;
constexpr std::int16_t kProduceApi = 0;

// What became of each record, as its callback saw it.
struct Outcomes {
    explicit Outcomes(int records)
        : completions(static_cast<std::size_t>(records)),
          metadata(static_cast<std::size_t>(records)),
          errors(static_cast<std::size_t>(records)) {}

    std::vector<std::atomic<int>> completions;
    std::vector<std::optional<RecordMetadata>> metadata;
    std::vector<std::string> errors;

    int acknowledged() const {
        int n = 0;
        for (const auto& m : metadata) n += m.has_value();
        return n;
    }
};

class Faults : public ::testing::Test {
protected:
    Faults() { cluster.createTopic("t", kPartitions); }

    std::unique_ptr<Producer> newProducer(common::config::Properties overrides = {}) {
        common::config::Properties props = {{"bootstrap.servers", cluster.bootstrapServers()},
                                            {"acks", "all"},
                                            {"linger.ms", "5"},
                                            {"max.in.flight.requests.per.connection", "1"},
                                            {"retry.backoff.ms", "50"},
                                            {"request.timeout.ms", "1000"},
                                            {"delivery.timeout.ms", "20000"},
                                            {"max.block.ms", "10000"}};
        for (auto& [key, value] : overrides) props[key] = value;
        return std::make_unique<Producer>(
            props, std::make_unique<common::serialization::StringSerializer>(),
            std::make_unique<common::serialization::StringSerializer>());
    }

    // Sends record i as key "k-i", value "v-i"; its callback records what became of it.
    void send(Producer& producer, Outcomes& outcomes, int i) {
        producer.send(ProducerRecord<std::string, std::string>("t", "k-" + std::to_string(i),
                                                               "v-" + std::to_string(i)),
                      [&outcomes, i](const RecordMetadata& metadata, std::exception_ptr error) {
                          const auto index = static_cast<std::size_t>(i);
                          ++outcomes.completions[index];
                          if (!error) {
                              outcomes.metadata[index] = metadata;
                              return;
                          }
                          try {
                              std::rethrow_exception(error);
                          } catch (const std::exception& e) {
                              outcomes.errors[index] = e.what();
                          }
                      });
    }

    // Closes within a bound: a close that never returns is the hang this suite is about.
    static void closeWithin(Producer& producer, std::chrono::seconds bound) {
        const auto start = std::chrono::steady_clock::now();
        producer.close(std::chrono::duration_cast<std::chrono::milliseconds>(bound));
        EXPECT_LT(std::chrono::steady_clock::now() - start, bound + std::chrono::seconds(2));
    }

    // The checks every fault shares.
    void expectNothingLost(const Outcomes& outcomes) {
        for (std::size_t i = 0; i < outcomes.completions.size(); ++i)
            ASSERT_EQ(outcomes.completions[i].load(), 1)
                << "record " << i << " completed " << outcomes.completions[i] << " times";
        const auto log = test::consumeAll(cluster.bootstrapServers(), "t", kPartitions,
                                          test::kUntilTheEnd, std::chrono::seconds(20));
        std::map<std::pair<int, std::int64_t>, std::string> keyAt;  // (partition, offset) → key
        for (const auto& record : log)  // the warm-up records have no key
            if (record.key) keyAt[{record.partition, record.offset}] = *record.key;
        std::map<int, std::pair<int, std::int64_t>> lastInPartition;  // partition → (i, offset)
        for (std::size_t i = 0; i < outcomes.metadata.size(); ++i) {
            const auto& metadata = outcomes.metadata[i];
            if (!metadata) continue;
            const std::string key = "k-" + std::to_string(i);
            const auto found = keyAt.find({metadata->partition(), metadata->offset()});
            ASSERT_NE(found, keyAt.end()) << key << " acknowledged at " << metadata->partition()
                                          << "@" << metadata->offset() << " is not in the log";
            EXPECT_EQ(found->second, key);
            // Sent in order, one request in flight per partition: acknowledged in order.
            auto [last, fresh] = lastInPartition.try_emplace(
                metadata->partition(), static_cast<int>(i), metadata->offset());
            if (!fresh) {
                EXPECT_LT(last->second.second, metadata->offset())
                    << key << " overtook k-" << last->second.first;
                last->second = {static_cast<int>(i), metadata->offset()};
            }
        }
    }

    MockCluster cluster{3};
};

TEST_F(Faults, ABrokerDownThenUpMidStreamLosesNothing) {
    constexpr int kRecords = 3000;
    Outcomes outcomes(kRecords);
    auto producer = newProducer();
    for (int i = 0; i < kRecords; ++i) {
        send(*producer, outcomes, i);
        if (i == kRecords / 3) cluster.brokerDown(2);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    cluster.brokerUp(2);
    closeWithin(*producer, std::chrono::seconds(30));
    EXPECT_EQ(outcomes.acknowledged(), kRecords);
    expectNothingLost(outcomes);
}

TEST_F(Faults, NotLeaderOrFollowerIsRetriedInOrder) {
    constexpr int kRecords = 1000;
    Outcomes outcomes(kRecords);
    auto producer = newProducer();
    cluster.pushRequestErrors(kProduceApi, std::vector<rd_kafka_resp_err_t>(
                                               5, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION));
    for (int i = 0; i < kRecords; ++i) send(*producer, outcomes, i);
    closeWithin(*producer, std::chrono::seconds(30));
    EXPECT_EQ(outcomes.acknowledged(), kRecords);
    expectNothingLost(outcomes);
}

TEST_F(Faults, ALeaderThatMovesIsFollowed) {
    constexpr int kRecords = 2000;
    Outcomes outcomes(kRecords);
    auto producer = newProducer();
    for (int i = 0; i < kRecords; ++i) {
        send(*producer, outcomes, i);
        if (i == kRecords / 2) {
            producer->flush();  // half of it on the old leaders
            for (int p = 0; p < kPartitions; ++p) cluster.setLeader("t", p, (p + 1) % 3 + 1);
        }
    }
    closeWithin(*producer, std::chrono::seconds(30));
    EXPECT_EQ(outcomes.acknowledged(), kRecords);
    expectNothingLost(outcomes);
}

TEST_F(Faults, AnswersSlowerThanTheRequestTimeoutAreRetriedOnANewConnection) {
    constexpr int kRecords = 300;
    Outcomes outcomes(kRecords);
    auto producer = newProducer();
    producer->send(ProducerRecord<std::string, std::string>("t", "warm-up")).get();
    for (int broker = 1; broker <= 3; ++broker) cluster.setRoundTripTime(broker, 1500);
    for (int i = 0; i < kRecords; ++i) send(*producer, outcomes, i);
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // a timeout or two
    for (int broker = 1; broker <= 3; ++broker) cluster.setRoundTripTime(broker, 0);
    closeWithin(*producer, std::chrono::seconds(30));
    EXPECT_EQ(outcomes.acknowledged(), kRecords);
    expectNothingLost(outcomes);
}

TEST_F(Faults, ALeaderGonePastTheDeliveryTimeoutFailsItsRecordsWithATimeout) {
    constexpr int kRecords = 600;
    Outcomes outcomes(kRecords);
    auto producer = newProducer({{"delivery.timeout.ms", "2000"}});
    producer->send(ProducerRecord<std::string, std::string>("t", "warm-up")).get();
    cluster.brokerDown(1);  // leads partitions 0 and 3, and stays down
    for (int i = 0; i < kRecords; ++i) send(*producer, outcomes, i);
    closeWithin(*producer, std::chrono::seconds(20));
    cluster.brokerUp(1);  // for the consumer
    int failed = 0;
    for (int i = 0; i < kRecords; ++i) {
        const auto index = static_cast<std::size_t>(i);
        if (outcomes.metadata[index]) {
            EXPECT_NE(outcomes.metadata[index]->partition() % 3, 0)
                << "led by the broker that is down";
            continue;
        }
        ++failed;
        EXPECT_NE(outcomes.errors[index].find("Expiring"), std::string::npos)
            << outcomes.errors[index];
        EXPECT_NE(outcomes.errors[index].find("since batch creation"), std::string::npos)
            << outcomes.errors[index];
    }
    EXPECT_GT(failed, 0);
    EXPECT_EQ(outcomes.acknowledged() + failed, kRecords);
    expectNothingLost(outcomes);
}

}  // namespace
}  // namespace kafka::clients::producer
