//@ ch25
// mock-cluster-sink: librdkafka's in-process mock cluster, run as a process of its own, as the
// broker for the side-by-side producer benchmarks. It accepts Produce requests at memory speed,
// so the figures measure the producers rather than a broker's disk; and being one separate
// process for both producers, its CPU is not charged to either of them and it treats them
// alike.
//
//   mock-cluster-sink [--brokers N] [--topic T [--partitions P]]...
//
// It prints one line, bootstrap.servers=HOST:PORT[,...], and serves until standard input ends
// or SIGINT/SIGTERM arrives. Standard input is the lifeline: a script that holds a pipe to it
// cannot leave the sink behind when the script dies. Mind that a non-interactive shell gives a
// command started with & /dev/null as its input, which ends at once; keep a pipe open instead,
// e.g. `sleep infinity | mock-cluster-sink ... &`, or use a coprocess.

// Part of librdkafka's experimental mock API; its rd_kafka_mock_* calls are not ABI-stable.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/ToolMain.h"

// The mock broker leaves Nagle's algorithm on for the connections it accepts, so a small
// response written while an earlier one is unacknowledged waits for the client's delayed ACK:
// every few runs a latency of some 40 ms more that belongs to neither producer. Real brokers
// set TCP_NODELAY. This definition of accept() takes the place of the C library's for the
// whole process (ELF symbol interposition), which is how librdkafka's mock thread reaches it;
// where interposition does not apply, the mock merely keeps its Nagle delays.
extern "C" int accept(int listener, sockaddr* address, socklen_t* length) {
    const int fd = accept4(listener, address, length, 0);
    if (fd >= 0) {
        const int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // best effort, as intended
    }
    return fd;
}

