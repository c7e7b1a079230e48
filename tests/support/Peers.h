//@ ch06
#pragma once

// Running a peer that nobody here wrote (kafka-python under Debian's /usr/bin/python3) from a
// test, and what the tests need to talk to it: hex for bytes on its command line.

#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <span>
#include <string>

namespace kafka::test {

/// Bytes as lowercase hex, two digits a byte.
inline std::string toHex(std::span<const std::uint8_t> bytes) {
    std::string out;
    char digits[3];
    for (auto b : bytes) {
        std::snprintf(digits, sizeof digits, "%02x", b);
        out += digits;
    }
    return out;
}

/// A peer script's exit code when its Python package is missing; the test then skips.
inline constexpr int kPeerMissing = 3;

struct PeerRun {
    int exitCode;
    std::string output;  // what the script printed on stdout
};

/// Runs a shell command; its exit code and what it printed on stdout.
inline PeerRun runCommand(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) return {-1, "could not run " + command};
    std::string output;
    char buffer[4096];
    while (auto n = std::fread(buffer, 1, sizeof buffer, pipe.get())) output.append(buffer, n);
    const int status = pclose(pipe.release());
    return {WEXITSTATUS(status), output};
}

/// Runs `script` (a path) with /usr/bin/python3 and `arguments`. A machine without Python
/// reports kPeerMissing, as a script that cannot import its package does.
inline PeerRun runPython(const std::string& script, const std::string& arguments) {
    const std::string python = "/usr/bin/python3";
    if (std::FILE* probe = std::fopen(python.c_str(), "r")) {
        std::fclose(probe);
    } else {
        return {kPeerMissing, python + " is not installed"};
    }
    return runCommand(python + " " + script + " " + arguments);
}

}  // namespace kafka::test
