// Chapter 23 demo: errors that pass and errors that stay. librdkafka's mock cluster refuses
// produce requests on command. NOT_LEADER_OR_FOLLOWER is retriable: the batch goes back to
// the head of its deque, the client refreshes its metadata, and the record lands once.
// MESSAGE_TOO_LARGE is not: no retry can make the batch smaller, so it fails at once.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/MockCluster.h"

using kafka::clients::producer::KafkaProducer;
using kafka::clients::producer::ProducerRecord;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::int16_t kProduce = 0;

KafkaProducer<std::string, std::string> newProducer(const kafka::test::MockCluster& cluster) {
    return KafkaProducer<std::string, std::string>(
        {{"bootstrap.servers", cluster.bootstrapServers()},
         {"acks", "1"},
         {"linger.ms", "0"},
         {"retry.backoff.ms", "100"}},
        std::make_unique<kafka::common::serialization::StringSerializer>(),
        std::make_unique<kafka::common::serialization::StringSerializer>());
}

// Sends one record once the producer is warmed up (metadata and connection in place) and
// `inject` has told the cluster which errors to answer with.
void sendOne(kafka::test::MockCluster& cluster, const std::string& what,
             const std::vector<rd_kafka_resp_err_t>& inject) {
    auto producer = newProducer(cluster);
    producer.send(ProducerRecord<std::string, std::string>("errors", 0, std::nullopt, "warm up"))
        .get();
    cluster.pushRequestErrors(kProduce, inject);
    const auto start = Clock::now();
    auto future =
        producer.send(ProducerRecord<std::string, std::string>("errors", 0, std::nullopt, what));
    try {
        const auto metadata = future.get();
        std::cout << "  acknowledged at offset " << metadata.offset();
    } catch (const std::exception& e) {
        std::cout << "  failed: " << e.what();
    }
    std::cout << " after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count()
              << " ms\n\n";
    producer.close();
}

}  // namespace

int main() {
    kafka::test::MockCluster cluster(3);
    cluster.createTopic("errors", 1);
    std::cout << "retries: unlimited (bounded by delivery.timeout.ms), retry.backoff.ms=100\n\n";

    std::cout << "The next 3 produce requests are refused with NOT_LEADER_OR_FOLLOWER "
                 "(retriable, and a sign of stale metadata):\n";
    sendOne(cluster, "retried",
            {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
             RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION});

    std::cout << "The next produce request is refused with MESSAGE_TOO_LARGE (not retriable):\n";
    sendOne(cluster, "refused", {RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE});
    return 0;
}