namespace {

using kafka::tools::UsageError;

constexpr const char* kProgram = "mock-cluster-sink";

constexpr kafka::tools::Usage kUsage{
    kProgram, "[--brokers N] [--topic TOPIC [--partitions P]]...",
    R"(Runs librdkafka's mock Kafka cluster until standard input ends or SIGINT/SIGTERM arrives.

  --brokers N          how many brokers (default: 1)
  --topic TOPIC        a topic to create (repeatable)
  --partitions P       partitions of the --topic before it (default: 1)
  --help               this text
Prints one line, bootstrap.servers=HOST:PORT[,...], once the cluster is serving.
)"};

struct Topic {
    std::string name;
    int partitions = 1;
};

struct Options {
    int brokers = 1;
    std::vector<Topic> topics;
};

int parsePositive(const std::string& flag, const std::string& value, int max) {
    std::size_t used = 0;
    long number = 0;
    try {
        number = std::stol(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != value.size() || number < 1 || number > max)
        throw UsageError(flag + " expects a whole number from 1 to " + std::to_string(max) +
                         ", got '" + value + "'");
    return static_cast<int>(number);
}

Options parseArguments(const std::vector<std::string>& args) {
    Options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") throw UsageError("");
        if (i + 1 >= args.size()) throw UsageError("Missing value for " + flag);
        const std::string& value = args[++i];
        if (flag == "--brokers") {
            options.brokers = parsePositive(flag, value, 100);
        } else if (flag == "--topic") {
            if (value.empty()) throw UsageError("--topic may not be empty");
            options.topics.push_back({value, 1});
        } else if (flag == "--partitions") {
            if (options.topics.empty())
                throw UsageError("--partitions " + value + " must follow the --topic it is for");
            options.topics.back().partitions = parsePositive(flag, value, 100000);
        } else {
            throw UsageError("Unknown option " + flag);
        }
    }
    return options;
}

struct KafkaDeleter {
    void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
struct ConfDeleter {
    void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
struct MockClusterDeleter {
    void operator()(rd_kafka_mock_cluster_t* cluster) const {
        rd_kafka_mock_cluster_destroy(cluster);
    }
};
using KafkaPtr = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using MockClusterPtr = std::unique_ptr<rd_kafka_mock_cluster_t, MockClusterDeleter>;

volatile std::sig_atomic_t stopSignal = 0;

extern "C" void onStopSignal(int signal) {
    stopSignal = signal;
}

/// Waits until standard input reaches end of file or SIGINT/SIGTERM arrives. One thread waits
/// for both with pselect, which unblocks the signals only while it waits: every other thread,
/// librdkafka's included, was started with them blocked, so they can only land here, and there
/// is no reader thread left blocked in read() to be joined or abandoned at exit.
std::string waitForEnd(const sigset_t& waitMask) {
    char buffer[4096];
    bool stdinOpen = true;
    while (stopSignal == 0) {
        fd_set readable;
        FD_ZERO(&readable);
        if (stdinOpen) FD_SET(STDIN_FILENO, &readable);
        const int ready = pselect(stdinOpen ? STDIN_FILENO + 1 : 0, &readable, nullptr, nullptr,
                                  nullptr, &waitMask);
        if (ready < 0) {
            if (errno == EINTR) continue;  // the signal handler ran; the loop condition decides
            throw std::runtime_error(std::string("pselect failed: ") + std::strerror(errno));
        }
        if (!stdinOpen || !FD_ISSET(STDIN_FILENO, &readable)) continue;
        const ssize_t got = read(STDIN_FILENO, buffer, sizeof buffer);  // contents are ignored
        if (got == 0) return "standard input ended";
        if (got < 0 && errno != EINTR && errno != EAGAIN) {
            // Unreadable input cannot signal its end; leave it to the signals.
            std::fprintf(stderr, "%s: cannot read standard input (%s); waiting for a signal\n",
                         kProgram, std::strerror(errno));
            stdinOpen = false;
        }
    }
    return stopSignal == SIGINT ? "SIGINT" : "SIGTERM";
}

int run(const Options& options) {
    // Before librdkafka starts any thread, so that all of them inherit the blocked mask.
    sigset_t stopSignals, waitMask;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    if (pthread_sigmask(SIG_BLOCK, &stopSignals, &waitMask) != 0)
        throw std::runtime_error("cannot block SIGINT and SIGTERM");
    sigdelset(&waitMask, SIGINT);
    sigdelset(&waitMask, SIGTERM);
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    // The mock cluster needs a client handle to live in; it never connects anywhere.
    ConfPtr conf(rd_kafka_conf_new());
    char error[512];
    if (rd_kafka_conf_set(conf.get(), "log_level", "0", error, sizeof error) != RD_KAFKA_CONF_OK)
        throw std::runtime_error(std::string("log_level=0 rejected by librdkafka: ") + error);
    KafkaPtr rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), error, sizeof error));
    if (!rk) throw std::runtime_error(std::string("cannot create a librdkafka handle: ") + error);
    conf.release();  // rd_kafka_new owns it now

    // Declared after rk, so destroyed before it: the cluster must not outlive its handle.
    MockClusterPtr cluster(rd_kafka_mock_cluster_new(rk.get(), options.brokers));
    if (!cluster)
        throw std::runtime_error("cannot create a mock cluster of " +
                                 std::to_string(options.brokers) + " brokers");
    for (const auto& topic : options.topics) {
        const rd_kafka_resp_err_t created =
            rd_kafka_mock_topic_create(cluster.get(), topic.name.c_str(), topic.partitions, 1);
        if (created)
            throw std::runtime_error("cannot create --topic " + topic.name + " with --partitions " +
                                     std::to_string(topic.partitions) + ": " +
                                     rd_kafka_err2str(created));
    }

    std::printf("bootstrap.servers=%s\n", rd_kafka_mock_cluster_bootstraps(cluster.get()));
    std::fflush(stdout);

    const std::string reason = waitForEnd(waitMask);
    std::fprintf(stderr, "%s: %s, shutting down\n", kProgram, reason.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return kafka::tools::runTool(kUsage, [&] {
        return run(parseArguments(std::vector<std::string>(argv + 1, argv + argc)));
    });
}
