// Chapter 26 demo: the broker's settings and its life cycle. Kafka's defaults, what a bad
// value says, and a broker going through its states from start to shutdown.
#include <iostream>
#include <string>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/server/KafkaConfig.h"
#include "kafka/server/KafkaServer.h"
#include "support/LogDirs.h"

using kafka::server::KafkaConfig;
using kafka::server::KafkaServer;

int main() {
    const KafkaConfig defaults(kafka::common::config::Properties{});
    std::cout << "Kafka's defaults, as this broker reads them:\n"
              << "  broker.id                 " << defaults.brokerId() << '\n'
              << "  listeners                 PLAINTEXT://" << defaults.host() << ':'
              << defaults.port() << '\n'
              << "  num.network.threads       " << defaults.numNetworkThreads() << '\n'
              << "  num.io.threads            " << defaults.numIoThreads() << '\n'
              << "  socket.request.max.bytes  " << defaults.socketRequestMaxBytes() << '\n'
              << "  queued.max.requests       " << defaults.queuedMaxRequests() << '\n'
              << "  num.partitions            " << defaults.numPartitions() << '\n'
              << "  auto.create.topics.enable " << std::boolalpha
              << defaults.autoCreateTopicsEnable() << "\n\n";

    for (const auto& [key, value] : {std::pair<std::string, std::string>{"num.io.threads", "0"},
                                     {"listeners", "SSL://:9093"}}) {
        try {
            KafkaConfig config(kafka::common::config::Properties{{key, value}});
        } catch (const kafka::common::errors::ConfigException& e) {
            std::cout << "--override " << key << "=" << value << " stops the broker: " << e.what()
                      << '\n';
        }
    }

    KafkaServer broker(
        KafkaConfig(kafka::test::brokerProperties({{"listeners", "PLAINTEXT://127.0.0.1:0"}})));
    std::cout << "\nA broker: " << toString(broker.state());
    broker.startup();
    std::cout << " -> startup() -> " << toString(broker.state());
    broker.shutdown();
    std::cout << " -> shutdown() -> " << toString(broker.state()) << '\n';
    return 0;
}
