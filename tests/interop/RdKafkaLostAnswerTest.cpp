//@ ch37
// librdkafka's idempotent producer through chapter 36's lost answer (see
// LostAnswerOnOurBrokerTest.cpp and support/FaultyProxy.h): the proxy withholds the answer to a
// Produce request our broker has stored and closes the connection; librdkafka retries with the
// same producer id and sequence, and our broker, which checks sequences from chapter 37 on,
// keeps one copy. In a file of its own, named like the other tests that load librdkafka, which a
// ThreadSanitizer build leaves out.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/EmbeddedBroker.h"
#include "support/FaultyProxy.h"
#include "support/LogReader.h"

namespace kafka::test {
namespace {

constexpr int kRecords = 10;

// librdkafka's delivery reports: how often each message was acknowledged, and failures.
struct Deliveries {
    std::map<int, int> acknowledgements;  // message index -> acknowledgements
    int failures = 0;
};

void onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    auto& deliveries = *static_cast<Deliveries*>(opaque);
    const int index = static_cast<int>(reinterpret_cast<std::intptr_t>(message->_private));
    if (message->err)
        ++deliveries.failures;
    else if (index >= 0)  // the warm-up is -1
        ++deliveries.acknowledgements[index];
}

void produce(rd_kafka_t* producer, const std::string& topic, const std::string& value, int index) {
    ASSERT_EQ(rd_kafka_producev(
                  producer, RD_KAFKA_V_TOPIC(topic.c_str()),
                  RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                  RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<std::intptr_t>(index))),
                  RD_KAFKA_V_END),
              RD_KAFKA_RESP_ERR_NO_ERROR);
}

TEST(LostAnswerOnOurBroker, LibrdkafkasIdempotentProducerStoresEachRecordOnce) {
    const std::string topic = "lost-rdkafka";
    EmbeddedBroker broker(common::config::Properties{{"num.partitions", "1"}});
    FaultyProxy proxy(broker.server().boundPort());
    Deliveries deliveries;
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    for (const auto& [key, value] : std::map<std::string, std::string>{
             {"bootstrap.servers", proxy.bootstrapServers()},
             {"enable.idempotence", "true"},  // implies acks=all, retries, in order
             {"max.in.flight.requests.per.connection", "5"},
             {"linger.ms", "0"},
             // Nothing here waits for a timeout: the proxy closes the connection, and
             // librdkafka retries what was in flight on it at once. Had the proxy only kept the
             // answer, librdkafka would wait socket.timeout.ms (60 s by default), its own
             // deadline for a request; request.timeout.ms (30 s) is not that: it travels in
             // the ProduceRequest as the time the *broker* may wait for acks=all.
             // message.timeout.ms bounds a message's whole delivery, as our
             // delivery.timeout.ms does.
             {"message.timeout.ms", "30000"},
             {"log_level", "4"}})
        ASSERT_EQ(rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof error),
                  RD_KAFKA_CONF_OK)
            << key << ": " << error;
    rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
    rd_kafka_conf_set_opaque(conf, &deliveries);
    {
        std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> producer(
            rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error), rd_kafka_destroy);
        ASSERT_TRUE(producer) << error;
        // Metadata, the producer id and a connection, all through the proxy, before the fault.
        produce(producer.get(), topic, "warm-up", -1);
        ASSERT_EQ(rd_kafka_flush(producer.get(), 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);

        proxy.dropNextProduceResponse();
        for (int i = 0; i < kRecords; ++i)
            produce(producer.get(), topic, "value-" + std::to_string(i), i);
        ASSERT_EQ(rd_kafka_flush(producer.get(), 30'000), RD_KAFKA_RESP_ERR_NO_ERROR);
    }
    EXPECT_GE(proxy.rewrittenMetadataResponses(), 1) << "librdkafka bypassed the proxy";
    EXPECT_EQ(proxy.droppedResponses(), 1) << "the proxy lost no answer: nothing was retried";
    EXPECT_EQ(deliveries.failures, 0);
    for (int i = 0; i < kRecords; ++i)
        EXPECT_EQ(deliveries.acknowledgements[i], 1) << "message " << i;

    // The partition, read from the broker's log: each value once, in the order produced.
    const auto log = broker.server().logManager()->getLog({topic, 0});
    ASSERT_TRUE(log);
    std::vector<std::string> stored;
    std::map<std::string, int> counts;
    std::string listing;
    for (auto& [offset, value] : readRecords(*log, log->logStartOffset())) {
        ++counts[value];
        listing += " " + value;
        stored.push_back(std::move(value));
    }
    std::cout << "librdkafka, idempotent: " << stored.size() << " stored:" << listing << "\n";
    std::erase_if(counts, [](const auto& entry) { return entry.second < 2; });
    EXPECT_TRUE(counts.empty()) << stored.size() << " stored:" << listing;
    if (counts.empty()) {
        std::vector<std::string> expected{"warm-up"};
        for (int i = 0; i < kRecords; ++i) expected.push_back("value-" + std::to_string(i));
        EXPECT_EQ(stored, expected);
    }
}

}  // namespace
}  // namespace kafka::test
