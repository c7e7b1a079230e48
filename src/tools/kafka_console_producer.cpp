//@ ch17
// kafka-console-producer: one record per line of standard input, to a topic, with Kafka's flags.
//
//   kafka-console-producer --bootstrap-server HOST:PORT --topic T
//       [--property parse.key=true] [--property key.separator=X] [--property ignore.error=true]
//       [--producer-property KEY=VALUE]... [--producer.config FILE]
//       [--request-required-acks ACKS] [--timeout LINGER_MS] [--batch-size BYTES]
//       [--message-send-max-retries N] [--request-timeout-ms MS] [--max-block-ms MS] [--sync]
//
// Unlike Kafka's, it waits at the end for every record's outcome and exits 1 if any failed,
// which makes it usable from scripts and tests.

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/common/utils/Utils.h"
#include "tools/ToolMain.h"

namespace {

using kafka::common::config::Properties;
using kafka::common::utils::Utils;
using kafka::tools::UsageError;

constexpr kafka::tools::Usage kUsage{
    "kafka-console-producer", "--bootstrap-server HOST:PORT --topic TOPIC [options]",
    R"(Reads lines from standard input and sends each as a record to a Kafka topic.

Required:
  --bootstrap-server HOST:PORT[,...]  the brokers to start from
  --topic TOPIC                       the topic to produce to
Lines:
  --property parse.key=true           split each line into key and value
  --property key.separator=SEP        where to split (default: a tab)
  --property ignore.error=true        a line without the separator is sent whole, without key
Producer:
  --producer-property KEY=VALUE       any producer setting (repeatable)
  --producer.config FILE              producer settings from a properties file
  --request-required-acks ACKS        acks (default: -1)
  --timeout MS                        linger.ms (default: 1000)
  --batch-size BYTES                  batch.size (default: 16384)
  --message-send-max-retries N        retries (default: 3)
  --request-timeout-ms MS             request.timeout.ms (default: 1500)
  --max-block-ms MS                   max.block.ms (default: 60000)
  --sync                              send each record alone, one at a time
  --help                              this text
Explicit flags win over --producer-property, which wins over --producer.config.
)"};

struct Options {
    std::string bootstrapServers;
    std::string topic;
    bool parseKey = false;
    std::string keySeparator = "\t";
    bool ignoreError = false;
    bool sync = false;
    std::optional<std::string> producerConfigFile;
    Properties producerProperties;               // --producer-property, in order
    std::map<std::string, std::string> flagged;  // producer keys set by explicit flags
};

std::pair<std::string, std::string> splitKeyValue(const std::string& text,
                                                  const std::string& flag) {
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0)
        throw UsageError(flag + " expects KEY=VALUE, got '" + text + "'");
    return {text.substr(0, equals), text.substr(equals + 1)};
}

Options parseArguments(const std::vector<std::string>& args) {
    // Kafka's own flags and the producer key each one sets.
    static const std::map<std::string, std::string> kProducerFlags = {
        {"--request-required-acks", "acks"},
        {"--timeout", "linger.ms"},
        {"--batch-size", "batch.size"},
        {"--message-send-max-retries", "retries"},
        {"--request-timeout-ms", "request.timeout.ms"},
        {"--max-block-ms", "max.block.ms"},
    };
    Options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") throw UsageError("");
        if (flag == "--sync") {
            options.sync = true;
            continue;
        }
        if (i + 1 >= args.size()) throw UsageError("Missing value for " + flag);
        const std::string& value = args[++i];
        if (flag == "--bootstrap-server" || flag == "--broker-list") {
            options.bootstrapServers = value;
        } else if (flag == "--topic") {
            options.topic = value;
        } else if (flag == "--property") {
            const auto [key, setting] = splitKeyValue(value, flag);
            if (key == "parse.key") {
                options.parseKey = setting == "true";
            } else if (key == "key.separator") {
                options.keySeparator = setting;
            } else if (key == "ignore.error") {
                options.ignoreError = setting == "true";
            } else {
                std::cerr << "Ignoring unknown --property " << key << '\n';
            }
        } else if (flag == "--producer-property") {
            const auto [key, setting] = splitKeyValue(value, flag);
            options.producerProperties[key] = setting;
        } else if (flag == "--producer.config") {
            options.producerConfigFile = value;
        } else if (const auto known = kProducerFlags.find(flag); known != kProducerFlags.end()) {
            options.flagged[known->second] = value;
        } else {
            throw UsageError("Unknown option " + flag);
        }
    }
    if (options.bootstrapServers.empty())
        throw UsageError("Missing required option: --bootstrap-server");
    if (options.topic.empty()) throw UsageError("Missing required option: --topic");
    if (options.parseKey && options.keySeparator.empty())
        throw UsageError("--property key.separator may not be empty");
    return options;
}

