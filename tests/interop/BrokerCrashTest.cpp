//@ ch34
// Chapter 34's promise, tested on the real program: kafka-server-start killed with SIGKILL in
// the middle of a stream of acks=all sends loses nothing it acknowledged. Started again on the
// same log.dirs, it says it recovers, serves every acknowledged record at the offset it was
// given to kcat (a consumer nobody here wrote), and gives the next record the next offset. Shut
// down with SIGTERM, it leaves the clean-shutdown marker and its checkpoints, and the next start
// skips recovery.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <sstream>
#include <string>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "support/LogDirs.h"
#include "support/Peers.h"
#include "support/ServerProcess.h"

namespace kafka::test {
namespace {

using Producer = clients::producer::KafkaProducer<std::string, std::string>;

const std::string kServer = std::string(COURSE_BIN_DIR) + "/kafka-server-start";

bool haveKcat() {
    return runCommand("command -v kcat >/dev/null").exitCode == 0;
}

std::vector<std::string> brokerArgs(const std::filesystem::path& logDir) {
    return {"--override", "listeners=PLAINTEXT://127.0.0.1:0",
            "--override", "num.partitions=1",
            "--override", "log.dirs=" + logDir.string(),
            "--override", "log.segment.bytes=1048576"};
}

std::unique_ptr<Producer> producerFor(int port) {
    return std::make_unique<Producer>(
        common::config::Properties{{"bootstrap.servers", "127.0.0.1:" + std::to_string(port)},
                                   {"acks", "all"},
                                   {"linger.ms", "2"},
                                   {"request.timeout.ms", "1000"},
                                   {"delivery.timeout.ms", "3000"}},
        std::make_unique<common::serialization::StringSerializer>(),
        std::make_unique<common::serialization::StringSerializer>());
}

// Every record of crash-0, by offset, as kcat reads it.
std::map<std::int64_t, std::string> consumeAll(int port) {
    const auto run = runCommand("kcat -C -b 127.0.0.1:" + std::to_string(port) +
                                " -t crash -p 0 -o beginning -e -q -f '%o %s\\n' 2>&1");
    EXPECT_EQ(run.exitCode, 0) << run.output;
    std::map<std::int64_t, std::string> records;
    std::istringstream lines(run.output);
    std::int64_t offset = 0;
    std::string value;
    while (lines >> offset >> value) records[offset] = value;
    return records;
}

std::string fileText(const std::filesystem::path& file) {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(BrokerCrash, SigkillLosesNothingAcknowledgedAndTheNextStartRecovers) {
    if (!haveKcat()) GTEST_SKIP() << "kcat is not installed (apt-get install kcat)";
    const auto logDir = scratchDir();
    std::map<std::int64_t, std::string> acknowledged;
    {
        ServerProcess broker(kServer, brokerArgs(logDir));
        const int port = broker.awaitPort();
        ASSERT_GT(port, 0);
        auto producer = producerFor(port);
        std::mutex mutex;
        std::condition_variable enough;
        constexpr int kRecords = 20'000, kKillAfter = 8'000;
        for (int i = 0; i < kRecords; ++i) {
            const std::string value = "value-" + std::to_string(i);
            producer->send({"crash", value},
                           [&, value](const clients::producer::RecordMetadata& metadata,
                                      std::exception_ptr error) {
                               if (error) return;
                               std::scoped_lock lock(mutex);
                               acknowledged[metadata.offset()] = value;
                               if (acknowledged.size() == kKillAfter) enough.notify_all();
                           });
            if (i == kKillAfter + 2'000) {  // sends still going out when the broker dies
                std::unique_lock lock(mutex);
                ASSERT_TRUE(enough.wait_for(lock, std::chrono::seconds(60),
                                            [&] { return acknowledged.size() >= kKillAfter; }));
                broker.kill();
            }
        }
        producer->close();  // the sends after the kill fail within delivery.timeout.ms
    }
    ASSERT_GE(acknowledged.size(), 8'000u);
    EXPECT_FALSE(std::filesystem::exists(logDir / ".kafka_cleanshutdown"));

    ServerProcess restarted(kServer, brokerArgs(logDir));
    const int port = restarted.awaitPort();
    ASSERT_GT(port, 0) << restarted.log();
    EXPECT_NE(restarted.log().find("Attempting recovery of all logs"), std::string::npos)
        << restarted.log();
    EXPECT_NE(restarted.log().find("Recovering unflushed segment"), std::string::npos);
    const auto records = consumeAll(port);
    for (const auto& [offset, value] : acknowledged) {
        const auto found = records.find(offset);
        ASSERT_NE(found, records.end()) << "acknowledged offset " << offset << " is lost";
        EXPECT_EQ(found->second, value) << "at offset " << offset;
    }
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(records.begin()->first, 0);
    EXPECT_EQ(records.rbegin()->first + 1, static_cast<std::int64_t>(records.size())) << "no gap";
    const auto next = static_cast<std::int64_t>(records.size());
    {
        auto producer = producerFor(port);
        EXPECT_EQ(producer->send({"crash", "after-restart"}).get().offset(), next);
        producer->close();
    }

    restarted.signal(SIGTERM);
    EXPECT_EQ(restarted.waitForExit(std::chrono::seconds(30)), 0) << restarted.log();
    EXPECT_EQ(fileText(logDir / ".kafka_cleanshutdown"), "{\"version\":0,\"brokerEpoch\":-1}");
    EXPECT_NE(fileText(logDir / "recovery-point-offset-checkpoint")
                  .find("crash 0 " + std::to_string(next + 1) + "\n"),
              std::string::npos)
        << "a clean shutdown flushes every log to its end";

    ServerProcess third(kServer, brokerArgs(logDir));
    ASSERT_GT(third.awaitPort(), 0);
    EXPECT_NE(third.log().find("Skipping recovery of all logs"), std::string::npos) << third.log();
    EXPECT_EQ(third.log().find("Recovering unflushed segment"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(logDir / ".kafka_cleanshutdown"))
        << "removed once the logs are loaded: a crash from now on must be seen as one";
}

}  // namespace
}  // namespace kafka::test
