//@ ch07
// Chapter 7 against a peer: kafka-python (Debian's python3-kafka) builds the same record
// batch v2 as we do, byte for byte, and reads every record of ours back, CRC checked.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/utils/Bytes.h"
#include "support/Peers.h"

namespace {

using kafka::common::header::Header;
using kafka::common::header::Headers;
using kafka::common::record::DefaultRecordBatch;
using kafka::common::record::MemoryRecordsBuilder;
using kafka::common::utils::Bytes;
using kafka::common::utils::toBytes;

struct Record {
    std::int64_t timestamp;
    std::optional<Bytes> key;
    std::optional<Bytes> value;
    Headers headers;
};
using Batch = std::vector<Record>;

using kafka::test::toHex;

// The script's field encoding: x<hex> for bytes (x alone: empty), - for null.
std::string field(const std::optional<Bytes>& bytes) {
    return bytes ? "x" + toHex(*bytes) : "-";
}

Bytes ours(const Batch& records) {
    MemoryRecordsBuilder builder(1 << 20);
    for (const auto& r : records) builder.append(r.timestamp, r.key, r.value, r.headers);
    return builder.build();
}

// Runs the helper script on a file holding `input`; kPeerMissing means no kafka-python.
kafka::test::PeerRun runPython(const std::string& mode, const std::string& input) {
    const auto file = std::filesystem::temp_directory_path() /
                      ("course-record-batch-" + std::to_string(getpid()) + "-" + mode + ".txt");
    std::ofstream(file) << input;
    auto result =
        kafka::test::runPython(std::string(COURSE_INTEROP_DIR) + "/kafka_python_record_batch.py",
                               mode + " " + file.string());
    std::filesystem::remove(file);
    return result;
}

#define SKIP_WITHOUT_KAFKA_PYTHON(result)                                                    \
    if ((result).exitCode == kafka::test::kPeerMissing)                                      \
    GTEST_SKIP() << "SKIPPED: kafka-python (python3-kafka) is not installed, so our record " \
                    "batches were not compared with a peer's"

std::vector<Batch> sampleBatches() {
    constexpr std::int64_t t0 = 1700000000000;
    std::vector<Batch> batches;
    // The course reference's two test vectors (section P.4).
    batches.push_back({{t0, std::nullopt, toBytes("hi"), {}}});
    batches.push_back(
        {{t0, toBytes("k"), toBytes("v1"), {}}, {t0 + 5, std::nullopt, toBytes("v2"), {}}});
    // Many records: null and empty keys and values, headers (UTF-8 keys, null values),
    // timestamps before the first one, values long enough for 2- and 3-byte lengths.
    std::mt19937 random(424242);
    auto someBytes = [&](std::size_t maxSize) -> std::optional<Bytes> {
        if (random() % 6 == 0) return std::nullopt;
        Bytes bytes(random() % (maxSize + 1));
        for (auto& b : bytes) b = static_cast<std::uint8_t>(random());
        return bytes;
    };
    Batch many;
    for (int i = 0; i < 300; ++i) {
        Headers headers;
        for (std::uint32_t h = random() % 3; h > 0; --h)
            headers.push_back(Header{h == 1 ? "trace-id" : "r\xc3\xa9gion", someBytes(8)});
        auto value = someBytes(60);
        if (i % 100 == 7) value = Bytes(10000 + i, 0x5a);  // zigzag(10007) needs 3 bytes
        many.push_back({t0 + static_cast<std::int64_t>(random() % 200000) - 1000, someBytes(16),
                        std::move(value), std::move(headers)});
    }
    batches.push_back(std::move(many));
    return batches;
}

TEST(KafkaPythonRecordBatch, BuildsTheSameBytesAsOurs) {
    const auto batches = sampleBatches();
    std::string input;
    for (const auto& batch : batches) {
        input += "batch\n";
        for (const auto& r : batch) {
            input += std::to_string(r.timestamp) + " " + field(r.key) + " " + field(r.value);
            for (const auto& h : r.headers)
                input += " " + field(toBytes(h.key)) + " " + field(h.value);
            input += "\n";
        }
    }
    const auto result = runPython("build", input);
    SKIP_WITHOUT_KAFKA_PYTHON(result);
    ASSERT_EQ(result.exitCode, 0) << result.output;

    std::istringstream lines(result.output);
    for (const auto& batch : batches) {
        std::string theirs;
        ASSERT_TRUE(lines >> theirs) << "kafka-python built fewer batches than asked";
        std::string mine = toHex(ours(batch));
        ASSERT_EQ(theirs.size(), mine.size()) << "batch of " << batch.size() << " records";
        // The one difference: partitionLeaderEpoch (bytes 12..15). Java's producer writes -1
        // (NO_PARTITION_LEADER_EPOCH) and so do we; kafka-python 2.0.2 writes 0. The broker
        // overwrites it either way, and since the CRC leaves it out, the CRCs still agree.
        EXPECT_EQ(mine.substr(24, 8), "ffffffff");
        EXPECT_EQ(theirs.substr(24, 8), "00000000");
        theirs.replace(24, 8, "ffffffff");
        EXPECT_EQ(mine, theirs) << "batch of " << batch.size() << " records";
    }
}

TEST(KafkaPythonRecordBatch, ReadsEveryRecordOfOurBatches) {
    const auto batches = sampleBatches();
    Bytes buffer;  // all our batches back to back, as a fetch response would carry them
    for (const auto& batch : batches) {
        const Bytes built = ours(batch);
        buffer.insert(buffer.end(), built.begin(), built.end());
    }
    const auto result = runPython("read", toHex(buffer));
    SKIP_WITHOUT_KAFKA_PYTHON(result);
    ASSERT_EQ(result.exitCode, 0) << result.output;

    std::istringstream lines(result.output);
    std::string line;
    for (const auto& batch : batches) {
        ASSERT_TRUE(std::getline(lines, line)) << "kafka-python read fewer batches than we wrote";
        const Bytes built = ours(batch);
        const DefaultRecordBatch ourView(built);
        std::int64_t maxTimestamp = batch[0].timestamp;
        for (const auto& r : batch) maxTimestamp = std::max(maxTimestamp, r.timestamp);
        // base offset, magic, crc, attributes, last offset delta, timestamps, crc valid
        EXPECT_EQ(line, "batch 0 2 " + std::to_string(ourView.checksum()) + " 0 " +
                            std::to_string(batch.size() - 1) + " " +
                            std::to_string(batch[0].timestamp) + " " +
                            std::to_string(maxTimestamp) + " 1");
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const auto& r = batch[i];
            std::string expected = "record " + std::to_string(i) + " " +
                                   std::to_string(r.timestamp) + " " + field(r.key) + " " +
                                   field(r.value) + " " + std::to_string(r.headers.size());
            for (const auto& h : r.headers)
                expected += " " + field(toBytes(h.key)) + " " + field(h.value);
            ASSERT_TRUE(std::getline(lines, line)) << "record " << i << " missing";
            EXPECT_EQ(line, expected) << "record " << i << " of a batch of " << batch.size();
        }
    }
    EXPECT_FALSE(std::getline(lines, line)) << "kafka-python read more than we wrote: " << line;
}

}  // namespace
