//@ ch36
// What idempotence is for, shown on three real Kafka 4.x nodes: the same fault, once with
// enable.idempotence=false and once with it on, and what each left in the topic.
//
// The fault is a follower that stalls without dying (SIGSTOP). With acks=all the leader
// stores each batch at once but may answer only when every replica of the in-sync set (ISR)
// has it, and the stalled follower stays in that set until the leader sees that it has lagged
// for replica.lag.time.max.ms (3 s here; the leader looks every half of that) and has the
// controller drop it. Meanwhile our producer's request.timeout.ms (1 s) runs out. The producer
// cannot tell "the leader has my records and has not answered yet" from "my records were
// lost on the way", so it does the only safe thing for delivery: it closes the connection and
// sends the batch again. The leader already holds that batch.
//
// - Without idempotence the leader has no way to know that a batch is one it has: it appends
//   the records again, once per retry. Every send is acknowledged once, at one offset, and the
//   topic holds copies that nobody was told of.
// - With idempotence the producer first gets a producer id (InitProducerId), and stamps every
//   batch with it, its epoch and the sequence number of its first record in its partition. A
//   retry carries the same numbers. The leader remembers the last few batches of each producer
//   in each partition, recognises the retry, and answers with the offset at which it stored
//   the batch the first time: each record is stored once, in the order it was sent.
//
// (librdkafka's mock cluster checks sequence numbers only for transactional producers, which
// is why this proof needs the real thing.)
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "RealKafka.h"
#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"

namespace kafka::test {
namespace {

using clients::producer::KafkaProducer;
using clients::producer::ProducerRecord;
using clients::producer::RecordMetadataFuture;
using Producer = KafkaProducer<std::string, std::string>;

constexpr int kNodes = 3;
constexpr int kRecords = 20;
constexpr int kRequestTimeoutMs = 1000;
const std::string kWithout = "without-idempotence";
const std::string kWith = "with-idempotence";

std::string value(int i) {
    return "value-" + std::to_string(i);
}

/// Resumes a paused node when it goes out of scope, also when an assertion ends the test
/// early: a node left frozen would spoil the next test and the cluster's shutdown.
class PausedNode {
public:
    PausedNode(const RealKafkaCluster& cluster, int id) : cluster_(cluster), id_(id) {
        cluster_.pause(id_);
    }
    ~PausedNode() { cluster_.resume(id_); }
    PausedNode(const PausedNode&) = delete;
    PausedNode& operator=(const PausedNode&) = delete;

private:
    const RealKafkaCluster& cluster_;
    int id_;
};

/// What one run through the fault gave.
struct FaultRun {
    int leader = -1;
    int paused = -1;
    std::int64_t warmUpOffset = -1;
    std::vector<std::int64_t> offsets;    // record i's acknowledged offset, -1 if it failed
    std::map<std::string, int> failures;  // error -> how many records
    std::int64_t elapsedMs = 0;           // from the first send to the last acknowledgement
    double retries = 0;                   // the producer's record-retry-total
    std::vector<SeenRecord> stored;       // what Kafka's consumer read back, in offset order
};

class IdempotenceOnRealKafka : public RealKafkaSuite<IdempotenceOnRealKafka> {
protected:
    static void SetUpTestSuite() {
        // Kafka's default is 30 s: a follower that stalls leaves the ISR after 3 s here.
        startCluster("idempotence", kNodes, {"replica.lag.time.max.ms=3000"},
                     kWithout + "," + kWith + " 1 3 min.insync.replicas=2");
    }

    struct Placement {
        int leader = -1;
        int isr = 0;
        int controller = -1;
    };

    // Partition 0's leader and ISR size, and the active controller, as Kafka's Admin client
    // sees them now.
    static Placement placement(const std::string& topic) {
        const auto run = JavaClients::run("leaders " + cluster_->bootstrapServers() + " " + topic);
        EXPECT_EQ(run.exitCode, 0) << run.output;
        Placement placement;
        for (const auto& line : parseLines(run.output, "leader")) {
            if (line.partition != 0) continue;
            placement.leader = static_cast<int>(line.offset);  // "leader P NODE ISR"
            placement.isr = std::stoi(line.key);
        }
        std::istringstream lines(run.output);
        for (std::string line; std::getline(lines, line);)
            if (line.starts_with("controller ")) placement.controller = std::stoi(line.substr(11));
        return placement;
    }

