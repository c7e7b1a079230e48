//@ ch30
#pragma once

// The real thing for the tests of tests/realkafka: an Apache Kafka cluster on loopback started
// by tools/kafka/kafka-cluster (the code behind ./course kafka, the version pinned in
// tools/kafka/pom.xml), and Kafka's own Java clients through java/RealClients.java. Both are
// separate processes; the tests read what they print.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/Peers.h"

namespace kafka::test {

inline const std::string kClusterScript =
    std::string(COURSE_SOURCE_DIR) + "/tools/kafka/kafka-cluster";
// kafka-cluster's exit code when Java or Maven is missing (and could not be installed).
inline constexpr int kNoJava = 3;

// JVM options for short-lived JVMs: the C1 compiler alone, the serial collector (about a third
// less CPU to start on this two-core machine).
inline const std::string kQuickJvm = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

inline std::string shellWord(const std::string& word) {
    return "'" + word + "'";
}

/// A real Kafka of `nodes` KRaft nodes (each broker and controller) on free loopback ports,
/// started in the constructor and stopped in the destructor. It is stopped also if this
/// process dies (kafka-cluster --owner), so a crashed test leaves no JVM behind.
class RealKafkaCluster {
public:
    RealKafkaCluster(const std::string& name, int nodes, const std::vector<std::string>& settings)
        : dir_(std::string(COURSE_REALKAFKA_DIR) + "/" + name), nodes_(nodes) {
        // Test nodes live a minute: a JVM with the C1 compiler alone starts on less CPU.
        std::string command = "KAFKA_JVM_OPTS=" + shellWord(kQuickJvm) + " " + kClusterScript +
                              " start --port 0 --nodes " + std::to_string(nodes) + " --dir " +
                              shellWord(dir_) + " --owner " + std::to_string(::getpid());
        for (const auto& setting : settings) command += " --set " + shellWord(setting);
        const auto run = runCommand(command + " 2>&1");
        exitCode_ = run.exitCode;
        const auto at = run.output.find("bootstrap.servers=");
        if (run.exitCode == 0 && at != std::string::npos) {
            bootstrap_ = run.output.substr(at + 18, run.output.find('\n', at) - at - 18);
        }
        if (bootstrap_.empty()) failure_ = "kafka-cluster start failed:\n" + run.output;
    }
    ~RealKafkaCluster() {
        if (!bootstrap_.empty())
            runCommand(kClusterScript + " stop --timeout 5 --dir " + shellWord(dir_) + " 2>&1");
    }

    bool started() const { return !bootstrap_.empty(); }
    /// No Java or Maven on this machine: the tests skip, loudly.
    bool javaMissing() const { return exitCode_ == kNoJava; }
    const std::string& failure() const { return failure_; }
    const std::string& bootstrapServers() const { return bootstrap_; }
    int nodes() const { return nodes_; }

    /// SIGKILL to node `id` (1..nodes): no shutdown, no goodbye to the controller.
    void kill(int id) const {
        std::ifstream in(dir_ + "/node-" + std::to_string(id) + "/pid");
        pid_t pid = 0;
        ASSERT_TRUE(in >> pid) << "no pid file for node " << id;
        ASSERT_EQ(::kill(pid, SIGKILL), 0) << "node " << id << " (pid " << pid << ")";
    }
    //> ch36
    /// SIGSTOP to node `id`: the process freezes as it is, its sockets stay open, and the
    /// kernel still accepts connections for it. To the other nodes it is a stalled machine,
    /// not a dead one: nothing tells them, they only notice that it stops answering.
    void pause(int id) const { sendSignal(id, SIGSTOP); }
    /// SIGCONT to node `id`: a paused node goes on where it stopped.
    void resume(int id) const { sendSignal(id, SIGCONT); }
    //< ch36

private:
    //> ch36
    void sendSignal(int id, int number) const {
        std::ifstream in(dir_ + "/node-" + std::to_string(id) + "/pid");
        pid_t pid = 0;
        ASSERT_TRUE(in >> pid) << "no pid file for node " << id;
        ASSERT_EQ(::kill(pid, number), 0)
            << "signal " << number << " to node " << id << " (pid " << pid << ")";
    }
    //< ch36

