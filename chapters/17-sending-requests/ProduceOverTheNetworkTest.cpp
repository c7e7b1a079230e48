// Chapter 17: records really sent. The producer finds the leader through a MetadataRequest,
// connects, agrees on versions, and sends ProduceRequests whose record batches the broker can
// read; each record's future gets the broker's base offset plus its index in the batch. The
// broker is a scripted one that reads the produce requests and assigns offsets as a log does.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/common/utils/LogContext.h"
#include "support/FakeBroker.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::protocol::ApiKeys;
using common::protocol::Readable;
using test::FakeBroker;
using test::FakeReply;
using test::FakeRequest;

// What a scripted broker saw in the produce requests: per partition, the values in log order.
struct Log {
    std::mutex mutex;
    std::map<int, std::vector<std::string>> values;
    std::vector<std::int16_t> acks;
};

// Reads a ProduceRequest (v3+) and appends its batches to `log`; answers with the offset each
// batch starts at.
FakeReply appendToLog(const FakeRequest& request, Log& log) {
    Readable in(request.body, "ProduceRequest");
    in.readNullableString("transactional_id");
    const std::int16_t acks = in.readInt16();
    in.readInt32();  // timeout
    const auto topics = in.readArrayLength("topics", 6);
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t baseOffset = 0;
    std::lock_guard lock(log.mutex);
    log.acks.push_back(acks);
    for (std::int32_t t = 0; t < topics; ++t) {
        topic = in.readString("topic");
        const auto partitions = in.readArrayLength("partitions", 8);
        for (std::int32_t p = 0; p < partitions; ++p) {
            partition = in.readInt32();
            const auto records =
                common::record::MemoryRecords::readableRecords(in.readBytes("records"));
            auto& values = log.values[partition];
            baseOffset = static_cast<std::int64_t>(values.size());
            for (const auto& batch : records.batches()) {
                batch.ensureValid();  // the CRC the broker checks
                for (const auto& record : batch.records())
                    values.push_back(common::utils::toString(*record.value()));
            }
        }
    }
    if (acks == 0) return {};
    return {FakeBroker::produceBody(request.header.apiVersion, topic, partition, 0, baseOffset),
            {},
            false};
}

struct ProducerOnAFakeBroker {
    explicit ProducerOnAFakeBroker(FakeBroker::ApiRanges ranges = FakeBroker::ourRanges())
        : broker([this](const FakeRequest& request) { return answer(request); }, ranges) {}

    FakeReply answer(const FakeRequest& request) {
        if (request.header.apiKey == ApiKeys::kMetadata)
            return {FakeBroker::metadataBody(request.header.apiVersion, {broker.node()}, "t", 1, 0),
                    {},
                    false};
        return appendToLog(request, log);
    }

    KafkaProducer<std::string, std::string> producer(const std::string& acks,
                                                     const common::config::Properties& more = {}) {
        common::config::Properties props{
            {"bootstrap.servers", "127.0.0.1:" + std::to_string(broker.port())},
            {"acks", acks},
            {"max.block.ms", "10000"},
            {"delivery.timeout.ms", "10000"},
            {"request.timeout.ms", "5000"}};
        for (const auto& [key, value] : more) props[key] = value;
        return KafkaProducer<std::string, std::string>(
            props, std::make_unique<common::serialization::StringSerializer>(),
            std::make_unique<common::serialization::StringSerializer>());
    }

    Log log;
    FakeBroker broker;
};