    // Sends one record, then stalls a follower of `topic`'s partition and sends kRecords more
    // through the fault; resumes the follower and reads the topic back.
    static void sendThroughAStalledFollower(const std::string& topic, bool idempotence,
                                            FaultRun& run) {
        // The fault needs three replicas in the ISR: one to stall, two left for
        // min.insync.replicas. (A node stalled by an earlier test may still be catching up.)
        Placement where;
        for (int attempt = 0; attempt < 10 && where.isr != kNodes; ++attempt)
            where = placement(topic);
        ASSERT_EQ(where.isr, kNodes) << topic << " partition 0's ISR";
        run.leader = where.leader;
        // Any node but the leader will do; better not the active controller, whose stall would
        // add a controller election to the fault (the leader needs the controller to shrink
        // the ISR).
        for (int id = 1; id <= kNodes; ++id)
            if (id != where.leader && (run.paused == -1 || run.paused == where.controller))
                run.paused = id;

        Producer producer({{"bootstrap.servers", cluster_->bootstrapServers()},
                           {"acks", "all"},
                           {"enable.idempotence", idempotence ? "true" : "false"},
                           {"linger.ms", "0"},
                           {"max.in.flight.requests.per.connection", "5"},
                           {"retry.backoff.ms", "100"},
                           {"request.timeout.ms", std::to_string(kRequestTimeoutMs)},
                           {"delivery.timeout.ms", "60000"},
                           {"max.block.ms", "30000"}},
                          std::make_unique<common::serialization::StringSerializer>(),
                          std::make_unique<common::serialization::StringSerializer>());
        // One record before the fault: the producer then has its metadata, its connection to
        // the leader and (idempotent) its producer id, and every follower has caught up, so
        // that the stall starts the lag clock at the moment of the pause.
        run.warmUpOffset = producer.send(ProducerRecord<std::string, std::string>(topic, "warm-up"))
                               .get()
                               .offset();

        std::vector<RecordMetadataFuture> futures;
        const auto start = std::chrono::steady_clock::now();
        {
            PausedNode stalled(*cluster_, run.paused);
            for (int i = 0; i < kRecords; ++i)
                futures.push_back(
                    producer.send(ProducerRecord<std::string, std::string>(topic, value(i))));
            for (auto& future : futures) {
                try {
                    run.offsets.push_back(future.get().offset());
                } catch (const std::exception& e) {
                    run.offsets.push_back(-1);
                    ++run.failures[e.what()];
                }
            }
            run.elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count();
        }  // the follower goes on here
        run.retries = producer.metrics().at(common::metrics::MetricName{
            "record-retry-total", "producer-metrics", {{"client-id", producer.clientId()}}});
        producer.close();

        const auto read = JavaClients::run("consume " + cluster_->bootstrapServers() + " " + topic);
        ASSERT_EQ(read.exitCode, 0) << read.output;
        for (const auto& [place, record] : byPlace(parseLines(read.output, "record")))
            run.stored.push_back(record);
    }

    // The fault happened: the sends outlasted a request timeout, and the producer retried.
    // Without it neither test proves anything.
    static void expectTheFault(const FaultRun& run) {
        EXPECT_GT(run.retries, 0) << "the producer retried nothing: no fault";
        EXPECT_GT(run.elapsedMs, kRequestTimeoutMs) << "the sends outlasted no request timeout";
    }

    // Every send acknowledged, and the acknowledged offset holds the record that was sent.
    static void expectEveryAckReadBack(const FaultRun& run) {
        for (const auto& [error, count] : run.failures)
            ADD_FAILURE() << count << " records failed: " << error;
        std::map<std::int64_t, std::string> values;
        for (const auto& record : run.stored) values[record.offset] = record.value;
        EXPECT_EQ(values[run.warmUpOffset], "warm-up");
        for (int i = 0; i < static_cast<int>(run.offsets.size()); ++i) {
            if (run.offsets[i] < 0) continue;
            const auto found = values.find(run.offsets[i]);
            ASSERT_NE(found, values.end()) << value(i) << " acknowledged at " << run.offsets[i];
            EXPECT_EQ(found->second, value(i)) << "at offset " << run.offsets[i];
        }
    }

    // How many times each value is stored.
    static std::map<std::string, int> copies(const FaultRun& run) {
        std::map<std::string, int> copies;
        for (const auto& record : run.stored) ++copies[record.value];
        return copies;
    }

    static void print(const std::string& what, const FaultRun& run) {
        int duplicated = 0, extra = 0;
        for (const auto& [value, count] : copies(run)) {
            duplicated += count > 1;
            extra += count - 1;
        }
        std::cout << what << ": node " << run.paused << " stalled (leader " << run.leader << "); "
                  << kRecords << " records sent (and one before the fault) in " << run.elapsedMs
                  << " ms, " << run.retries << " record retries; the topic holds "
                  << run.stored.size() << " records, " << duplicated << " values more than once ("
                  << extra << " extra copies)\n";
    }
};

TEST_F(IdempotenceOnRealKafka, WithoutIdempotenceARetryAfterATimeoutStoresTheRecordsAgain) {
    FaultRun run;
    ASSERT_NO_FATAL_FAILURE(sendThroughAStalledFollower(kWithout, false, run));
    print("without idempotence", run);
    expectTheFault(run);
    // Nothing failed and nothing was lost: from the producer's side all went well.
    expectEveryAckReadBack(run);
    const auto stored = copies(run);
    for (int i = 0; i < kRecords; ++i) EXPECT_GE(stored.count(value(i)), 1u) << value(i);
    // But the leader stored a batch once per attempt: more records than were sent.
    EXPECT_GT(run.stored.size(), static_cast<std::size_t>(kRecords + 1));
    int duplicated = 0;
    for (const auto& [value, count] : stored) duplicated += count > 1;
    EXPECT_GT(duplicated, 0);
}

TEST_F(IdempotenceOnRealKafka, TheIdempotentProducerStoresEachRecordOnceThroughTheSameFault) {
    FaultRun run;
    ASSERT_NO_FATAL_FAILURE(sendThroughAStalledFollower(kWith, true, run));
    print("with idempotence", run);
    expectTheFault(run);
    expectEveryAckReadBack(run);
    // The same retries, and the topic holds what was sent: each record once, in send order.
    std::vector<std::string> expected{"warm-up"};
    for (int i = 0; i < kRecords; ++i) expected.push_back(value(i));
    std::vector<std::string> stored;
    for (const auto& record : run.stored) stored.push_back(record.value);
    EXPECT_EQ(stored, expected);
}

}  // namespace
}  // namespace kafka::test
