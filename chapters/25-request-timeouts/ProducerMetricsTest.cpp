// Chapter 25: the producer, measured. Kafka's windowed stats (Avg, Max, a Rate that divides
// by at least samples-1 windows), and the producer's metrics under Kafka's names after real
// sends to a scripted broker: counts that add up, retries and errors counted once per record,
// the pool whole again, and metrics read from another thread while the I/O thread records.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/metrics/Metrics.h"
#include "kafka/common/metrics/stats/Rate.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/common/utils/MockTime.h"
#include "support/FakeBroker.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::metrics::MetricConfig;
using common::metrics::MetricName;
namespace stats = common::metrics::stats;
using common::protocol::ApiKeys;
using test::FakeBroker;
using test::FakeReply;
using test::FakeRequest;

const MetricConfig kConfig{2, 1000};  // two samples of one second each

TEST(WindowedStats, AvgAndMaxCoverTheLiveSamplesOnly) {
    stats::Avg avg;
    stats::Max max;
    EXPECT_TRUE(std::isnan(avg.measure(kConfig, 0))) << "no value yet: NaN, as in Kafka";
    for (auto [value, at] : {std::pair{10.0, 0}, {20.0, 500}, {60.0, 1200}}) {
        avg.record(kConfig, value, at);
        max.record(kConfig, value, at);
    }
    EXPECT_DOUBLE_EQ(avg.measure(kConfig, 1500), 30.0);
    EXPECT_DOUBLE_EQ(max.measure(kConfig, 1500), 60.0);
    // At 2000 the first sample (started at 0) is two windows old: it is dropped.
    EXPECT_DOUBLE_EQ(avg.measure(kConfig, 2000), 60.0);
    // And at 3200 the second one too: nothing is left.
    EXPECT_TRUE(std::isnan(max.measure(kConfig, 3200)));
}

TEST(WindowedStats, ARateDividesByAtLeastSamplesMinusOneWindows) {
    stats::Rate rate;
    rate.record(kConfig, 100, 0);
    rate.record(kConfig, 100, 500);
    // 200 in half a second, but the rate counts one full window (samples - 1) on top of the
    // time elapsed: 200 / 1.5 s.
    EXPECT_EQ(rate.windowSize(kConfig, 500), 1500);
    EXPECT_NEAR(rate.measure(kConfig, 500), 200 / 1.5, 1e-9);
    // Once a full window has passed, the elapsed time alone counts.
    rate.record(kConfig, 100, 1100);
    EXPECT_EQ(rate.windowSize(kConfig, 1400), 1400);
    EXPECT_NEAR(rate.measure(kConfig, 1400), 300 / 1.4, 1e-9);
}

TEST(WindowedStats, AMeterKeepsARateAndATotalThatNeverFades) {
    common::metrics::Metrics metrics(kConfig, std::make_shared<common::utils::MockTime>(0));
    auto& sensor = metrics.sensor("records");
    sensor.addMeter({"record-send-rate", "g", {}}, {"record-send-total", "g", {}});
    sensor.record(5, 0);
    sensor.record(7, 100);
    EXPECT_EQ(&metrics.sensor("records"), &sensor) << "one sensor per name";
    const auto now = metrics.values();
    EXPECT_DOUBLE_EQ(now.at({"record-send-total", "g", {}}), 12);
    EXPECT_NEAR(now.at({"record-send-rate", "g", {}}), 12 / 1.0, 1e-9)
        << "12 over the one window counted as elapsed";
    EXPECT_EQ((MetricName{"record-send-rate", "g", {{"client-id", "p"}}}.displayName()),
              "g:record-send-rate:{client-id=p}");
}

// A one-partition topic "t" on a scripted broker that answers each produce request with
// the error codes the test lines up, then with success.
struct ScriptedBroker {
    explicit ScriptedBroker(std::vector<std::int16_t> errors = {})
        : errors(std::move(errors)),
          broker([this](const FakeRequest& request) { return answer(request); }) {}