/// The producer's settings, in Kafka's order of precedence: the file, then --producer-property,
/// then the explicit flags; a flag's default only where nothing else set the key.
Properties producerProperties(const Options& options) {
    Properties properties;
    if (options.producerConfigFile) properties = Utils::loadProps(*options.producerConfigFile);
    for (const auto& [key, value] : options.producerProperties) properties[key] = value;
    for (const auto& [key, value] : options.flagged) properties[key] = value;
    const std::map<std::string, std::string> defaults = {
        {"acks", "-1"},   {"linger.ms", "1000"},          {"batch.size", "16384"},
        {"retries", "3"}, {"request.timeout.ms", "1500"}, {"max.block.ms", "60000"},
    };
    for (const auto& [key, value] : defaults) properties.try_emplace(key, value);
    if (options.sync) properties["linger.ms"] = "0";
    properties["bootstrap.servers"] = options.bootstrapServers;
    return properties;
}

using Record = kafka::clients::producer::ProducerRecord<std::string, std::string>;

/// One line, one record. Throws KafkaException for a line without the separator when keys
/// are parsed, unless ignore.error is set.
Record recordOf(const Options& options, const std::string& line, int lineNumber) {
    if (!options.parseKey) return Record(options.topic, line);
    const auto separator = line.find(options.keySeparator);
    if (separator == std::string::npos) {
        if (options.ignoreError) return Record(options.topic, line);
        throw kafka::common::errors::KafkaException("No key separator found on line number " +
                                                    std::to_string(lineNumber) + ": '" + line +
                                                    "'");
    }
    return Record(options.topic, line.substr(0, separator),
                  line.substr(separator + options.keySeparator.size()));
}

int run(const Options& options) {
    kafka::clients::producer::KafkaProducer<std::string, std::string> producer(
        producerProperties(options),
        std::make_unique<kafka::common::serialization::StringSerializer>(),
        std::make_unique<kafka::common::serialization::StringSerializer>());
    std::atomic<int> failed{0};
    int sent = 0;
    std::string line;
    for (int lineNumber = 1; std::getline(std::cin, line); ++lineNumber) {
        const Record record = recordOf(options, line, lineNumber);
        const std::string key = record.key().value_or("null");
        const std::size_t valueBytes = record.value() ? record.value()->size() : 0;
        auto future = producer.send(record, [&failed, key, valueBytes, topic = options.topic](
                                                const kafka::clients::producer::RecordMetadata&,
                                                std::exception_ptr error) {
            if (!error) return;
            ++failed;
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                std::cerr << "Error when sending message to topic " << topic << " with key: " << key
                          << ", value: " << valueBytes << " bytes with error: " << e.what() << '\n';
            }
        });
        ++sent;
        if (options.sync) future.wait();
    }
    producer.close();  // waits until every record has its outcome
    if (failed > 0) {
        std::cerr << failed << " of " << sent << " records failed\n";
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return kafka::tools::runTool(kUsage, [&] {
        return run(parseArguments(std::vector<std::string>(argv + 1, argv + argc)));
    });
}
