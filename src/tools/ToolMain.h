//@ ch17
// The command-line programs' shared main(): the course's tools (src/tools), the benchmark's
// programs (bench/perf) and the stage cutter report a bad command line the same way, with the
// same exit codes. Chapter 17 brings the first of them, kafka-console-producer.
#pragma once

#include <exception>
#include <iostream>
#include <stdexcept>

namespace kafka::tools {

/// A mistake on the command line: the message says which flag and why. An empty message asks
/// for the help text (--help).
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// How a program is called: its name, a one-line synopsis, and the help that --help prints.
struct Usage {
    const char* program;
    const char* synopsis;  ///< what follows the name, e.g. "--topic TOPIC [options]"
    const char* help;      ///< the flags, one a line
};

/// The exit code of a command line that cannot be run, as getopt's and argparse's programs use.
inline constexpr int kUsageExitCode = 2;

/// Runs a program's `run()` and turns what it throws into what the user sees:
/// - `UsageError("")` (--help): the synopsis and the help on stdout, exit code 0;
/// - another `UsageError`: the program's name and the message, then the synopsis, on stderr;
///   exit code 2;
/// - any other exception (a bad setting, an unreadable file): the name and the message on
///   stderr, exit code 1.
template <typename Run>
int runTool(const Usage& usage, Run&& run) {
    try {
        return run();
    } catch (const UsageError& e) {
        if (*e.what() == '\0') {
            std::cout << "usage: " << usage.program << ' ' << usage.synopsis << "\n\n"
                      << usage.help;
            return 0;
        }
        std::cerr << usage.program << ": " << e.what() << "\nusage: " << usage.program << ' '
                  << usage.synopsis << " (--help lists the flags)\n";
        return kUsageExitCode;
    } catch (const std::exception& e) {
        std::cerr << usage.program << ": " << e.what() << '\n';
        return 1;
    }
}

}  // namespace kafka::tools
