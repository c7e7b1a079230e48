//@ ch02
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/core.h>

namespace spdlog {
class logger;
}

namespace kafka::common::utils {

/// How much a logger says, from the most to the least.
enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kOff };

/// One class's logger, speaking for one component (Kafka gets it from
/// `LogContext.logger(Sender.class)`). A line reads as Kafka's log4j lines do:
///
///     [2026-12-02 19:01:42,123] WARN [Producer clientId=producer-1] Got error ... (Sender)
///
/// the time, the level, the component's prefix, the message, and the class that spoke.
/// Levels are set per class: `SPDLOG_LEVEL=warn,Sender=debug` in the environment (spdlog's
/// variable), or setLogLevel() in a program. Formatting happens only when the level is on.
/// Thread-safe.
class Logger {
public:
    Logger(std::shared_ptr<spdlog::logger> logger, std::string prefix);

    bool isEnabled(LogLevel level) const;

    template <typename... Args>
    void trace(fmt::format_string<Args...> format, Args&&... args) const {
        log(LogLevel::kTrace, format, std::forward<Args>(args)...);
    }
    template <typename... Args>
    void debug(fmt::format_string<Args...> format, Args&&... args) const {
        log(LogLevel::kDebug, format, std::forward<Args>(args)...);
    }
    template <typename... Args>
    void info(fmt::format_string<Args...> format, Args&&... args) const {
        log(LogLevel::kInfo, format, std::forward<Args>(args)...);
    }
    template <typename... Args>
    void warn(fmt::format_string<Args...> format, Args&&... args) const {
        log(LogLevel::kWarn, format, std::forward<Args>(args)...);
    }
    template <typename... Args>
    void error(fmt::format_string<Args...> format, Args&&... args) const {
        log(LogLevel::kError, format, std::forward<Args>(args)...);
    }

    template <typename... Args>
    void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) const {
        if (isEnabled(level)) write(level, fmt::format(format, std::forward<Args>(args)...));
    }

private:
    void write(LogLevel level, std::string_view message) const;

    std::shared_ptr<spdlog::logger> logger_;
    std::string prefix_;
};

/// Who is speaking (Kafka's LogContext): a prefix such as "[Producer clientId=producer-1] "
/// that every line of a component's classes carries, so that the lines of two producers, or
/// of a producer and a broker in one process, can be told apart.
class LogContext {
public:
    LogContext() = default;
    explicit LogContext(std::string prefix) : prefix_(std::move(prefix)) {}

    /// The logger of class `className` ("Sender", "NetworkClient"), with this prefix.
    Logger logger(std::string_view className) const;
    const std::string& logPrefix() const { return prefix_; }

private:
    std::string prefix_;
};

/// Sets the level of one class's logger ("Sender"), or of every logger when `className` is
/// empty; as SPDLOG_LEVEL does from the environment.
void setLogLevel(std::string_view className, LogLevel level);

}  // namespace kafka::common::utils
