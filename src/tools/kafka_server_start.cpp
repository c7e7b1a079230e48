//@ ch27
// kafka-server-start: runs our broker, as Kafka's bin/kafka-server-start.sh runs Kafka's.
//
//   kafka-server-start [server.properties] [--override key=value]...
//
// It prints the address it listens on, serves until SIGINT or SIGTERM, then shuts down in
// order: the network first, then the request handlers.
#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/utils/Utils.h"
#include "kafka/server/KafkaServer.h"
#include "tools/ToolMain.h"

namespace {

using kafka::common::config::Properties;
using kafka::tools::UsageError;

constexpr kafka::tools::Usage kUsage{
    "kafka-server-start", "[server.properties] [--override key=value]...",
    R"(Starts a broker with Kafka's settings (listeners, broker.id, num.network.threads,
num.io.threads, num.partitions, socket.request.max.bytes, queued.max.requests,
auto.create.topics.enable). Without a file, Kafka's defaults apply; --override wins over
the file. Stop it with Ctrl-C (SIGINT) or SIGTERM.
)"};

Properties parseArguments(const std::vector<std::string>& args) {
    Properties properties;
    Properties overrides;
    bool haveFile = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "-h" || arg == "--help") throw UsageError("");
        if (arg == "--override") {
            if (i + 1 >= args.size()) throw UsageError("--override needs key=value");
            const std::string& setting = args[++i];
            const auto equals = setting.find('=');
            if (equals == std::string::npos || equals == 0)
                throw UsageError("--override needs key=value, not '" + setting + "'");
            overrides[setting.substr(0, equals)] = setting.substr(equals + 1);
        } else if (!arg.starts_with("-") && !haveFile) {
            properties = kafka::common::utils::Utils::loadProps(arg);
            haveFile = true;
        } else {
            throw UsageError("Unknown argument " + arg);
        }
    }
    for (const auto& [key, value] : overrides) properties[key] = value;
    return properties;
}

int run(const Properties& properties) {
    // Block the stop signals in every thread; this one waits for them with sigwait.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    const kafka::server::KafkaConfig config(properties);
    for (const auto& key : config.unknownKeys())
        std::cerr << "WARN The configuration '" << key
                  << "' was supplied but isn't a known config.\n";
    kafka::server::KafkaServer server(config);
    server.startup();
    const std::string host = config.host().empty() ? "0.0.0.0" : config.host();
    std::cout << "[KafkaServer id=" << config.brokerId() << "] started: listening on PLAINTEXT://"
              << host << ":" << server.boundPort() << std::endl;

    int signal = 0;
    sigwait(&stopSignals, &signal);
    std::cout << "[KafkaServer id=" << config.brokerId() << "] shutting down ("
              << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ")" << std::endl;
    server.shutdown();
    std::cout << "[KafkaServer id=" << config.brokerId() << "] shut down completed" << std::endl;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return kafka::tools::runTool(kUsage, [&] {
        return run(parseArguments(std::vector<std::string>(argv + 1, argv + argc)));
    });
}