TEST(ProduceOverTheNetwork, EachRecordGetsTheBrokersBaseOffsetPlusItsIndex) {
    ProducerOnAFakeBroker f;
    auto producer = f.producer("1");
    std::vector<RecordMetadataFuture> futures;
    for (int i = 0; i < 5; ++i)
        futures.push_back(
            producer.send(ProducerRecord<std::string, std::string>("t", "v" + std::to_string(i))));
    std::vector<std::int64_t> offsets;
    for (auto& future : futures) offsets.push_back(future.get().offset());
    producer.close();
    EXPECT_EQ(offsets, (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
    std::lock_guard lock(f.log.mutex);
    EXPECT_EQ(f.log.values[0], (std::vector<std::string>{"v0", "v1", "v2", "v3", "v4"}));
    EXPECT_EQ(f.log.acks.at(0), 1);
    // Metadata first (after the versions), then produce: nothing is sent before the leader is
    // known.
    const auto requests = f.broker.requests();
    std::vector<ApiKeys> order;
    for (const auto& header : requests)
        if (order.empty() || order.back() != header.apiKey) order.push_back(header.apiKey);
    EXPECT_EQ(order.front(), ApiKeys::kApiVersions);
    EXPECT_EQ(order.at(1), ApiKeys::kMetadata);
}

TEST(ProduceOverTheNetwork, WithAcksZeroTheRecordsArriveAndTheFuturesCompleteWithoutOffsets) {
    ProducerOnAFakeBroker f;
    auto producer = f.producer("0");
    auto future = producer.send(ProducerRecord<std::string, std::string>("t", "quiet"));
    EXPECT_EQ(future.get().offset(), -1);  // nobody said
    producer.close();
    // The future completed once the request was written: the broker reads it in its own time.
    ASSERT_TRUE(test::eventually([&] {
        std::lock_guard lock(f.log.mutex);
        return !f.log.values[0].empty();
    }));
    std::lock_guard lock(f.log.mutex);
    EXPECT_EQ(f.log.values[0], std::vector<std::string>{"quiet"});
    EXPECT_EQ(f.log.acks.at(0), 0);
}

TEST(ProduceOverTheNetwork, ABrokerTooOldForRecordBatchV2FailsTheSendsWithAClearError) {
    FakeBroker::ApiRanges ranges = FakeBroker::ourRanges();
    ranges[ApiKeys::kProduce] = {0, 2};  // Kafka 0.10
    ProducerOnAFakeBroker f(ranges);
    auto producer = f.producer("1");
    auto future = producer.send(ProducerRecord<std::string, std::string>("t", "v"));
    ASSERT_EQ(future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_NE(test::outcomeOf(future).find("Produce versions 0 to 2"), std::string::npos)
        << test::outcomeOf(future);
    EXPECT_TRUE(f.broker.requests(ApiKeys::kProduce).empty());
}

// One logging voice, a level per class: DEBUG for the Sender alone shows what becomes of each
// batch, and nothing of the other classes' DEBUG lines.
TEST(ProduceOverTheNetwork, DebugForTheSenderFollowsABatchToItsOffset) {
    ProducerOnAFakeBroker f;
    auto producer = f.producer("1");
    producer.partitionsFor("t");
    common::utils::setLogLevel("Sender", common::utils::LogLevel::kDebug);
    testing::internal::CaptureStderr();
    producer.send({"t", 0, std::nullopt, "followed"}).get();
    const std::string log = testing::internal::GetCapturedStderr();
    common::utils::setLogLevel("Sender", common::utils::LogLevel::kInfo);
    EXPECT_NE(log.find("DEBUG [Producer clientId=" + producer.clientId() +
                       "] Sending a batch of 1 record(s) for t-0 to node 0 (Sender)"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("The batch of 1 record(s) for t-0 is stored from offset 0 (Sender)"),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("(NetworkClient)"), std::string::npos) << "its DEBUG is still off";
    producer.close();
}

// connections.max.idle.ms reaches the producer's Selector: a producer that
// has sent nothing for that long has closed its connections, and opens a new one to send again.
// (The Selector looks for idle connections when it polls: a quiet Sender polls at least once
// per request.timeout.ms, as in Kafka.)
TEST(ProduceOverTheNetwork, AnIdleProducerLetsGoOfItsConnections) {
    ProducerOnAFakeBroker f;
    auto producer =
        f.producer("1", {{"connections.max.idle.ms", "200"}, {"request.timeout.ms", "500"}});
    producer.send({"t", 0, std::nullopt, "first"}).get();
    const int opened = f.broker.connections();
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    producer.send({"t", 0, std::nullopt, "after a pause"}).get();
    EXPECT_GT(f.broker.connections(), opened) << "the idle connection was closed, and opened anew";
    producer.close();
}

}  // namespace
}  // namespace kafka::clients::producer
