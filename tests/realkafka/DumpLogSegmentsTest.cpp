//@ ch32
// Kafka's own DumpLogSegments (kafka.tools.DumpLogSegments, from the pinned kafka_2.13 jar)
// reads the segment files our log writes (chapter 32): every batch with its offsets and a valid
// CRC, every record's value, in two segments named as Kafka names them.
#include <gtest/gtest.h>

#include <regex>
#include <string>
//> ch33
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>
#include <vector>
//< ch33

#include "RealKafka.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/log/Log.h"
//> ch37
#include "kafka/log/ProducerStateManager.h"
//< ch37
//> ch38
#include "kafka/common/compress/Compression.h"
//< ch38
#include "support/LogDirs.h"

namespace kafka::test {
namespace {

using common::utils::Bytes;

// Runs with the jars of the pinned Kafka; skips, saying so, where there is no Java.
class DumpLogSegments : public ::testing::Test {
protected:
    void SetUp() override {
        const auto jars = runCommand(kClusterScript + " classpath 2>&1");
        if (jars.exitCode == kNoJava) GTEST_SKIP() << "\n\n*** SKIPPED: no Java: " << jars.output;
        ASSERT_EQ(jars.exitCode, 0) << jars.output;
        classpath = jars.output.substr(0, jars.output.find('\n'));
    }