    std::string dir_;
    int nodes_;
    int exitCode_ = -1;
    std::string bootstrap_;
    std::string failure_;
};

/// Skips the test (loudly) where Java cannot be had, fails it where the cluster did not start.
#define REQUIRE_REAL_KAFKA(cluster)                                                  \
    do {                                                                             \
        if ((cluster).javaMissing())                                                 \
            GTEST_SKIP() << "\n\n*** SKIPPED: no Java or Maven for the real Kafka: " \
                         << (cluster).failure() << " ***\n";                         \
        ASSERT_TRUE((cluster).started()) << (cluster).failure();                     \
    } while (0)

/// Kafka's Java clients: java/RealClients.java, compiled once against the cached jars.
class JavaClients {
public:
    /// Runs `RealClients arguments`, its stdout and stderr together.
    static PeerRun run(const std::string& arguments) {
        const std::string& classpath = compiled();
        if (classpath.empty()) return {kNoJava, "RealClients.java did not compile"};
        return runCommand("java " + kQuickJvm + " -cp " + shellWord(classpath) + " RealClients " +
                          arguments + " 2>&1");
    }

private:
    static const std::string& compiled() {
        static std::once_flag once;
        static std::string classpath;
        std::call_once(once, [] {
            const std::string classes = std::string(COURSE_REALKAFKA_DIR) + "/classes";
            const auto javac = runCommand(kClusterScript + " javac " + COURSE_SOURCE_DIR +
                                          "/tests/realkafka/java " + shellWord(classes) + " 2>&1");
            EXPECT_EQ(javac.exitCode, 0) << javac.output;
            if (javac.exitCode != 0) return;
            const auto jars = runCommand(kClusterScript + " classpath");
            classpath = jars.output.substr(0, jars.output.find('\n')) + ":" + classes;
        });
        return classpath;
    }
};

/// A test suite on one real cluster, started once for all its tests (Suite: the derived
/// fixture, so that each suite has a cluster of its own), with its topics created by Kafka's
/// Admin client. Each test skips where Java cannot be had and fails where the cluster did not
/// start or the topics could not be created.
template <class Suite>
class RealKafkaSuite : public ::testing::Test {
protected:
    /// Starts the cluster `name` of `nodes` with broker `settings`, then runs RealClients'
    /// `create-topic BOOTSTRAP createTopic`.
    static void startCluster(const std::string& name, int nodes,
                             const std::vector<std::string>& settings,
                             const std::string& createTopic) {
        cluster_ = new RealKafkaCluster(name, nodes, settings);
        if (cluster_->started())
            created_ = JavaClients::run("create-topic " + cluster_->bootstrapServers() + " " +
                                        createTopic);
    }
    static void TearDownTestSuite() {
        delete cluster_;
        cluster_ = nullptr;
    }
    void SetUp() override {
        REQUIRE_REAL_KAFKA(*cluster_);
        ASSERT_EQ(created_.exitCode, 0) << created_.output;
    }

    static inline RealKafkaCluster* cluster_ = nullptr;
    static inline PeerRun created_{};
};

/// One record as a client read it back (or was told of it): where, and what.
struct SeenRecord {
    int partition = -1;
    std::int64_t offset = -1;
    std::string key;  // "-" for a null key
    std::string value;
};

/// The lines of `output` that start with `tag` ("record", "ack"): tag PARTITION OFFSET KEY
/// [VALUE], fields split at single spaces.
inline std::vector<SeenRecord> parseLines(const std::string& output, const std::string& tag) {
    std::vector<SeenRecord> records;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
        if (!line.starts_with(tag + " ")) continue;
        std::vector<std::string> fields;
        std::size_t from = tag.size() + 1;
        for (std::size_t space; (space = line.find(' ', from)) != std::string::npos;
             from = space + 1)
            fields.push_back(line.substr(from, space - from));
        fields.push_back(line.substr(from));
        if (fields.size() < 3) continue;
        records.push_back({std::stoi(fields[0]), std::stoll(fields[1]), fields[2],
                           fields.size() > 3 ? fields[3] : ""});
    }
    return records;
}

/// Records by where they are: (partition, offset).
inline std::map<std::pair<int, std::int64_t>, SeenRecord> byPlace(
    const std::vector<SeenRecord>& records) {
    std::map<std::pair<int, std::int64_t>, SeenRecord> places;
    for (const auto& record : records) places[{record.partition, record.offset}] = record;
    return places;
}

}  // namespace kafka::test
