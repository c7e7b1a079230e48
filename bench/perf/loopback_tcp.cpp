//@ ch25
// loopback-tcp: how many bytes per second one TCP connection over 127.0.0.1 carries on this
// machine, one writer thread against one reader thread. No producer talking to a broker on the
// same host can beat it, so it is the ceiling the producer benchmarks' MB/sec are read against:
// a producer close to it is limited by the machine, one far below it by itself.
//
//   loopback-tcp [--seconds 3] [--write-size 262144] [--json FILE]
//
// The rate is the bytes the reader received over the time from the first write to the reader
// seeing the end of the stream, so bytes still in flight when the writer stops are counted in
// full and nothing is credited before it arrived.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tools/ToolMain.h"

namespace {

using kafka::tools::UsageError;

constexpr const char* kProgram = "loopback-tcp";

constexpr kafka::tools::Usage kUsage{
    kProgram, "[--seconds S] [--write-size BYTES] [--json FILE]",
    R"(Measures one loopback TCP connection's throughput: a writer thread against a reader thread.

  --seconds S          how long the writer writes (default: 3)
  --write-size BYTES   bytes per write() call (default: 262144)
  --json FILE          also write the result to FILE as JSON
  --help               this text
)"};

struct Options {
    double seconds = 3;
    std::size_t writeSize = 262144;
    std::optional<std::string> json;
};

Options parseArguments(const std::vector<std::string>& args) {
    Options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") throw UsageError("");
        if (i + 1 >= args.size()) throw UsageError("Missing value for " + flag);
        const std::string& value = args[++i];
        std::size_t used = 0;
        if (flag == "--seconds") {
            try {
                options.seconds = std::stod(value, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != value.size() || !(options.seconds > 0) ||
                options.seconds > 3600)
                throw UsageError("--seconds expects more than 0 and at most 3600 seconds, got '" +
                                 value + "'");
        } else if (flag == "--write-size") {
            long long size = 0;
            try {
                size = std::stoll(value, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != value.size() || size < 1 || size > (1LL << 30))
                throw UsageError("--write-size expects a byte count from 1 to 1073741824, got '" +
                                 value + "'");
            options.writeSize = static_cast<std::size_t>(size);
        } else if (flag == "--json") {
            options.json = value;
        } else {
            throw UsageError("Unknown option " + flag);
        }
    }
    return options;
}

/// A file descriptor that closes itself.
class Socket {
public:
    explicit Socket(int fd) : fd_(fd) {
        if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    ~Socket() { close(); }
    int get() const { return fd_; }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

void setNoDelay(int fd) {
    // As the producers do: the kernel must not hold small writes back waiting for more.
    const int on = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0) fail("TCP_NODELAY");
}

using Clock = std::chrono::steady_clock;

struct Outcome {
    std::uint64_t bytes = 0;
    Clock::time_point end;
    std::exception_ptr error;
};

void readAll(int listener, Outcome& outcome) {
    try {
        Socket connection(accept(listener, nullptr, nullptr));
        setNoDelay(connection.get());
        std::vector<char> buffer(1 << 20);
        for (;;) {
            const ssize_t got = read(connection.get(), buffer.data(), buffer.size());
            if (got > 0) {
                outcome.bytes += static_cast<std::uint64_t>(got);
            } else if (got == 0) {
                break;
            } else if (errno != EINTR) {
                fail("read");
            }
        }
        outcome.end = Clock::now();
    } catch (...) {
        outcome.error = std::current_exception();
    }
}

void writeFor(const sockaddr_in& address, const Options& options, Clock::time_point& start,
              std::exception_ptr& error) {
    try {
        Socket connection(socket(AF_INET, SOCK_STREAM, 0));
        setNoDelay(connection.get());
        if (connect(connection.get(), reinterpret_cast<const sockaddr*>(&address),
                    sizeof address) != 0)
            fail("connect to 127.0.0.1:" + std::to_string(ntohs(address.sin_port)));
        const std::vector<char> buffer(options.writeSize, 'x');
        start = Clock::now();
        const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                          std::chrono::duration<double>(options.seconds));
        while (Clock::now() < deadline) {
            std::size_t done = 0;
            while (done < buffer.size()) {
                const ssize_t put = send(connection.get(), buffer.data() + done,
                                         buffer.size() - done, MSG_NOSIGNAL);
                if (put < 0) {
                    if (errno == EINTR) continue;
                    fail("send");
                }
                done += static_cast<std::size_t>(put);
            }
        }
        if (shutdown(connection.get(), SHUT_WR) != 0) fail("shutdown");
    } catch (...) {
        error = std::current_exception();
    }
}

int run(const Options& options) {
    Socket listener(socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // any free port
    if (bind(listener.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        fail("bind 127.0.0.1:0");
    if (listen(listener.get(), 1) != 0) fail("listen");
    socklen_t length = sizeof address;
    if (getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0)
        fail("getsockname");

    Outcome read;
    Clock::time_point start;
    std::exception_ptr writeError;
    std::thread reader(readAll, listener.get(), std::ref(read));
    std::thread writer(writeFor, std::cref(address), std::cref(options), std::ref(start),
                       std::ref(writeError));
    writer.join();
    if (writeError) {
        // The reader may still wait in accept(); shutting the listener down wakes it.
        shutdown(listener.get(), SHUT_RDWR);
        reader.join();
        std::rethrow_exception(writeError);
    }
    reader.join();
    if (read.error) std::rethrow_exception(read.error);

    const double seconds = std::chrono::duration<double>(read.end - start).count();
    const double bytesPerSec = static_cast<double>(read.bytes) / seconds;
    const double mbPerSec = bytesPerSec / (1024.0 * 1024.0);
    const double gbitPerSec = bytesPerSec * 8 / 1e9;
    std::printf("loopback TCP: %.1f MB/s (%.2f Gbit/s) with %zu-byte writes\n", mbPerSec,
                gbitPerSec, options.writeSize);
    std::fflush(stdout);
    if (options.json) {
        std::ofstream out(*options.json);
        char body[256];
        std::snprintf(body, sizeof body,
                      "{\"mb_per_sec\":%.1f,\"write_size\":%zu,\"seconds\":%.3f}\n", mbPerSec,
                      options.writeSize, seconds);
        out << body;
        out.close();
        if (!out) throw std::runtime_error("--json: cannot write '" + *options.json + "'");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return kafka::tools::runTool(kUsage, [&] {
        return run(parseArguments(std::vector<std::string>(argv + 1, argv + argc)));
    });
}