    std::string classpath;
};

TEST_F(DumpLogSegments, KafkasToolReadsOurSegmentFiles) {
    auto settings = logSettings({"dumped", 0});
    settings.config.segmentBytes = 1000;
    log::Log log(settings);
    for (int b = 0; b < 8; ++b) {
        common::record::MemoryRecordsBuilder builder(1 << 20);
        for (int r = 0; r < 5; ++r) {
            const std::string value = "value-" + std::to_string(5 * b + r);
            builder.append(1'700'000'000'000 + b, std::nullopt, Bytes(value.begin(), value.end()));
        }
        log.append(builder.build());
    }
    const auto segments = log.segmentBaseOffsets();
    ASSERT_GE(segments.size(), 2u);

    int batches = 0, records = 0;
    for (const auto base : segments) {
        const auto file = log::LogSegment::logFile(log.dir(), base);
        const auto run = runCommand("java " + kQuickJvm + " -cp " + shellWord(classpath) +
                                    " kafka.tools.DumpLogSegments --print-data-log --files " +
                                    shellWord(file.string()) + " 2>&1");
        ASSERT_EQ(run.exitCode, 0) << run.output;
        EXPECT_EQ(run.output.find("Exception"), std::string::npos) << run.output;
        const std::regex batch(R"(baseOffset: (\d+) lastOffset: (\d+) count: 5 .*isvalid: true)");
        const std::regex record(R"(\| offset: (\d+) .*payload: value-(\d+))");
        for (std::sregex_iterator it(run.output.begin(), run.output.end(), batch), end; it != end;
             ++it) {
            EXPECT_EQ(std::stoll((*it)[2]) - std::stoll((*it)[1]), 4);
            ++batches;
        }
        for (std::sregex_iterator it(run.output.begin(), run.output.end(), record), end; it != end;
             ++it) {
            EXPECT_EQ((*it)[1], (*it)[2]) << "each record at the offset the log gave it";
            ++records;
        }
    }
    EXPECT_EQ(batches, 8);
    EXPECT_EQ(records, 40);
}

//> ch33
// Our index files read as entries, from the bytes, by the test alone: {key, value} pairs of a
// 4-byte relative offset and a 4-byte position (.index), or of an 8-byte timestamp and a
// 4-byte relative offset (.timeindex).
std::vector<std::pair<std::int64_t, std::int64_t>> indexEntries(const std::filesystem::path& file,
                                                                std::int64_t baseOffset) {
    std::ifstream in(file, std::ios::binary);
    const Bytes bytes(std::istreambuf_iterator<char>(in), {});
    auto bigEndian = [&](std::size_t at, int width) {
        std::int64_t value = 0;
        for (int i = 0; i < width; ++i) value = (value << 8) | bytes[at + i];
        return width == 4 ? static_cast<std::int64_t>(static_cast<std::int32_t>(value)) : value;
    };
    std::vector<std::pair<std::int64_t, std::int64_t>> entries;
    const bool timeIndex = file.extension() == ".timeindex";
    const std::size_t size = timeIndex ? 12 : 8;
    for (std::size_t at = 0; at + size <= bytes.size(); at += size)
        entries.emplace_back(timeIndex ? bigEndian(at, 8) : baseOffset + bigEndian(at, 4),
                             timeIndex ? baseOffset + bigEndian(at + 8, 4) : bigEndian(at + 4, 4));
    return entries;
}

// Kafka's DumpLogSegments reads our .index and .timeindex files (chapter 33), finds every entry
// where we put it, checks each against the batches of the .log file (an offset entry names the
// batch that starts at its position by its last offset; a time entry, the batch that holds its
// timestamp), and finds that each index passes the sanity check a broker runs when it loads it.
TEST_F(DumpLogSegments, KafkasToolReadsOurIndexFilesAndFindsThemTrue) {
    auto settings = logSettings({"indexed", 0});
    settings.config.segmentBytes = 3000;
    settings.config.indexIntervalBytes = 200;
    std::vector<std::int64_t> segments;
    {
        log::Log log(settings);
        for (int b = 0; b < 40; ++b) {
            common::record::MemoryRecordsBuilder builder(1 << 20);
            for (int r = 0; r < 1 + b % 4; ++r) {
                const std::string value = "value-" + std::to_string(b) + "-" + std::to_string(r);
                // Timestamps that mostly rise, with a dip in every fifth batch.
                builder.append(1'700'000'000'000 + 100 * b + r - (b % 5 == 4 ? 250 : 0),
                               std::nullopt, Bytes(value.begin(), value.end()));
            }
            log.append(builder.build());
        }
        segments = log.segmentBaseOffsets();
    }  // closed: every index cut to its entries
    ASSERT_GE(segments.size(), 2u);

    std::string files;
    std::vector<std::pair<std::int64_t, std::int64_t>> ours;
    std::size_t timeEntries = 0, nonEmptyIndexes = 0;
    for (const auto base : segments) {
        const auto index = log::LogSegment::offsetIndexFile(settings.dir, base);
        const auto timeIndex = log::LogSegment::timeIndexFile(settings.dir, base);
        files += (files.empty() ? "" : ",") + index.string() + "," + timeIndex.string();
        const auto entries = indexEntries(index, base);
        ours.insert(ours.end(), entries.begin(), entries.end());
        if (!entries.empty()) ++nonEmptyIndexes;  // the tool checks no empty one: "is empty."
        timeEntries += indexEntries(timeIndex, base).size();
    }
    ASSERT_GT(ours.size(), 2 * segments.size());
    ASSERT_GE(timeEntries, segments.size());

    const std::string java = "java " + kQuickJvm + " -cp " + shellWord(classpath) +
                             " kafka.tools.DumpLogSegments --files";
    files = " " + shellWord(files);  // one argument, the files separated by commas
    const auto dump = runCommand(java + files + " 2>&1");
    ASSERT_EQ(dump.exitCode, 0) << dump.output;
    for (const char* complaint :
         {"Exception", "Mismatches", "mismatch", "out of order", "not found", "Ignoring"})
        EXPECT_EQ(dump.output.find(complaint), std::string::npos) << complaint << "\n"
                                                                  << dump.output;
    std::vector<std::pair<std::int64_t, std::int64_t>> theirs;
    const std::regex entry(R"(offset: (\d+) position: (\d+))");
    for (std::sregex_iterator it(dump.output.begin(), dump.output.end(), entry), end; it != end;
         ++it)
        theirs.emplace_back(std::stoll((*it)[1]), std::stoll((*it)[2]));
    EXPECT_EQ(theirs, ours);
    const std::regex timeEntry(R"(timestamp: \d+ offset: \d+)");
    EXPECT_EQ(static_cast<std::size_t>(std::distance(
                  std::sregex_iterator(dump.output.begin(), dump.output.end(), timeEntry), {})),
              timeEntries);

    const auto sanity = runCommand(java + files + " --index-sanity-check 2>&1");
    ASSERT_EQ(sanity.exitCode, 0) << sanity.output;
    const std::regex passed("passed sanity check");
    EXPECT_EQ(static_cast<std::size_t>(std::distance(
                  std::sregex_iterator(sanity.output.begin(), sanity.output.end(), passed), {})),
              nonEmptyIndexes + segments.size())
        << sanity.output;
}
//< ch33

//> ch37 dump-producer-snapshot
// Kafka's DumpLogSegments reads our producer snapshot (chapter 37): Kafka's own reader checks
// its version and CRC, and prints the producer with its epoch and last batch, as we wrote them.
TEST_F(DumpLogSegments, KafkasToolReadsOurProducerSnapshot) {
    auto settings = logSettings({"snapshotted", 0});
    {
        log::Log log(settings);
        for (int b = 0; b < 2; ++b) {
            common::record::MemoryRecordsBuilder builder(1 << 20);
            builder.setProducerState(4242, 2, 3 * b);
            for (int r = 0; r < 3; ++r)
                builder.append(1'700'000'000'000 + b, std::nullopt, Bytes{'v'});
            log.append(builder.build());
        }
        log.close();  // writes the snapshot at the log end offset, 6
    }
    const auto file = log::ProducerStateManager::snapshotFile(settings.dir, 6);
    const auto run =
        runCommand("java " + kQuickJvm + " -cp " + shellWord(classpath) +
                   " kafka.tools.DumpLogSegments --files " + shellWord(file.string()) + " 2>&1");
    ASSERT_EQ(run.exitCode, 0) << run.output;
    EXPECT_EQ(run.output.find("orrupt"), std::string::npos) << run.output;
    EXPECT_TRUE(std::regex_search(
        run.output, std::regex(R"(producerId: 4242 producerEpoch: 2 coordinatorEpoch: -1 .*)"
                               R"(firstSequence: 3 lastSequence: 5 lastOffset: 5 offsetDelta: 2)")))
        << run.output;
}
//< ch37 dump-producer-snapshot

//> ch38 dump-compressed-batches
// Kafka's DumpLogSegments decompresses our batches (chapter 38) with Kafka's own codecs (the
// JDK's gzip, snappy-java, lz4-java, zstd-jni): each batch with its codec and a valid CRC, and
// every record's value.
TEST_F(DumpLogSegments, KafkasToolDecompressesOurBatchesOfEachCodec) {
    using common::record::CompressionType;
    auto settings = logSettings({"compressed", 0});
    log::Log log(settings);
    const CompressionType codecs[] = {CompressionType::kGzip, CompressionType::kSnappy,
                                      CompressionType::kLz4, CompressionType::kZstd};
    for (int b = 0; b < 4; ++b) {
        common::record::MemoryRecordsBuilder builder(
            Bytes{}, common::compress::Compression::of(codecs[b]), 1 << 20);
        for (int r = 0; r < 50; ++r) {
            const std::string value = "value-" + std::to_string(50 * b + r) + "-of-a-log-line";
            builder.append(1'700'000'000'000 + b, std::nullopt, Bytes(value.begin(), value.end()));
        }
        log.append(builder.build());
    }
    const auto file = log::LogSegment::logFile(log.dir(), 0);
    const auto run = runCommand("java " + kQuickJvm + " -cp " + shellWord(classpath) +
                                " kafka.tools.DumpLogSegments --print-data-log --files " +
                                shellWord(file.string()) + " 2>&1");
    ASSERT_EQ(run.exitCode, 0) << run.output;
    EXPECT_EQ(run.output.find("Exception"), std::string::npos) << run.output;
    const std::regex batch(R"(baseOffset: (\d+) lastOffset: (\d+) count: 50 .*compresscodec: )"
                           R"((\w+) .*isvalid: true)");
    std::vector<std::string> seenCodecs;
    for (std::sregex_iterator it(run.output.begin(), run.output.end(), batch), end; it != end; ++it)
        seenCodecs.push_back((*it)[3]);
    EXPECT_EQ(seenCodecs, (std::vector<std::string>{"gzip", "snappy", "lz4", "zstd"}))
        << run.output;
    const std::regex record(R"(\| offset: (\d+) .*payload: value-(\d+)-of-a-log-line)");
    int records = 0;
    for (std::sregex_iterator it(run.output.begin(), run.output.end(), record), end; it != end;
         ++it, ++records)
        EXPECT_EQ((*it)[1], (*it)[2]) << "record " << records << " at its offset";
    EXPECT_EQ(records, 200) << run.output;
}
//< ch38 dump-compressed-batches

//> ch38 dump-compressed
// Kafka's DumpLogSegments decompresses the batches our broker compressed itself (chapter 38: a
// topic's compression.type other than the producer's codec), with Kafka's own codecs: every
// batch in the topic's codec with a valid CRC, every record's value at its offset.
TEST_F(DumpLogSegments, KafkasToolDecompressesTheBatchesOurBrokerCompressed) {
    using common::record::CompressionType;
    for (const auto codec : {CompressionType::kGzip, CompressionType::kSnappy,
                             CompressionType::kLz4, CompressionType::kZstd}) {
        const std::string name(common::record::name(codec));
        SCOPED_TRACE(name);
        auto settings = logSettings({"recompressed-" + name, 0});
        settings.config.compressionType = codec;
        log::Log log(settings);
        for (int b = 0; b < 3; ++b) {
            common::record::MemoryRecordsBuilder builder(1 << 20);
            for (int r = 0; r < 5; ++r) {
                const std::string value = "value-" + std::to_string(5 * b + r);
                builder.append(1'700'000'000'000 + b, std::nullopt,
                               Bytes(value.begin(), value.end()));
            }
            log.append(builder.build());  // uncompressed, as the producer sent it
        }
        const auto file = log::LogSegment::logFile(log.dir(), 0);
        const auto run =
            runCommand("java " + kQuickJvm + " -cp " + shellWord(classpath) +
                       " kafka.tools.DumpLogSegments --deep-iteration " +
                       "--print-data-log --files " + shellWord(file.string()) + " 2>&1");
        ASSERT_EQ(run.exitCode, 0) << run.output;
        EXPECT_EQ(run.output.find("Exception"), std::string::npos) << run.output;
        const std::regex batch("count: 5 .*compresscodec: " + name + " .*isvalid: true");
        const std::regex record(R"(\| offset: (\d+) .*payload: value-(\d+))");
        EXPECT_EQ(std::distance(std::sregex_iterator(run.output.begin(), run.output.end(), batch),
                                std::sregex_iterator()),
                  3)
            << run.output;
        int records = 0;
        for (std::sregex_iterator it(run.output.begin(), run.output.end(), record), end; it != end;
             ++it) {
            EXPECT_EQ((*it)[1], (*it)[2]) << "each record at the offset the log gave it";
            ++records;
        }
        EXPECT_EQ(records, 15) << run.output;
    }
}
//< ch38 dump-compressed

}  // namespace
}  // namespace kafka::test
