//@ ch30
// Kafka's own Java clients (kafka-clients 4.x) against our broker (kafka-server-start, started
// once for the suite): the Java producer, with enable.idempotence=false until the idempotence
// chapters exist, writes keyed and key-less records, and the Java consumer (assign(), no
// group) reads every one back at the offset the producer was given, as it reads what our own
// producer wrote. With its default, idempotence on, the Java producer first asks for a
// producer id (InitProducerId), which our broker serves from chapter 36 on.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "RealKafka.h"
#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/ServerProcess.h"
//> ch37
#include "support/FaultyProxy.h"
//< ch37
//> ch38
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/requests/FetchRequest.h"
#include "kafka/common/requests/FetchResponse.h"
#include "support/BrokerClient.h"
//< ch38

namespace kafka::test {
namespace {

using clients::producer::KafkaProducer;
using clients::producer::ProducerRecord;
using clients::producer::RecordMetadataFuture;

const std::string kServer = std::string(COURSE_BIN_DIR) + "/kafka-server-start";

// Our broker as a child process on a free loopback port; the first line it prints says which.
class OurBrokerProcess {
public:
    OurBrokerProcess()
        : server_(kServer, {"--override", "listeners=PLAINTEXT://127.0.0.1:0", "--override",
                            "num.partitions=3"}) {
        if (const int port = server_.awaitPort(); port > 0)
            bootstrap_ = "127.0.0.1:" + std::to_string(port);
    }
    ~OurBrokerProcess() {
        server_.signal(SIGTERM);
        server_.waitForExit(std::chrono::seconds(30));
    }
    const std::string& bootstrapServers() const { return bootstrap_; }
    //> ch37
    int port() const { return std::stoi(bootstrap_.substr(bootstrap_.rfind(':') + 1)); }
    //< ch37

private:
    ServerProcess server_;
    std::string bootstrap_;
};

class JavaClientsOnOurBroker : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        broker_ = new OurBrokerProcess();
        // Java 17 and the jars: the same checks as for a real Kafka.
        java_ = runCommand(kClusterScript + " fetch 2>&1");
    }
    static void TearDownTestSuite() {
        delete broker_;
        broker_ = nullptr;
    }
    void SetUp() override {
        if (java_.exitCode == kNoJava)
            GTEST_SKIP() << "\n\n*** SKIPPED: no Java or Maven for Kafka's clients: "
                         << java_.output << " ***\n";
        ASSERT_EQ(java_.exitCode, 0) << java_.output;
        ASSERT_FALSE(broker_->bootstrapServers().empty()) << kServer << " did not start";
    }

    static OurBrokerProcess* broker_;
    static PeerRun java_;
};

OurBrokerProcess* JavaClientsOnOurBroker::broker_ = nullptr;
PeerRun JavaClientsOnOurBroker::java_{};

TEST_F(JavaClientsOnOurBroker, TheJavaProducerWritesAndTheJavaConsumerReadsEveryRecordAtItsOffset) {
    constexpr int kRecords = 200;
    for (const auto& [topic, acks, keyed] :
         {std::tuple{"java-keyed", "all", true}, std::tuple{"java-keyless", "1", false}}) {
        SCOPED_TRACE(topic);
        const auto produced = JavaClients::run("produce " + broker_->bootstrapServers() + " " +
                                               topic + " " + std::to_string(kRecords) + " " + acks +
                                               " false" + (keyed ? " keyed" : ""));
        ASSERT_EQ(produced.exitCode, 0) << produced.output;
        const auto acknowledged = parseLines(produced.output, "ack");
        ASSERT_EQ(acknowledged.size(), static_cast<std::size_t>(kRecords)) << produced.output;

        const auto consumed =
            JavaClients::run("consume " + broker_->bootstrapServers() + " " + topic);
        ASSERT_EQ(consumed.exitCode, 0) << consumed.output;
        const auto records = parseLines(consumed.output, "record");
        EXPECT_EQ(records.size(), static_cast<std::size_t>(kRecords)) << consumed.output;
        const auto places = byPlace(records);
        std::map<int, int> partitions;
        for (int i = 0; i < kRecords; ++i) {
            const auto& ack = acknowledged[i];  // printed in the order sent
            const auto found = places.find({ack.partition, ack.offset});
            ASSERT_NE(found, places.end())
                << "record " << i << " acknowledged at " << ack.partition << "/" << ack.offset;
            EXPECT_EQ(found->second.value, "value-" + std::to_string(i));
            EXPECT_EQ(found->second.key, keyed ? "key-" + std::to_string(i) : "-");
            ++partitions[ack.partition];
        }
        // Offsets in a partition are consecutive from 0: each partition's count is its end.
        for (const auto& [partition, count] : partitions)
            EXPECT_TRUE(places.contains({partition, count - 1}) &&
                        !places.contains({partition, count}))
                << "partition " << partition;
        if (keyed) {
            EXPECT_EQ(partitions.size(), 3u) << "the keys spread over the partitions";
        }
    }
}

