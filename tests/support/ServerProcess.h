//@ ch27
#pragma once

// kafka-server-start as a child process of the test: its standard output read line by line,
// its standard error (the broker's log) kept in a file that a test can read, and a SIGKILL if
// the test ends while it still runs.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/LogDirs.h"

namespace kafka::test {

class ServerProcess {
public:
    /// Starts `program` (the build's kafka-server-start: a test names it with COURSE_BIN_DIR)
    /// with `args`; from chapter 32 with a log.dirs of its own, unless the arguments name one.
    ServerProcess(const std::string& program, std::vector<std::string> args) {
        //> ch32
        bool logDirsGiven = false;
        for (const auto& arg : args) logDirsGiven |= arg.rfind("log.dirs=", 0) == 0;
        if (!logDirsGiven)
            args.insert(args.end(), {"--override", "log.dirs=" + scratchDir().string()});
        //< ch32
        errorFile_ = std::filesystem::temp_directory_path() /
                     ("kafka-server-start-" + std::to_string(::getpid()) + "-" +
                      std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".log");
        int out[2];
        if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
        pid_ = ::fork();
        if (pid_ == 0) {
            ::dup2(out[1], STDOUT_FILENO);
            ::close(out[0]);
            if (std::FILE* err = std::fopen(errorFile_.c_str(), "w"))
                ::dup2(::fileno(err), STDERR_FILENO);
            std::vector<char*> argv{const_cast<char*>(program.c_str())};
            for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
            argv.push_back(nullptr);
            ::execv(program.c_str(), argv.data());
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
        std::error_code ignored;
        std::filesystem::remove(errorFile_, ignored);
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    std::string readLine() {
        char line[512];
        return std::fgets(line, sizeof line, output_) ? std::string(line) : std::string();
    }
    /// Reads lines until the one saying where the broker listens; its port, or 0.
    int awaitPort() {
        const std::string prefix = "listening on PLAINTEXT://127.0.0.1:";
        for (std::string line = readLine(); !line.empty(); line = readLine())
            if (const auto at = line.find(prefix); at != std::string::npos)
                return std::stoi(line.substr(at + prefix.size()));
        return 0;
    }
    /// What the broker logged so far.
    std::string log() const {
        std::ifstream in(errorFile_);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    void signal(int number) { ::kill(pid_, number); }
    /// Kills it as a crash would: no shutdown code runs.
    void kill() {
        signal(SIGKILL);
        waitForExit(std::chrono::seconds(20));
    }
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
    std::filesystem::path errorFile_;
};

}  // namespace kafka::test
