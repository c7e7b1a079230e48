//@ ch31
#pragma once

// What the broker chapters' demos share: a broker in the demo's own process, a producer of
// strings for it, and from chapter 32 a listing of a log directory.

#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/config/ConfigDef.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/server/KafkaServer.h"
#include "support/LogDirs.h"
//> ch32
#include <filesystem>
//< ch32

namespace kafka::test {

using DemoProducer = clients::producer::KafkaProducer<std::string, std::string>;

/// A started broker on a free loopback port, one partition a topic, with `overrides` on top
/// (from chapter 32, a log.dirs of its own unless they name one).
inline std::unique_ptr<server::KafkaServer> startDemoBroker(
    common::config::Properties overrides = {}) {
    common::config::Properties props{{"listeners", "PLAINTEXT://127.0.0.1:0"},
                                     {"num.partitions", "1"}};
    for (auto& [key, value] : overrides) props[key] = value;
    auto broker =
        std::make_unique<server::KafkaServer>(server::KafkaConfig(brokerProperties(props)));
    broker->startup();
    return broker;
}

/// A producer of string keys and values for `broker`, linger.ms=1, with `extra` on top.
inline std::unique_ptr<DemoProducer> demoProducerFor(const server::KafkaServer& broker,
                                                     common::config::Properties extra = {}) {
    common::config::Properties props{
        {"bootstrap.servers", "127.0.0.1:" + std::to_string(broker.boundPort())},
        {"linger.ms", "1"}};
    for (auto& [key, value] : extra) props[key] = value;
    return std::make_unique<DemoProducer>(
        props, std::make_unique<common::serialization::StringSerializer>(),
        std::make_unique<common::serialization::StringSerializer>());
}

//> ch32
/// Prints each file of `dir`, by name, with its size.
inline void printFiles(const std::filesystem::path& dir) {
    std::map<std::string, std::uintmax_t> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        files[entry.path().filename().string()] = entry.file_size();
    for (const auto& [name, size] : files)
        std::cout << "     " << std::setw(9) << size << "  " << name << "\n";
}
//< ch32

}  // namespace kafka::test