// The batches our producer wrote, as our broker keeps them, are what Kafka's consumer reads.
TEST_F(JavaClientsOnOurBroker, TheJavaConsumerReadsWhatOurProducerWroteAtItsAcknowledgedOffsets) {
    constexpr int kRecords = 300;
    std::vector<RecordMetadataFuture> futures;
    {
        KafkaProducer<std::string, std::string> producer(
            {{"bootstrap.servers", broker_->bootstrapServers()},
             {"acks", "all"},
             {"linger.ms", "5"},
             {"max.block.ms", "15000"}},
            std::make_unique<common::serialization::StringSerializer>(),
            std::make_unique<common::serialization::StringSerializer>());
        for (int i = 0; i < kRecords; ++i)
            futures.push_back(producer.send(ProducerRecord<std::string, std::string>(
                "ours-to-java", "key-" + std::to_string(i), "value-" + std::to_string(i))));
        producer.close();
    }
    const auto consumed =
        JavaClients::run("consume " + broker_->bootstrapServers() + " ours-to-java");
    ASSERT_EQ(consumed.exitCode, 0) << consumed.output;
    const auto records = parseLines(consumed.output, "record");
    EXPECT_EQ(records.size(), static_cast<std::size_t>(kRecords)) << consumed.output;
    const auto places = byPlace(records);
    for (int i = 0; i < kRecords; ++i) {
        const auto metadata = futures[i].get();
        const auto found = places.find({metadata.partition(), metadata.offset()});
        ASSERT_NE(found, places.end()) << "record " << i << " acknowledged at "
                                       << metadata.partition() << "/" << metadata.offset();
        EXPECT_EQ(found->second.key, "key-" + std::to_string(i));
        EXPECT_EQ(found->second.value, "value-" + std::to_string(i));
    }
}

/*> ch30-36 java-default-stops
// Known gap until the idempotence chapters: our broker has no InitProducerId (API 22).
TEST_F(JavaClientsOnOurBroker, TheJavaProducerWithItsDefaultIdempotenceStopsAtInitProducerId) {
    const auto produced =
        JavaClients::run("produce " + broker_->bootstrapServers() + " java-default 3 all default");
    EXPECT_EQ(produced.exitCode, 1) << produced.output;
    EXPECT_NE(produced.output.find("UnsupportedVersionException: The node does not support "
                                   "INIT_PRODUCER_ID"),
              std::string::npos)
        << produced.output;
    EXPECT_TRUE(parseLines(produced.output, "ack").empty()) << "no record is acknowledged";
}
*/

//> ch36 java-default-idempotent
// With its defaults (Kafka 3.0+: idempotence on, acks=all) the Java producer first asks for a
// producer id, which our broker hands out from chapter 36 on, then numbers its batches.
TEST_F(JavaClientsOnOurBroker,
       TheJavaProducerWithItsDefaultIdempotenceGetsAnIdAndWritesEachRecord) {
    constexpr int kRecords = 50;
    const auto produced =
        JavaClients::run("produce " + broker_->bootstrapServers() + " java-default " +
                         std::to_string(kRecords) + " all default");
    ASSERT_EQ(produced.exitCode, 0) << produced.output;
    const auto acknowledged = parseLines(produced.output, "ack");
    ASSERT_EQ(acknowledged.size(), static_cast<std::size_t>(kRecords)) << produced.output;
    const auto consumed =
        JavaClients::run("consume " + broker_->bootstrapServers() + " java-default");
    ASSERT_EQ(consumed.exitCode, 0) << consumed.output;
    const auto records = parseLines(consumed.output, "record");
    EXPECT_EQ(records.size(), static_cast<std::size_t>(kRecords)) << consumed.output;
    const auto places = byPlace(records);
    for (int i = 0; i < kRecords; ++i) {
        const auto found = places.find({acknowledged[i].partition, acknowledged[i].offset});
        ASSERT_NE(found, places.end()) << "record " << i;
        EXPECT_EQ(found->second.value, "value-" + std::to_string(i));
    }
}
//< ch36 java-default-idempotent

