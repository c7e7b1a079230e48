//@ ch26
#pragma once

// Where the brokers and logs a test makes keep their data. Until chapter 32 the logs live in
// memory and these helpers change nothing; from chapter 32 on, each broker and each log gets a
// fresh directory of its own under the system's temporary directory, so that tests running
// side by side never share a log, and the test program removes them all when it ends.

#include <string>

#include "kafka/common/config/ConfigDef.h"
//> ch30
#include "kafka/log/Log.h"
#include "kafka/log/LogManager.h"
//< ch30
//> ch32
#include <unistd.h>
#include <atomic>
#include <filesystem>
//< ch32

namespace kafka::test {

//> ch32
/// A new, empty directory for one broker or one log, removed with all the others when the
/// test program ends.
inline std::filesystem::path scratchDir() {
    struct Root {
        std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("kafka-course-test-" + std::to_string(::getpid()));
        ~Root() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    };
    static Root root;
    static std::atomic<int> next{0};
    auto dir = root.path / std::to_string(next++);
    std::filesystem::create_directories(dir);
    return dir;
}
//< ch32

/// A broker's properties: `props`, and from chapter 32 a log.dirs of its own.
inline common::config::Properties brokerProperties(common::config::Properties props) {
    //> ch32
    if (!props.contains("log.dirs")) props["log.dirs"] = scratchDir().string();
    //< ch32
    return props;
}

//> ch30
/// What a log of `tp` is made of in a test: `config`, and from chapter 32 a directory.
inline log::Log::Settings logSettings(common::TopicPartition tp, log::LogConfig config = {}) {
    log::Log::Settings settings{std::move(tp), config};
    //> ch32
    settings.dir = scratchDir() / settings.topicPartition.toString();
    //< ch32
    return settings;
}

/// What a LogManager is made of in a test: `config` for every log, and from chapter 32 a log
/// directory.
inline log::LogManager::Settings logManagerSettings(log::LogConfig config = {}) {
    log::LogManager::Settings settings{config};
    //> ch32
    settings.logDirs = {scratchDir()};
    //< ch32
    return settings;
}
//< ch30

}  // namespace kafka::test
