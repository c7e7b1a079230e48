//@ ch32
// Kafka's own DumpLogSegments (kafka.tools.DumpLogSegments, from the pinned kafka_2.13 jar)
// reads the segment files our log writes (chapter 32): every batch with its offsets and a valid
// CRC, every record's value, in two segments named as Kafka names them.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "RealKafka.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/log/Log.h"
#include "support/LogDirs.h"

namespace kafka::test {
namespace {

using common::utils::Bytes;

TEST(DumpLogSegments, KafkasToolReadsOurSegmentFiles) {
    const auto jars = runCommand(kClusterScript + " classpath 2>&1");
    if (jars.exitCode == kNoJava) GTEST_SKIP() << "\n\n*** SKIPPED: no Java: " << jars.output;
    ASSERT_EQ(jars.exitCode, 0) << jars.output;
    const std::string classpath = jars.output.substr(0, jars.output.find('\n'));

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

}  // namespace
}  // namespace kafka::test
