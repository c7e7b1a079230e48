//@ ch30
// kcat, a client no one here wrote, against our broker: it lists the cluster, produces keyed
// lines, and reads every one back, each partition in the order it was written, at
// consecutive offsets from 0.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "support/EmbeddedBroker.h"
#include "support/Peers.h"
//> ch38
#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/StringSerializer.h"
//< ch38

namespace kafka::test {
namespace {

bool haveKcat() {
    return runCommand("command -v kcat >/dev/null").exitCode == 0;
}

TEST(KcatAgainstOurBroker, ListsTheBrokerAndTheTopic) {
    if (!haveKcat()) GTEST_SKIP() << "kcat is not installed (apt-get install kcat)";
    EmbeddedBroker broker;
    // -t creates the topic on first use (auto.create.topics.enable), with num.partitions.
    const auto listing = runCommand("kcat -L -b " + broker.bootstrapServers() + " -t listed 2>&1");
    ASSERT_EQ(listing.exitCode, 0) << listing.output;
    EXPECT_NE(listing.output.find("1 brokers:"), std::string::npos) << listing.output;
    EXPECT_NE(listing.output.find("broker 0 at 127.0.0.1:"), std::string::npos) << listing.output;
    EXPECT_NE(listing.output.find("topic \"listed\" with 3 partitions"), std::string::npos)
        << listing.output;
}

TEST(KcatAgainstOurBroker, ProducesAndReadsBackEveryRecordInOrder) {
    if (!haveKcat()) GTEST_SKIP() << "kcat is not installed (apt-get install kcat)";
    EmbeddedBroker broker;
    constexpr int kRecords = 500;
    const auto input = std::filesystem::temp_directory_path() /
                       ("kcat-input-" + std::to_string(::getpid()) + ".txt");
    {
        std::ofstream out(input);
        for (int i = 0; i < kRecords; ++i) out << "key" << i % 17 << ":value " << i << '\n';
    }
    const auto produced = runCommand("kcat -P -b " + broker.bootstrapServers() +
                                     " -t lines -K: -X linger.ms=5 < " + input.string() + " 2>&1");
    std::filesystem::remove(input);
    ASSERT_EQ(produced.exitCode, 0) << produced.output;

    const auto consumed = runCommand("kcat -C -b " + broker.bootstrapServers() +
                                     " -t lines -o beginning -e -q -f '%p %o %k %s\\n' 2>&1");
    ASSERT_EQ(consumed.exitCode, 0) << consumed.output;
    std::istringstream lines(consumed.output);
    std::map<int, std::int64_t> nextOffset;     // per partition
    std::map<int, int> lastIndex;               // per partition: the last value's index
    std::map<std::string, int> partitionOfKey;  // a key always lands in one partition
    int count = 0;
    for (std::string line; std::getline(lines, line);) {
        int partition = 0;
        std::int64_t offset = 0;
        std::string key, word;
        int index = 0;
        std::istringstream fields(line);
        ASSERT_TRUE(fields >> partition >> offset >> key >> word >> index) << line;
        EXPECT_EQ(offset, nextOffset[partition]++) << "offsets are consecutive: " << line;
        if (lastIndex.contains(partition)) {
            EXPECT_GT(index, lastIndex[partition]) << "sent in this order: " << line;
        }
        lastIndex[partition] = index;
        EXPECT_EQ(key, "key" + std::to_string(index % 17));
        EXPECT_EQ(partitionOfKey.try_emplace(key, partition).first->second, partition) << key;
        ++count;
    }
    EXPECT_EQ(count, kRecords) << consumed.output;
    EXPECT_GT(nextOffset.size(), 1u) << "the keys were spread over the partitions";
}

//> ch38 kcat-compressed
// Chapter 38: compressed batches both ways between kcat (librdkafka's codecs) and our broker.
// For each codec, kcat produces with -z and our producer with compression.type; the broker
// validates and stores both; kcat reads every record back, at consecutive offsets, in order.
TEST(KcatAgainstOurBroker, ReadsCompressedBatchesOfEachCodecItsOwnAndOurs) {
    if (!haveKcat()) GTEST_SKIP() << "kcat is not installed (apt-get install kcat)";
    EmbeddedBroker broker(common::config::Properties{{"num.partitions", "1"}});
    constexpr int kRecords = 300;
    for (const std::string codec : {"gzip", "snappy", "lz4", "zstd"}) {
        SCOPED_TRACE(codec);
        const std::string topic = "compressed-" + codec;
        const auto input = std::filesystem::temp_directory_path() /
                           ("kcat-" + codec + "-" + std::to_string(::getpid()) + ".txt");
        {
            std::ofstream out(input);
            for (int i = 0; i < kRecords; ++i)
                out << "theirs-" << i << "-a-line-that-compresses-well-a-line-that-compresses\n";
        }
        const auto produced =
            runCommand("kcat -P -b " + broker.bootstrapServers() + " -t " + topic + " -z " + codec +
                       " -X linger.ms=20 < " + input.string() + " 2>&1");
        std::filesystem::remove(input);
        ASSERT_EQ(produced.exitCode, 0) << produced.output;
        {
            clients::producer::KafkaProducer<std::string, std::string> producer(
                {{"bootstrap.servers", broker.bootstrapServers()},
                 {"compression.type", codec},
                 {"linger.ms", "20"}},
                std::make_unique<common::serialization::StringSerializer>(),
                std::make_unique<common::serialization::StringSerializer>());
            for (int i = 0; i < kRecords; ++i)
                producer.send(clients::producer::ProducerRecord<std::string, std::string>(
                    topic, std::nullopt,
                    "ours-" + std::to_string(i) +
                        "-a-line-that-compresses-well-a-line-that-compresses"));
            producer.flush();
        }
        const auto consumed = runCommand("kcat -C -b " + broker.bootstrapServers() + " -t " +
                                         topic + " -o beginning -e -q -f '%o %s\\n' 2>&1");
        ASSERT_EQ(consumed.exitCode, 0) << consumed.output;
        std::istringstream lines(consumed.output);
        int count = 0;
        for (std::string line; std::getline(lines, line); ++count) {
            const std::string whose = count < kRecords ? "theirs-" : "ours-";
            const std::string expected = std::to_string(count) + " " + whose +
                                         std::to_string(count % kRecords) +
                                         "-a-line-that-compresses-well-a-line-that-compresses";
            ASSERT_EQ(line, expected);
        }
        EXPECT_EQ(count, 2 * kRecords) << consumed.output;
    }
}
//< ch38 kcat-compressed

}  // namespace
}  // namespace kafka::test
