//@ ch02
#include "kafka/common/utils/LogContext.h"

#include <mutex>

#include <spdlog/cfg/env.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace kafka::common::utils {

namespace {

spdlog::level::level_enum toSpdlog(LogLevel level) {
    switch (level) {
        case LogLevel::kTrace:
            return spdlog::level::trace;
        case LogLevel::kDebug:
            return spdlog::level::debug;
        case LogLevel::kInfo:
            return spdlog::level::info;
        case LogLevel::kWarn:
            return spdlog::level::warn;
        case LogLevel::kError:
            return spdlog::level::err;
        case LogLevel::kOff:
            break;
    }
    return spdlog::level::off;
}

// log4j's level names, upper case ("WARN", not spdlog's "warning").
class Log4jLevel final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        static constexpr std::string_view kNames[] = {"TRACE", "DEBUG", "INFO", "WARN",
                                                      "ERROR", "FATAL", "OFF"};
        const auto name = kNames[static_cast<int>(msg.level)];
        dest.append(name.data(), name.data() + name.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<Log4jLevel>();
    }
};

// Every logger writes to standard error through one sink, so that lines never interleave.
std::shared_ptr<spdlog::logger> loggerFor(std::string_view className) {
    static std::mutex mutex;
    static const auto sink = [] {
        spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=info,Sender=debug
        return std::make_shared<spdlog::sinks::stderr_sink_mt>();
    }();
    std::lock_guard lock(mutex);
    const std::string name(className);
    if (auto existing = spdlog::get(name)) return existing;
    auto logger = std::make_shared<spdlog::logger>(name, sink);
    spdlog::initialize_logger(logger);  // registers it, with its level from SPDLOG_LEVEL
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<Log4jLevel>('*').set_pattern("[%Y-%m-%d %H:%M:%S,%e] %* %v (%n)");
    logger->set_formatter(std::move(formatter));
    return logger;
}

}  // namespace

Logger::Logger(std::shared_ptr<spdlog::logger> logger, std::string prefix)
    : logger_(std::move(logger)), prefix_(std::move(prefix)) {}

bool Logger::isEnabled(LogLevel level) const {
    return level != LogLevel::kOff && logger_->should_log(toSpdlog(level));
}

void Logger::write(LogLevel level, std::string_view message) const {
    logger_->log(toSpdlog(level), "{}{}", prefix_, message);
}

Logger LogContext::logger(std::string_view className) const {
    return Logger(loggerFor(className), prefix_);
}

void setLogLevel(std::string_view className, LogLevel level) {
    if (className.empty())
        spdlog::set_level(toSpdlog(level));
    else
        loggerFor(className)->set_level(toSpdlog(level));
}

}  // namespace kafka::common::utils
