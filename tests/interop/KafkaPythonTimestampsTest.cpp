//@ ch31
// kafka-python against our broker's write path (chapter 31): on a LogAppendTime topic its
// producer reports the broker's clock and its consumer reads records stamped by the broker,
// flagged as such; a record from two hours ahead is refused with INVALID_TIMESTAMP, which
// kafka-python knows by its code.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>

#include "support/EmbeddedBroker.h"
#include "support/Peers.h"

namespace kafka::test {
namespace {

std::int64_t wallClockMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const std::string kScript = std::string(COURSE_INTEROP_DIR) + "/kafka_python_timestamps.py";

TEST(KafkaPythonTimestamps, OnALogAppendTimeTopicEveryRecordCarriesTheBrokersClock) {
    EmbeddedBroker broker(
        common::config::Properties{{"log.message.timestamp.type", "LogAppendTime"}});
    const std::int64_t before = wallClockMs();
    const auto run = runPython(kScript, broker.bootstrapServers() + " stamped append-time");
    const std::int64_t after = wallClockMs();
    if (run.exitCode == kPeerMissing) GTEST_SKIP() << run.output;
    ASSERT_EQ(run.exitCode, 0) << run.output;

    int acks = 0, reads = 0;
    std::istringstream lines(run.output);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string kind;
        std::int64_t offset = 0, timestamp = 0;
        fields >> kind >> offset >> timestamp;
        if (kind != "ack" && kind != "read") continue;
        EXPECT_GE(timestamp, before) << line << ": not the record's own 1000";
        EXPECT_LE(timestamp, after) << line;
        if (kind == "read") {
            int type = -1;
            fields >> type;
            EXPECT_EQ(type, 1) << "LogAppendTime: " << line;
            ++reads;
        } else {
            ++acks;
        }
    }
    EXPECT_EQ(acks, 5) << run.output;
    EXPECT_EQ(reads, 5) << run.output;
}

TEST(KafkaPythonTimestamps, ARecordFromTwoHoursAheadIsRefusedAsAnInvalidTimestamp) {
    EmbeddedBroker broker;
    const auto run = runPython(kScript, broker.bootstrapServers() + " early out-of-bounds");
    if (run.exitCode == kPeerMissing) GTEST_SKIP() << run.output;
    ASSERT_EQ(run.exitCode, 0) << run.output;
    EXPECT_NE(run.output.find("error InvalidTimestampError"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace kafka::test