    FakeReply answer(const FakeRequest& request) {
        if (request.header.apiKey == ApiKeys::kMetadata)
            return {FakeBroker::metadataBody(request.header.apiVersion, {broker.node()}, "t", 1, 0),
                    {},
                    false};
        std::int16_t error = 0;
        if (next < errors.size()) error = errors[next++];
        ++produceRequests;
        return {FakeBroker::produceBody(request.header.apiVersion, "t", 0, error, 0), {}, false};
    }

    KafkaProducer<std::string, std::string> producer(common::config::Properties overrides = {}) {
        common::config::Properties props = {
            {"bootstrap.servers", "127.0.0.1:" + std::to_string(broker.port())},
            {"acks", "1"},
            {"linger.ms", "0"},
            {"retry.backoff.ms", "10"},
            {"max.block.ms", "10000"},
            {"delivery.timeout.ms", "10000"},
            {"request.timeout.ms", "5000"}};
        for (const auto& [key, value] : overrides) props[key] = value;
        return KafkaProducer<std::string, std::string>(
            props, std::make_unique<common::serialization::StringSerializer>(),
            std::make_unique<common::serialization::StringSerializer>());
    }

    std::vector<std::int16_t> errors;
    std::size_t next = 0;  // broker thread only
    std::atomic<int> produceRequests{0};
    FakeBroker broker;
};

double metric(const KafkaProducer<std::string, std::string>& producer, const std::string& name) {
    return producer.metrics().at(
        MetricName{name, "producer-metrics", {{"client-id", producer.clientId()}}});
}

TEST(ProducerMetrics, CountsAddUpAfterRealSends) {
    ScriptedBroker f;
    auto producer = f.producer({{"batch.size", "1024"}, {"buffer.memory", "1048576"}});
    // Someone reads the metrics all along, as a monitoring thread would.
    std::atomic<bool> sending{true};
    std::thread reader([&] {
        while (sending) producer.metrics();
    });
    for (int i = 0; i < 200; ++i)
        producer.send(ProducerRecord<std::string, std::string>("t", std::string(40, 'x')));
    producer.flush();
    sending = false;
    reader.join();

    EXPECT_EQ(metric(producer, "record-send-total"), 200);
    EXPECT_EQ(metric(producer, "record-error-total"), 0);
    EXPECT_EQ(metric(producer, "record-retry-total"), 0);
    EXPECT_GT(metric(producer, "batch-size-avg"), 0);
    EXPECT_LE(metric(producer, "batch-size-max"), 1024) << "no batch outgrows batch.size";
    // records-per-request-avg is records over requests: the broker saw every request.
    EXPECT_NEAR(metric(producer, "records-per-request-avg") * f.produceRequests, 200, 1e-6);
    EXPECT_GE(metric(producer, "request-latency-avg"), 0);
    EXPECT_GE(metric(producer, "record-queue-time-max"), metric(producer, "record-queue-time-avg"));
    EXPECT_EQ(metric(producer, "buffer-total-bytes"), 1048576);
    EXPECT_TRUE(test::eventually([&] {
        return metric(producer, "buffer-available-bytes") == 1048576;
    })) << "every batch's memory goes back to the pool";
    // The I/O thread updates the gauge after the poll that completed the last batch.
    EXPECT_TRUE(test::eventually([&] { return metric(producer, "requests-in-flight") == 0; }));
    producer.close();
}

TEST(ProducerMetrics, ARetryAndAnErrorAreCountedOncePerRecord) {
    constexpr std::int16_t kNotLeader = 6;      // retriable
    constexpr std::int16_t kTooLarge = 10;      // MESSAGE_TOO_LARGE: not retriable
    ScriptedBroker f({kNotLeader, kTooLarge});  // first try retried, second fails
    auto producer = f.producer();
    auto future = producer.send(ProducerRecord<std::string, std::string>("t", "a"));
    EXPECT_THROW(future.get(), common::errors::KafkaException);
    EXPECT_EQ(metric(producer, "record-retry-total"), 1);
    EXPECT_EQ(metric(producer, "record-error-total"), 1);
    EXPECT_EQ(metric(producer, "record-send-total"), 2) << "two requests carried the record";
    producer.close();
}

}  // namespace
}  // namespace kafka::clients::producer