//> ch37 java-lost-answer
// Kafka's Java producer through a lost answer (support/FaultyProxy.h: the broker stores the
// batch, the proxy throws the answer away and closes the connection). Not idempotent, it
// stores the batch twice; idempotent, our broker recognises the retry (chapter 37).
TEST_F(JavaClientsOnOurBroker, TheJavaProducerThroughALostAnswerStoresCopiesUnlessIdempotent) {
    constexpr int kRecords = 20;
    for (const auto& [topic, idempotence] :
         {std::pair{"java-lost-plain", "false"}, std::pair{"java-lost-idempotent", "true"}}) {
        SCOPED_TRACE(topic);
        FaultyProxy proxy(broker_->port());
        proxy.dropNextProduceResponse();
        const auto produced =
            JavaClients::run("produce " + proxy.bootstrapServers() + " " + topic + " " +
                             std::to_string(kRecords) + " all " + idempotence);
        ASSERT_EQ(produced.exitCode, 0) << produced.output;
        EXPECT_EQ(proxy.droppedResponses(), 1) << "no answer was lost: nothing was retried";
        EXPECT_EQ(parseLines(produced.output, "ack").size(), static_cast<std::size_t>(kRecords));
        const auto consumed =
            JavaClients::run("consume " + broker_->bootstrapServers() + " " + topic);
        ASSERT_EQ(consumed.exitCode, 0) << consumed.output;
        std::map<std::string, int> copies;
        for (const auto& record : parseLines(consumed.output, "record")) ++copies[record.value];
        EXPECT_EQ(copies.size(), static_cast<std::size_t>(kRecords)) << "every record is there";
        int stored = 0;
        for (const auto& [value, count] : copies) stored += count;
        std::cout << topic << ": " << kRecords << " sent, " << stored << " stored\n";
        if (std::string(idempotence) == "true")
            EXPECT_EQ(stored, kRecords) << "each record once";
        else
            EXPECT_GT(stored, kRecords) << "the retried batch is there twice";
    }
}
//< ch37 java-lost-answer

//> ch38 java-compressed
// Kafka's Java producer with each codec (compression.type): our broker takes its compressed
// batches as they come, the Java consumer reads every record back at its acknowledged offset,
// and a Fetch of our own finds each stored batch still in the Java producer's codec.
TEST_F(JavaClientsOnOurBroker, TheJavaProducersCompressedBatchesAreStoredAsSentAndReadBack) {
    constexpr int kRecords = 100;
    for (const auto& [codec, id] : std::vector<std::pair<std::string, int>>{
             {"gzip", 1}, {"snappy", 2}, {"lz4", 3}, {"zstd", 4}}) {
        SCOPED_TRACE(codec);
        const std::string topic = "java-" + codec;
        const auto produced = JavaClients::run("produce " + broker_->bootstrapServers() + " " +
                                               topic + " " + std::to_string(kRecords) +
                                               " all default keyed compression.type=" + codec);
        ASSERT_EQ(produced.exitCode, 0) << produced.output;
        const auto acknowledged = parseLines(produced.output, "ack");
        ASSERT_EQ(acknowledged.size(), static_cast<std::size_t>(kRecords)) << produced.output;
        const auto consumed =
            JavaClients::run("consume " + broker_->bootstrapServers() + " " + topic);
        ASSERT_EQ(consumed.exitCode, 0) << consumed.output;
        const auto places = byPlace(parseLines(consumed.output, "record"));
        EXPECT_EQ(places.size(), static_cast<std::size_t>(kRecords)) << consumed.output;
        for (int i = 0; i < kRecords; ++i) {
            const auto found = places.find({acknowledged[i].partition, acknowledged[i].offset});
            ASSERT_NE(found, places.end()) << "record " << i;
            EXPECT_EQ(found->second.key, "key-" + std::to_string(i));
            EXPECT_EQ(found->second.value, "value-" + std::to_string(i));
        }

        BrokerClient client(broker_->port());
        int stored = 0;
        for (int partition = 0; partition < 3; ++partition) {
            const common::TopicPartition tp{topic, partition};
            const auto fetched = client.call<common::requests::FetchResponse>(
                common::protocol::ApiKeys::kFetch, 11,
                common::requests::FetchRequest(0, 1, 1 << 20, {{tp, {0, 1 << 20, -1, -1}}}));
            ASSERT_NE(fetched, nullptr);
            const auto& bytes = fetched->partitions().at(tp).records;
            for (const auto& batch :
                 common::record::MemoryRecords::readableRecords(bytes).batches()) {
                EXPECT_EQ(batch.compressionType(), id) << "partition " << partition;
                stored += batch.recordsCount();
            }
        }
        EXPECT_EQ(stored, kRecords);
    }
}
//< ch38 java-compressed

}  // namespace
}  // namespace kafka::test
