//@ ch30
// kafka-python, a third client, against our broker: it produces keyed records and reads them
// back without a group (ListOffsets, then Fetch). Every record it was told was written at an
// offset is read back at that offset.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include "support/EmbeddedBroker.h"
#include "support/Peers.h"

namespace kafka::test {
namespace {

TEST(KafkaPythonAgainstOurBroker, ReadsBackEveryRecordAtItsAcknowledgedOffset) {
    EmbeddedBroker broker;
    constexpr int kRecords = 1000;
    const auto run = runPython(std::string(COURSE_INTEROP_DIR) + "/kafka_python_broker.py",
                               broker.bootstrapServers() + " py " + std::to_string(kRecords));
    if (run.exitCode == kPeerMissing) GTEST_SKIP() << run.output;
    ASSERT_EQ(run.exitCode, 0) << run.output;

    std::map<std::pair<int, std::int64_t>, int> acknowledgedAt;  // (partition, offset) -> index
    std::map<std::pair<int, std::int64_t>, std::string> readAt;  // (partition, offset) -> "k v"
    std::istringstream lines(run.output);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string kind;
        fields >> kind;
        int partition = 0;
        std::int64_t offset = 0;
        if (kind == "ack") {
            int index = 0;
            fields >> index >> partition >> offset;
            EXPECT_TRUE(acknowledgedAt.emplace(std::make_pair(partition, offset), index).second)
                << "two records acknowledged at one offset: " << line;
        } else if (kind == "read") {
            std::string key, value;
            fields >> partition >> offset >> key >> value;
            readAt[{partition, offset}] = key + " " + value;
        }
    }
    ASSERT_EQ(acknowledgedAt.size(), static_cast<std::size_t>(kRecords)) << run.output;
    ASSERT_EQ(readAt.size(), static_cast<std::size_t>(kRecords)) << run.output;
    for (const auto& [place, index] : acknowledgedAt)
        EXPECT_EQ(readAt[place], "key-" + std::to_string(index) + " value-" + std::to_string(index))
            << "partition " << place.first << " offset " << place.second;
}

}  // namespace
}  // namespace kafka::test
