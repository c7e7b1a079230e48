//@ ch17
#pragma once

// librdkafka's mock Kafka cluster (Debian's librdkafka-dev, rdkafka_mock.h), started in the
// test's own process on loopback ports: a multi-broker Kafka that nobody here wrote, with
// brokers that can be taken down, slowed down or told to answer with errors. And a librdkafka
// consumer, without a consumer group, that reads back what a test produced to it.

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kafka::test {

class MockCluster {
public:
    /// Starts `brokers` brokers, ids 1..brokers.
    explicit MockCluster(int brokers = 3) : brokers_(brokers) {
        char error[512];
        rd_kafka_conf_t* conf = rd_kafka_conf_new();
        // The handle only hosts the cluster; it talks to nobody. Keep it quiet.
        rd_kafka_conf_set(conf, "log_level", "0", error, sizeof error);
        handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
        if (!handle_) throw std::runtime_error(std::string("rd_kafka_new: ") + error);
        cluster_ = rd_kafka_mock_cluster_new(handle_, brokers);
        if (!cluster_) {
            rd_kafka_destroy(handle_);
            throw std::runtime_error("rd_kafka_mock_cluster_new failed");
        }
    }
    ~MockCluster() {
        rd_kafka_mock_cluster_destroy(cluster_);
        rd_kafka_destroy(handle_);
    }
    MockCluster(const MockCluster&) = delete;
    MockCluster& operator=(const MockCluster&) = delete;

    std::string bootstrapServers() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }
    int brokers() const { return brokers_; }

    /// A topic whose partition p is led by broker (p % brokers) + 1: leaders spread.
    void createTopic(const std::string& topic, int partitions) {
        check(rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1), "topic_create");
        for (int p = 0; p < partitions; ++p) setLeader(topic, p, p % brokers_ + 1);
    }
    void setLeader(const std::string& topic, int partition, int brokerId) {
        check(rd_kafka_mock_partition_set_leader(cluster_, topic.c_str(), partition, brokerId),
              "partition_set_leader");
    }
    /// The broker closes its connections and refuses new ones; up again, it takes them.
    void brokerDown(int brokerId) {
        check(rd_kafka_mock_broker_set_down(cluster_, brokerId), "broker_set_down");
    }
    void brokerUp(int brokerId) {
        check(rd_kafka_mock_broker_set_up(cluster_, brokerId), "broker_set_up");
    }
    /// Every answer from the broker comes `ms` late.
    void setRoundTripTime(int brokerId, int ms) {
        check(rd_kafka_mock_broker_set_rtt(cluster_, brokerId, ms), "broker_set_rtt");
    }
    /// The next requests of `apiKey` (to any broker) are answered with these errors, in order.
    void pushRequestErrors(std::int16_t apiKey, const std::vector<rd_kafka_resp_err_t>& errors) {
        rd_kafka_mock_push_request_errors_array(cluster_, apiKey, errors.size(), errors.data());
    }

private:
    static void check(rd_kafka_resp_err_t error, const char* what) {
        if (error != RD_KAFKA_RESP_ERR_NO_ERROR)
            throw std::runtime_error(std::string("rd_kafka_mock_") + what + ": " +
                                     rd_kafka_err2str(error));
    }

    int brokers_;
    rd_kafka_t* handle_ = nullptr;
    rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

struct ConsumedRecord {
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::vector<std::pair<std::string, std::optional<std::string>>> headers;
    std::int64_t timestamp = 0;
};

/// Read until every partition's end, however many records that is.
inline constexpr std::size_t kUntilTheEnd = static_cast<std::size_t>(-1);

/// Reads `topic`'s partitions 0..partitions-1 from the beginning with a librdkafka consumer
/// (no group: librdkafka's simple queue API), until `expected` records have come (or, with
/// kUntilTheEnd, every partition has been read to its end), or `timeout` has passed. Records of
/// one partition come in offset order.
inline std::vector<ConsumedRecord> consumeAll(const std::string& bootstrapServers,
                                              const std::string& topic, int partitions,
                                              std::size_t expected,
                                              std::chrono::milliseconds timeout) {
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrapServers.c_str(), error, sizeof error);
    rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error);
    rd_kafka_conf_set(conf, "enable.partition.eof", "true", error, sizeof error);
    std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> consumer(
        rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error), rd_kafka_destroy);
    if (!consumer) throw std::runtime_error(std::string("rd_kafka_new: ") + error);
    std::unique_ptr<rd_kafka_topic_t, void (*)(rd_kafka_topic_t*)> handle(
        rd_kafka_topic_new(consumer.get(), topic.c_str(), nullptr), rd_kafka_topic_destroy);
    std::unique_ptr<rd_kafka_queue_t, void (*)(rd_kafka_queue_t*)> queue(
        rd_kafka_queue_new(consumer.get()), rd_kafka_queue_destroy);
    for (int p = 0; p < partitions; ++p)
        rd_kafka_consume_start_queue(handle.get(), p, RD_KAFKA_OFFSET_BEGINNING, queue.get());

    std::vector<ConsumedRecord> records;
    std::set<std::int32_t> atTheEnd;  // partitions read to their end, with nothing since
    const auto giveUp = std::chrono::steady_clock::now() + timeout;
    while (records.size() < expected && std::chrono::steady_clock::now() < giveUp) {
        if (expected == kUntilTheEnd && atTheEnd.size() == static_cast<std::size_t>(partitions))
            break;
        rd_kafka_message_t* message = rd_kafka_consume_queue(queue.get(), 100);
        if (!message) continue;
        std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> owned(
            message, rd_kafka_message_destroy);
        if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) atTheEnd.insert(message->partition);
        if (message->err) continue;  // an end, or a transient error: keep going
        atTheEnd.erase(message->partition);
        ConsumedRecord record;
        record.partition = message->partition;
        record.offset = message->offset;
        if (message->key)
            record.key.emplace(static_cast<const char*>(message->key), message->key_len);
        if (message->payload)
            record.value.emplace(static_cast<const char*>(message->payload), message->len);
        rd_kafka_headers_t* headers = nullptr;
        if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            const char* name;
            const void* value;
            std::size_t size;
            for (std::size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
                                    RD_KAFKA_RESP_ERR_NO_ERROR;
                 ++i) {
                std::optional<std::string> text;
                if (value) text.emplace(static_cast<const char*>(value), size);
                record.headers.emplace_back(name, std::move(text));
            }
        }
        record.timestamp = rd_kafka_message_timestamp(message, nullptr);
        records.push_back(std::move(record));
    }
    for (int p = 0; p < partitions; ++p) rd_kafka_consume_stop(handle.get(), p);
    return records;
}

}  // namespace kafka::test
