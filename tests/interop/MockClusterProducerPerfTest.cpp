//@ ch25
// kafka-producer-perf-test, the program, against librdkafka's mock cluster: Kafka's flags,
// Kafka's summary line with numbers that add up, Kafka's metric names with --print-metrics,
// --throughput holding the rate down, the --bench-json figures, and a clear exit 2 that names
// the flag for a bad command line.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "support/MockCluster.h"
#include "support/Peers.h"

namespace kafka::test {
namespace {

const std::string kTool = std::string(COURSE_BIN_DIR) + "/kafka-producer-perf-test";

PeerRun perfTest(const std::string& arguments) {
    return runCommand(kTool + " " + arguments + " 2>&1");
}

std::string lastLineStarting(const std::string& output, const std::string& prefix) {
    std::istringstream in(output);
    std::string found;
    for (std::string line; std::getline(in, line);)
        if (line.find(prefix) != std::string::npos) found = line;
    return found;
}

struct Summary {
    long records = -1;
    double recordsPerSec = 0, mbPerSec = 0, avgMs = 0, maxMs = 0;
    int p50 = -1, p95 = -1, p99 = -1, p999 = -1;
};

// Kafka's final line: "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max
// latency, P ms 50th, P ms 95th, P ms 99th, P ms 99.9th."
Summary parseSummary(const std::string& line) {
    Summary s;
    const int fields = std::sscanf(line.c_str(),
                                   "%ld records sent, %lf records/sec (%lf MB/sec), %lf ms avg "
                                   "latency, %lf ms max latency, %d ms 50th, %d ms 95th, %d ms "
                                   "99th, %d ms 99.9th.",
                                   &s.records, &s.recordsPerSec, &s.mbPerSec, &s.avgMs, &s.maxMs,
                                   &s.p50, &s.p95, &s.p99, &s.p999);
    if (fields != 9) s.records = -1;
    return s;
}

class MockClusterProducerPerf : public ::testing::Test {
protected:
    MockClusterProducerPerf() : cluster(1) { cluster.createTopic("perf", 6); }

    std::string props(const std::string& extra = "") const {
        return "--producer-props bootstrap.servers=" + cluster.bootstrapServers() +
               " acks=1 linger.ms=5 batch.size=65536 " + extra;
    }

    MockCluster cluster;
};

TEST_F(MockClusterProducerPerf, TheSummaryLineAddsUp) {
    const auto run =
        perfTest("--topic perf --num-records 20000 --record-size 100 --throughput -1 " + props());
    ASSERT_EQ(run.exitCode, 0) << run.output;
    const Summary s = parseSummary(lastLineStarting(run.output, "records sent"));
    ASSERT_EQ(s.records, 20000) << run.output;
    EXPECT_GT(s.recordsPerSec, 0);
    // MB/sec is records/sec times 100 bytes, in MiB, as Kafka's tool counts it.
    EXPECT_NEAR(s.mbPerSec, s.recordsPerSec * 100 / (1024.0 * 1024.0), 0.01);
    EXPECT_LE(s.p50, s.p95);
    EXPECT_LE(s.p95, s.p99);
    EXPECT_LE(s.p99, s.p999);
    EXPECT_LE(s.p999, static_cast<int>(s.maxMs));
    EXPECT_LE(s.avgMs, s.maxMs);
}

TEST_F(MockClusterProducerPerf, PrintMetricsShowsKafkasNames) {
    const auto run = perfTest("--topic perf --num-records 5000 --record-size 10 --throughput -1 " +
                              props("client.id=perf-client") + " --print-metrics");
    ASSERT_EQ(run.exitCode, 0) << run.output;
    for (const char* name :
         {"record-send-rate", "batch-size-avg", "records-per-request-avg", "request-latency-avg",
          "record-queue-time-avg", "buffer-available-bytes", "record-error-rate"})
        EXPECT_NE(
            run.output.find(std::string("producer-metrics:") + name + ":{client-id=perf-client}"),
            std::string::npos)
            << name << " missing from\n"
            << run.output;
    const std::string total = lastLineStarting(run.output, "record-send-total");
    EXPECT_TRUE(total.ends_with(": 5000.000")) << total;
}

TEST_F(MockClusterProducerPerf, ThroughputHoldsTheRateDown) {
    const auto start = std::chrono::steady_clock::now();
    const auto run =
        perfTest("--topic perf --num-records 400 --record-size 10 --throughput 400 " + props());
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(run.exitCode, 0) << run.output;
    // 400 records at 400 a second cannot finish in much less than a second (a lower bound:
    // a slow machine makes it longer, never shorter).
    EXPECT_GE(elapsed, std::chrono::milliseconds(900));
    EXPECT_EQ(parseSummary(lastLineStarting(run.output, "records sent")).records, 400);
}

TEST_F(MockClusterProducerPerf, BenchJsonHasTheRunsFigures) {
    const std::string json = testing::TempDir() + "perf-bench.json";
    const auto run =
        perfTest("--topic perf --num-records 3000 --record-size 1000 --throughput -1 " + props() +
                 " --bench-json " + json);
    ASSERT_EQ(run.exitCode, 0) << run.output;
    std::ifstream in(json);
    std::stringstream text;
    text << in.rdbuf();
    for (const char* field :
         {"\"client\":\"ours\"", "\"records\":3000", "\"errors\":0",
          "\"records_per_sec\":", "\"p99\":", "\"cpu_seconds\":", "\"peak_rss_mib\":"})
        EXPECT_NE(text.str().find(field), std::string::npos) << field << " in " << text.str();
}

TEST(ProducerPerfTestFlags, ABadCommandLineNamesTheFlagAndExitsTwo) {
    const auto missing = perfTest(
        "--topic t --num-records 10 --record-size 10 "
        "--producer-props bootstrap.servers=127.0.0.1:1");
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_NE(missing.output.find("Missing required option: --throughput"), std::string::npos)
        << missing.output;
    const auto notANumber = perfTest(
        "--topic t --num-records ten --record-size 10 "
        "--throughput -1 --producer-props bootstrap.servers=x:1");
    EXPECT_EQ(notANumber.exitCode, 2);
    EXPECT_NE(notANumber.output.find("--num-records expects a number, got 'ten'"),
              std::string::npos)
        << notANumber.output;
    const auto badSetting = perfTest(
        "--topic t --num-records 1 --record-size 1 --throughput -1 "
        "--producer-props bootstrap.servers=127.0.0.1:1 acks=maybe");
    EXPECT_EQ(badSetting.exitCode, 1);
    EXPECT_NE(badSetting.output.find("acks"), std::string::npos) << badSetting.output;
    EXPECT_NE(badSetting.output.find("maybe"), std::string::npos) << badSetting.output;
}

}  // namespace
}  // namespace kafka::test
