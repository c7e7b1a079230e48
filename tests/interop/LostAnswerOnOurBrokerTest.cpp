//@ ch36
// Chapter 36's lost answer, made on purpose in front of our broker: the FaultyProxy lets a
// Produce request through, waits for the broker to store the batch and answer, then throws the
// answer away and closes the connection. The producer cannot tell this from a request that
// never arrived, so it sends the batch again. Without idempotence the partition then holds a
// copy; with it, the retry carries the same producer id and sequence, and a broker that checks
// sequences (chapter 37) keeps one, even when it was restarted in between. (Chapter 36's
// broker hands out producer ids but does not check sequences: the idempotent cases arrive with
// chapter 37.)
// librdkafka's producer through the same fault: RdKafkaLostAnswerTest.cpp (a file of its own,
// which a ThreadSanitizer build leaves out with the other tests that load librdkafka).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"
#include "kafka/common/requests/MetadataResponse.h"
#include "kafka/common/requests/RequestHeader.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/BrokerClient.h"
#include "support/EmbeddedBroker.h"
#include "support/FakeBroker.h"
#include "support/FaultyProxy.h"
#include "support/LogReader.h"

namespace kafka::test {
namespace {

using Producer = clients::producer::KafkaProducer<std::string, std::string>;

constexpr int kRecords = 10;

// What one run through a lost answer gave: how often each record's send was acknowledged,
// how many sends failed, and the partition's values in offset order.
struct LostAnswerRun {
    std::map<int, int> acknowledgements;  // record index -> acknowledgements
    int failures = 0;
    int dropped = 0;
    std::vector<std::string> stored;
};

std::string valueOf(int index) {
    return "value-" + std::to_string(index);
}

// The partition's values in offset order, read from the broker's log itself (every batch's
// CRC checked), not through the proxy.
std::vector<std::string> storedValues(EmbeddedBroker& broker, const std::string& topic) {
    const auto log = broker.server().logManager()->getLog({topic, 0});
    if (!log) return {};
    std::vector<std::string> values;
    for (auto& [offset, value] : readRecords(*log, log->logStartOffset()))
        values.push_back(std::move(value));
    return values;
}

// Each value stored more than once, with its count.
std::map<std::string, int> duplicates(const std::vector<std::string>& stored) {
    std::map<std::string, int> counts;
    for (const auto& value : stored) ++counts[value];
    std::erase_if(counts, [](const auto& entry) { return entry.second < 2; });
    return counts;
}

std::string describe(const LostAnswerRun& run) {
    std::string text = std::to_string(run.stored.size()) + " stored:";
    for (const auto& value : run.stored) text += " " + value;
    for (const auto& [value, count] : duplicates(run.stored))
        text += "; " + value + " x" + std::to_string(count);
    return text;
}

// The proxy on its own, in front of a FakeBroker that answers Metadata (naming itself at
// 127.0.0.1:1, an address nobody listens on: only the proxy's rewrite makes it usable) and
// Produce (whatever the body), spoken to frame by frame with a BrokerClient.
using common::protocol::ApiKeys;

FakeReply fakeAnswer(const FakeRequest& request) {
    const auto version = request.header.apiVersion;
    if (request.header.apiKey == ApiKeys::kMetadata)
        return {FakeBroker::metadataBody(version, {{0, "127.0.0.1", 1}}, "t", 2, 0), {}, false};
    return {FakeBroker::produceBody(version, "t", 0, 0, 42), {}, false};
}

// A request frame whose body is `body`, bytes as they are.
common::utils::Bytes requestFrame(ApiKeys api, std::int16_t version, std::int32_t correlationId,
                                  const common::utils::Bytes& body) {
    common::utils::Bytes payload;
    common::protocol::Writable out(payload);
    common::requests::RequestHeader{api, version, correlationId, "proxy-test"}.write(out);
    payload.insert(payload.end(), body.begin(), body.end());
    return BrokerClient::frame(payload);
}

// A Metadata request for every topic (v1+: a null topic array).
common::utils::Bytes metadataRequest(std::int16_t version, std::int32_t correlationId) {
    common::utils::Bytes body;
    common::protocol::Writable out(body);
    out.writeArrayLength(-1);
    if (version >= 4) out.writeBoolean(false);  // allow_auto_topic_creation
    if (version >= 8) {
        out.writeBoolean(false);  // include_cluster_authorized_operations
        out.writeBoolean(false);  // include_topic_authorized_operations
    }
    return requestFrame(ApiKeys::kMetadata, version, correlationId, body);
}

TEST(LostAnswerProxy, PointsEveryBrokerOfAMetadataAnswerAtItself) {
    FakeBroker broker(fakeAnswer);
    FaultyProxy proxy(broker.port());
    BrokerClient client(proxy.port());
    for (std::int16_t version = 1; version <= 8; ++version) {
        client.sendRaw(metadataRequest(version, version));
        const auto frame = client.readFrame();
        ASSERT_TRUE(frame) << "v" << version;
        common::protocol::Readable in(*frame, "MetadataResponse");
        EXPECT_EQ(in.readInt32(), version);  // the correlation id
        const auto answer = common::requests::MetadataResponse::parse(in, version);
        ASSERT_EQ(answer->brokers().size(), 1U);
        EXPECT_EQ(answer->brokers()[0], (common::Node{0, "127.0.0.1", proxy.port()}));
        // The rest is the broker's answer, untouched.
        ASSERT_EQ(answer->topics().size(), 1U);
        EXPECT_EQ(answer->topics()[0].name, "t");
        EXPECT_EQ(answer->topics()[0].partitions.size(), 2U);
    }
    EXPECT_EQ(proxy.rewrittenMetadataResponses(), 8);
}

TEST(LostAnswerProxy, LosesTheNextProduceAnswerAfterTheBrokerHasIt) {
    FakeBroker broker(fakeAnswer);
    FaultyProxy proxy(broker.port());
    BrokerClient first(proxy.port());
    first.sendRaw(requestFrame(ApiKeys::kProduce, 8, 1, {}));
    ASSERT_TRUE(first.readFrame());  // not asked to drop anything yet

    proxy.dropNextProduceResponse();
    first.sendRaw(requestFrame(ApiKeys::kProduce, 8, 2, {}));
    EXPECT_TRUE(first.closedByPeer()) << "the answer came, or the connection stayed open";
    EXPECT_EQ(proxy.droppedResponses(), 1);
    EXPECT_EQ(broker.requests(ApiKeys::kProduce).size(), 2U) << "the broker got both requests";

    // Only the next one: a new connection is answered again.
    BrokerClient second(proxy.port());
    second.sendRaw(requestFrame(ApiKeys::kProduce, 8, 3, {}));
    EXPECT_TRUE(second.readFrame());
    EXPECT_EQ(proxy.droppedResponses(), 1);
}

TEST(LostAnswerProxy, OutlivesAClientThatLeavesMidFrame) {
    FakeBroker broker(fakeAnswer);
    FaultyProxy proxy(broker.port());
    {
        BrokerClient leaving(proxy.port());
        auto half = metadataRequest(8, 1);
        half.resize(half.size() / 2);
        leaving.sendRaw(half);
    }
    BrokerClient staying(proxy.port());
    staying.sendRaw(metadataRequest(8, 2));
    EXPECT_TRUE(staying.readFrame());
    EXPECT_EQ(proxy.acceptedConnections(), 2);
}  // the proxy stops with a client still connected to it

// Our producer through the proxy: a warm-up record (metadata, the producer id and a
// connection, all through the proxy), then the next Produce answer lost while kRecords records
// are sent and flushed.
LostAnswerRun ourProducerThroughALostAnswer(const std::string& topic,
                                            common::config::Properties settings) {
    EmbeddedBroker broker(common::config::Properties{{"num.partitions", "1"}});
    FaultyProxy proxy(broker.server().boundPort());
    LostAnswerRun run;
    {
        common::config::Properties props{{"bootstrap.servers", proxy.bootstrapServers()},
                                         {"acks", "all"},
                                         {"linger.ms", "0"},
                                         {"max.block.ms", "10000"},
                                         {"delivery.timeout.ms", "30000"}};
        for (auto& [key, value] : settings) props[key] = value;
        Producer producer(props, std::make_unique<common::serialization::StringSerializer>(),
                          std::make_unique<common::serialization::StringSerializer>());
        producer.send({topic, "warm-up"}).get();

        proxy.dropNextProduceResponse();
        // Callbacks run on the producer's I/O thread.
        std::mutex mutex;
        for (int i = 0; i < kRecords; ++i)
            producer.send({topic, valueOf(i)}, [&, i](const clients::producer::RecordMetadata&,
                                                      std::exception_ptr error) {
                std::lock_guard lock(mutex);
                if (error)
                    ++run.failures;
                else
                    ++run.acknowledgements[i];
            });
        producer.flush();
        producer.close();
    }
    run.dropped = proxy.droppedResponses();
    EXPECT_GE(proxy.rewrittenMetadataResponses(), 1) << "the producer bypassed the proxy";
    run.stored = storedValues(broker, topic);
    return run;
}

// Every send was answered once, with success: the producer hides the lost answer.
void expectEachAcknowledgedOnce(const LostAnswerRun& run) {
    EXPECT_EQ(run.dropped, 1) << "the proxy lost no answer: nothing was retried";
    EXPECT_EQ(run.failures, 0);
    for (int i = 0; i < kRecords; ++i)
        EXPECT_EQ(run.acknowledgements.contains(i) ? run.acknowledgements.at(i) : 0, 1)
            << "record " << i;
}

// The stored values, once each and in send order, after the warm-up.
std::vector<std::string> eachOnceInOrder() {
    std::vector<std::string> values{"warm-up"};
    for (int i = 0; i < kRecords; ++i) values.push_back(valueOf(i));
    return values;
}

TEST(LostAnswerOnOurBroker, AProducerThatIsNotIdempotentStoresARetriedBatchTwice) {
    const auto run = ourProducerThroughALostAnswer(
        "lost-plain",
        {{"enable.idempotence", "false"}, {"max.in.flight.requests.per.connection", "1"}});
    expectEachAcknowledgedOnce(run);
    std::cout << "not idempotent: " << describe(run) << "\n";
    // Every record is there, and the one whose answer was lost is there twice.
    for (const auto& value : eachOnceInOrder())
        EXPECT_NE(std::find(run.stored.begin(), run.stored.end(), value), run.stored.end())
            << value;
    EXPECT_FALSE(duplicates(run.stored).empty()) << describe(run);
}

//> ch37 lost-answer-idempotent
void expectEachStoredOnceInOrder(const LostAnswerRun& run) {
    EXPECT_TRUE(duplicates(run.stored).empty()) << describe(run);
    // Order only means something once the copies are gone.
    if (duplicates(run.stored).empty()) {
        EXPECT_EQ(run.stored, eachOnceInOrder());
    }
}

// From chapter 37 the broker recognises the retried batch by its producer id, epoch and
// sequence, and answers it with its first offset instead of storing it again.
TEST(LostAnswerOnOurBroker, TheIdempotentProducerStoresEachRecordOnce) {
    const auto run = ourProducerThroughALostAnswer(
        "lost-idempotent",
        {{"enable.idempotence", "true"}, {"max.in.flight.requests.per.connection", "5"}});
    expectEachAcknowledgedOnce(run);
    std::cout << "idempotent: " << describe(run) << "\n";
    expectEachStoredOnceInOrder(run);
}

// The retry reaches a broker that was restarted after it stored the batch: what it remembers
// of the producer came back from its snapshot (written at the clean shutdown).
TEST(LostAnswerOnOurBroker, TheRetryIsRecognisedByABrokerRestartedInBetween) {
    const auto logDir = scratchDir();
    auto broker = std::make_optional<EmbeddedBroker>(
        common::config::Properties{{"num.partitions", "1"}, {"log.dirs", logDir.string()}});
    const int port = broker->server().boundPort();
    FaultyProxy proxy(port);
    LostAnswerRun run;
    {
        // A long reconnect backoff, so that the retry comes after the restart; a batch per
        // record, so that several batches are in flight when the answer is lost.
        Producer producer({{"bootstrap.servers", proxy.bootstrapServers()},
                           {"linger.ms", "0"},
                           {"batch.size", "16"},
                           {"reconnect.backoff.ms", "2000"},
                           {"reconnect.backoff.max.ms", "2000"},
                           {"max.block.ms", "10000"},
                           {"delivery.timeout.ms", "60000"}},
                          std::make_unique<common::serialization::StringSerializer>(),
                          std::make_unique<common::serialization::StringSerializer>());
        producer.send({"lost-restart", "warm-up"}).get();
        proxy.dropNextProduceResponse();
        std::vector<clients::producer::RecordMetadataFuture> futures;
        for (int i = 0; i < kRecords; ++i)
            futures.push_back(producer.send({"lost-restart", valueOf(i)}));
        const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (proxy.droppedResponses() == 0 && std::chrono::steady_clock::now() < giveUp)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ASSERT_EQ(proxy.droppedResponses(), 1);
        broker.reset();  // a clean shutdown: the log writes its producer snapshot
        broker.emplace(common::config::Properties{
            {"num.partitions", "1"},
            {"log.dirs", logDir.string()},
            {"listeners", "PLAINTEXT://127.0.0.1:" + std::to_string(port)}});
        for (int i = 0; i < kRecords; ++i) {
            try {
                futures[i].get();
                ++run.acknowledgements[i];
            } catch (const std::exception&) {
                ++run.failures;
            }
        }
        producer.close();
    }
    run.dropped = proxy.droppedResponses();
    run.stored = storedValues(*broker, "lost-restart");
    std::cout << "idempotent, broker restarted: " << describe(run) << "\n";
    expectEachAcknowledgedOnce(run);
    expectEachStoredOnceInOrder(run);
}
//< ch37 lost-answer-idempotent

}  // namespace
}  // namespace kafka::test
