//@ ch17
// kafka-console-producer against librdkafka's mock cluster, read back with kcat: lines typed in
// come out of a tool nobody here wrote. And the tool's failures: a bad line, a bad setting, a
// broker that is not there, each a non-zero exit with a message that says what went wrong.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "support/MockCluster.h"
#include "support/Peers.h"

namespace kafka::test {
namespace {

const std::string kTool = std::string(COURSE_BIN_DIR) + "/kafka-console-producer";

// Feeds `lines` to the tool's standard input; stderr joins stdout so that tests see messages.
PeerRun consoleProducer(const std::string& lines, const std::string& arguments) {
    return runCommand("printf '" + lines + "' | " + kTool + " " + arguments + " 2>&1");
}

bool haveKcat() {
    return runCommand("command -v kcat >/dev/null").exitCode == 0;
}

std::vector<std::string> sortedLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    return lines;
}

TEST(MockClusterConsoleProducer, LinesTypedInComeOutOfKcat) {
    if (!haveKcat()) GTEST_SKIP() << "kcat is not installed (apt-get install kcat)";
    MockCluster cluster(3);
    cluster.createTopic("lines", 3);
    const auto produced = consoleProducer(
        "apple:1\\nbanana:2\\ncherry:3\\n:empty key\\n",
        "--bootstrap-server " + cluster.bootstrapServers() +
            " --topic lines --property parse.key=true --property key.separator=: --timeout 5");
    ASSERT_EQ(produced.exitCode, 0) << produced.output;

    const auto consumed = runCommand("kcat -C -b " + cluster.bootstrapServers() +
                                     " -t lines -e -q -f '%k=%s\\n' 2>&1");
    ASSERT_EQ(consumed.exitCode, 0) << consumed.output;
    EXPECT_EQ(sortedLines(consumed.output),
              (std::vector<std::string>{"=empty key", "apple=1", "banana=2", "cherry=3"}));
}

TEST(MockClusterConsoleProducer, ALineWithoutTheSeparatorIsNamedAndFailsTheRun) {
    MockCluster cluster(1);
    cluster.createTopic("lines", 1);
    const auto run = consoleProducer("a:1\\nno separator here\\n",
                                     "--bootstrap-server " + cluster.bootstrapServers() +
                                         " --topic lines --property parse.key=true "
                                         "--property key.separator=:");
    EXPECT_NE(run.exitCode, 0);
    EXPECT_NE(run.output.find("No key separator found on line number 2: 'no separator here'"),
              std::string::npos)
        << run.output;
}

TEST(MockClusterConsoleProducer, ABadSettingNamesItsKeyAndValue) {
    const auto run = consoleProducer("x\\n",
                                     "--bootstrap-server 127.0.0.1:1 --topic t "
                                     "--producer-property acks=sometimes");
    EXPECT_NE(run.exitCode, 0);
    EXPECT_NE(run.output.find("acks"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("sometimes"), std::string::npos) << run.output;
}

TEST(MockClusterConsoleProducer, MissingFlagsAreNamed) {
    const auto run = consoleProducer("", "--topic t");
    EXPECT_NE(run.exitCode, 0);
    EXPECT_NE(run.output.find("--bootstrap-server"), std::string::npos) << run.output;
}

TEST(MockClusterConsoleProducer, RecordsThatCannotBeDeliveredAreReportedAndTheExitIsNonZero) {
    // Nobody listens on port 1: metadata never comes, and each record fails after max.block.ms.
    const auto run = consoleProducer("a\\nb\\n",
                                     "--bootstrap-server 127.0.0.1:1 --topic t "
                                     "--max-block-ms 300");
    EXPECT_NE(run.exitCode, 0);
    EXPECT_NE(run.output.find("Error when sending message to topic t"), std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("2 of 2 records failed"), std::string::npos) << run.output;
}

TEST(MockClusterConsoleProducer, TheProducerConfigFileIsReadAndTheCommandLineWins) {
    MockCluster cluster(1);
    cluster.createTopic("lines", 1);
    const std::string file = ::testing::TempDir() + "/producer.properties";
    ASSERT_EQ(
        runCommand("printf '# comment\\nacks = sometimes\\nlinger.ms=5\\n' > " + file).exitCode, 0);
    // The file's acks is invalid; --producer-property overrides it, so the run succeeds.
    const auto run = consoleProducer("v\\n", "--bootstrap-server " + cluster.bootstrapServers() +
                                                 " --topic lines --producer.config " + file +
                                                 " --producer-property acks=1");
    EXPECT_EQ(run.exitCode, 0) << run.output;
    const auto missing = consoleProducer("v\\n",
                                         "--bootstrap-server 127.0.0.1:1 --topic t "
                                         "--producer.config /nonexistent/p.properties");
    EXPECT_NE(missing.exitCode, 0);
    EXPECT_NE(missing.output.find("/nonexistent/p.properties"), std::string::npos)
        << missing.output;
}

}  // namespace
}  // namespace kafka::test
