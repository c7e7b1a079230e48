//@ ch30
#pragma once

// Our broker, started in the test's own process on a free loopback port, for peers to talk to.

#include <string>

#include "kafka/common/config/ConfigDef.h"
#include "kafka/server/KafkaServer.h"
#include "support/LogDirs.h"

namespace kafka::test {

class EmbeddedBroker {
public:
    explicit EmbeddedBroker(common::config::Properties overrides = {})
        : server_(configWith(std::move(overrides))) {
        server_.startup();
    }

    std::string bootstrapServers() const {
        return "127.0.0.1:" + std::to_string(server_.boundPort());
    }
    server::KafkaServer& server() { return server_; }

private:
    static server::KafkaConfig configWith(common::config::Properties overrides) {
        common::config::Properties props{{"listeners", "PLAINTEXT://127.0.0.1:0"},
                                         {"num.partitions", "3"},
                                         {"num.network.threads", "2"},
                                         {"num.io.threads", "2"}};
        for (auto& [key, value] : overrides) props[key] = value;
        return server::KafkaConfig(brokerProperties(props));
    }

    server::KafkaServer server_;
};

}  // namespace kafka::test
