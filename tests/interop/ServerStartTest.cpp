//@ ch27
// kafka-server-start, the program: it prints the address it listens on, serves, and on
// SIGTERM or SIGINT shuts down in order and exits 0; a bad setting stops it with the key and
// the value named and exit code 1.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "support/BrokerClient.h"
#include "support/LogDirs.h"
#include "support/Peers.h"

namespace kafka::test {
namespace {

const std::string kServer = std::string(COURSE_BIN_DIR) + "/kafka-server-start";

// The server as a child process, its standard output read line by line.
class ServerProcess {
public:
    explicit ServerProcess(std::vector<std::string> args) {
        //> ch32
        args.insert(args.end(), {"--override", "log.dirs=" + scratchDir().string()});
        //< ch32
        int out[2];
        if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(out[1], STDOUT_FILENO);
            ::close(out[0]);
            std::vector<char*> argv{const_cast<char*>(kServer.c_str())};
            for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
            argv.push_back(nullptr);
            ::execv(kServer.c_str(), argv.data());
            ::_exit(127);
        }
        ::close(out[1]);
        output_ = ::fdopen(out[0], "r");
    }
    ~ServerProcess() {
        if (pid_ > 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (output_) std::fclose(output_);
    }

    std::string readLine() {
        char line[512];
        return std::fgets(line, sizeof line, output_) ? std::string(line) : std::string();
    }
    void signal(int number) { ::kill(pid_, number); }
    // The exit code, waiting at most `timeout` (-1 if it did not exit).
    int waitForExit(std::chrono::seconds timeout) {
        const auto giveUp = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < giveUp) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return -1;
    }

private:
    pid_t pid_ = -1;
    bool exited_ = false;
    FILE* output_ = nullptr;
};

TEST(KafkaServerStart, PrintsItsAddressServesAndShutsDownInOrderOnSigterm) {
    for (const int stop : {SIGTERM, SIGINT}) {
        ServerProcess server({"--override", "listeners=PLAINTEXT://127.0.0.1:0", "--override",
                              "num.network.threads=2"});
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
