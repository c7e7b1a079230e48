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
//> ch38
#include <utility>
#include <vector>

#include "support/LogReader.h"
//< ch38

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

//> ch38 kafka-python-compressed
// kafka-python's producer with each codec (compression_type), compressing with its own Python
// modules: our broker stores its batches as they came, and each record is read back from the
// broker's log, decompressed by our reader, at the offset kafka-python was told.
TEST(KafkaPythonAgainstOurBroker, EachCodecsBatchesAreStoredCompressedAndReadBackRecordByRecord) {
    EmbeddedBroker broker;
    constexpr int kRecords = 300;
    for (const auto& [codec, id] : std::vector<std::pair<std::string, int>>{
             {"gzip", 1}, {"snappy", 2}, {"lz4", 3}, {"zstd", 4}}) {
        SCOPED_TRACE(codec);
        const std::string topic = "py-" + codec;
        const auto run = runPython(std::string(COURSE_INTEROP_DIR) + "/kafka_python_broker.py",
                                   broker.bootstrapServers() + " " + topic + " " +
                                       std::to_string(kRecords) + " " + codec + " 2>&1");
        if (run.exitCode == kPeerMissing) GTEST_SKIP() << run.output;
        ASSERT_EQ(run.exitCode, 0) << run.output;

        std::map<std::pair<int, std::int64_t>, StoredRecord> stored;
        for (std::int32_t partition = 0; partition < 3; ++partition) {
            const auto log = broker.server().logManager()->getLog({topic, partition});
            ASSERT_NE(log, nullptr);
            for (auto& record : readStoredRecords(*log))
                stored.emplace(std::make_pair(partition, record.offset), std::move(record));
        }
        EXPECT_EQ(stored.size(), static_cast<std::size_t>(kRecords));
        int acknowledged = 0;
        std::istringstream lines(run.output);
        for (std::string line; std::getline(lines, line);) {
            std::istringstream fields(line);
            std::string kind;
            int index = 0, partition = 0;
            std::int64_t offset = 0;
            if (!(fields >> kind) || kind != "ack") continue;
            fields >> index >> partition >> offset;
            ++acknowledged;
            const auto found = stored.find({partition, offset});
            ASSERT_NE(found, stored.end()) << line;
            EXPECT_EQ(found->second.key, "key-" + std::to_string(index));
            EXPECT_EQ(found->second.value, "value-" + std::to_string(index));
            EXPECT_EQ(found->second.codec, id) << "stored in kafka-python's " << codec << " batch";
        }
        EXPECT_EQ(acknowledged, kRecords) << run.output;
    }
}
//< ch38 kafka-python-compressed

}  // namespace
}  // namespace kafka::test
