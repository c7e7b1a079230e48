//@ ch27
// kafka-server-start, the program: it prints the address it listens on, serves, and on
// SIGTERM or SIGINT shuts down in order and exits 0; a bad setting stops it with the key and
// the value named and exit code 1.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/BrokerClient.h"
#include "support/Peers.h"
#include "support/ServerProcess.h"

namespace kafka::test {
namespace {

const std::string kServer = std::string(COURSE_BIN_DIR) + "/kafka-server-start";

TEST(KafkaServerStart, PrintsItsAddressServesAndShutsDownInOrderOnSigterm) {
    for (const int stop : {SIGTERM, SIGINT}) {
        ServerProcess server(kServer, {"--override", "listeners=PLAINTEXT://127.0.0.1:0",
                                       "--override", "num.network.threads=2"});
        const std::string started = server.readLine();
        const std::string prefix = "listening on PLAINTEXT://127.0.0.1:";
        const auto at = started.find(prefix);
        ASSERT_NE(at, std::string::npos) << started;
        const int port = std::stoi(started.substr(at + prefix.size()));
        ASSERT_GT(port, 0) << started;
        BrokerClient client(port);  // it listens where it said
        server.signal(stop);
        EXPECT_NE(server.readLine().find("shutting down"), std::string::npos);
        EXPECT_NE(server.readLine().find("shut down completed"), std::string::npos);
        EXPECT_EQ(server.waitForExit(std::chrono::seconds(20)), 0);
        EXPECT_TRUE(client.closedByPeer()) << "the connection was closed by the shutdown";
    }
}

TEST(KafkaServerStart, ABadSettingStopsItWithTheKeyAndTheValue) {
    const auto run = runCommand(kServer + " --override num.network.threads=zero 2>&1");
    EXPECT_EQ(run.exitCode, 1);
    EXPECT_NE(run.output.find("num.network.threads"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("zero"), std::string::npos) << run.output;
    const auto unknownFlag = runCommand(kServer + " --no-such-flag 2>&1");
    EXPECT_EQ(unknownFlag.exitCode, 2) << "a bad command line is a usage error";
    EXPECT_NE(unknownFlag.output.find("--no-such-flag"), std::string::npos) << unknownFlag.output;
    EXPECT_NE(unknownFlag.output.find("usage: kafka-server-start [server.properties]"),
              std::string::npos)
        << unknownFlag.output;
}

}  // namespace
}  // namespace kafka::test
