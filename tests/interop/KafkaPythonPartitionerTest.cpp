//@ ch06
// Chapter 6 against a peer: kafka-python (Debian's python3-kafka) and we agree on murmur2 and
// on the partition of every key, so records keyed alike land alike whichever client sent them.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include "kafka/clients/producer/internals/DefaultPartitioner.h"
#include "kafka/common/utils/Utils.h"
#include "support/Peers.h"

namespace {

using kafka::clients::producer::internals::DefaultPartitioner;
using kafka::common::utils::Bytes;
using kafka::common::utils::Utils;

constexpr int kPartitionCounts[] = {1, 2, 3, 6, 10, 12, 100};

std::vector<Bytes> sampleKeys() {
    std::vector<Bytes> keys;
    for (int i = 0; i < 200; ++i) {
        const std::string text = "customer-" + std::to_string(i);
        keys.emplace_back(text.begin(), text.end());
    }
    std::mt19937 random(20261124);  // fixed: the same keys on every run
    for (int i = 0; i < 150; ++i) {
        Bytes key(random() % 40);
        for (auto& byte : key) byte = static_cast<std::uint8_t>(random());
        keys.push_back(std::move(key));
    }
    return keys;
}

using kafka::test::toHex;

TEST(KafkaPythonPartitioner, EveryKeyGoesWhereKafkaPythonSendsIt) {
    const auto keys = sampleKeys();
    const auto keyFile = std::filesystem::temp_directory_path() / "course-murmur2-keys.txt";
    {
        std::ofstream out(keyFile);
        for (const auto& key : keys) out << toHex(key) << "\n";
    }
    const auto run = kafka::test::runPython(
        std::string(COURSE_INTEROP_DIR) + "/kafka_python_partitions.py", keyFile.string());
    if (run.exitCode == kafka::test::kPeerMissing)
        GTEST_SKIP() << "SKIPPED: kafka-python (python3-kafka) is not installed, so our "
                        "partitions were not compared with a peer's";
    ASSERT_EQ(run.exitCode, 0) << run.output;
    const std::string& output = run.output;

    std::istringstream lines(output);
    for (const auto& key : keys) {
        std::int64_t theirs = 0;
        ASSERT_TRUE(lines >> theirs) << "kafka-python gave fewer answers than keys";
        EXPECT_EQ(Utils::murmur2(key), theirs) << "murmur2 of " << toHex(key);
        for (int count : kPartitionCounts) {
            int theirPartition = -1;
            lines >> theirPartition;
            EXPECT_EQ(DefaultPartitioner::partitionForKey(key, count), theirPartition)
                << "key " << toHex(key) << " among " << count << " partitions";
        }
    }
    std::filesystem::remove(keyFile);
}

}  // namespace
