// Chapter 16 demo: one client, four brokers of different ages. Each answers ApiVersions with
// the range of versions it speaks for each API; the client picks, per broker and per API, the
// highest version both know, or finds there is none.
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "kafka/clients/NodeApiVersions.h"
#include "kafka/common/errors/Exceptions.h"

using kafka::clients::NodeApiVersions;
using kafka::common::protocol::ApiKeys;
using ApiVersion = kafka::common::requests::ApiVersionsResponse::ApiVersion;

namespace {

struct Broker {
    std::string name;
    std::vector<ApiVersion> speaks;  // api key, min, max
};

}  // namespace

int main() {
    const std::vector<Broker> brokers = {
        {"Kafka 0.10.1", {{0, 0, 2}, {1, 0, 3}, {2, 0, 1}, {3, 0, 2}, {18, 0, 0}}},
        {"librdkafka 2.0.2 mock", {{0, 0, 7}, {1, 0, 11}, {2, 0, 5}, {3, 0, 2}, {18, 0, 2}}},
        {"Kafka 2.8", {{0, 0, 9}, {1, 0, 12}, {2, 0, 6}, {3, 0, 11}, {18, 0, 3}}},
        {"Kafka 4.0", {{0, 3, 12}, {1, 4, 17}, {2, 1, 10}, {3, 0, 12}, {18, 0, 4}}},
    };
    const std::vector<ApiKeys> apis = {ApiKeys::kProduce, ApiKeys::kMetadata,
                                       ApiKeys::kApiVersions};
    std::cout << "This client speaks Produce 3-8, Metadata 1-8, ApiVersions 0-2.\n\n"
              << std::left << std::setw(24) << "broker";
    for (const auto api : apis) std::cout << std::setw(14) << kafka::common::protocol::name(api);
    std::cout << '\n';
    for (const auto& broker : brokers) {
        const NodeApiVersions versions(broker.speaks);
        std::cout << std::setw(24) << broker.name;
        for (const auto api : apis) {
            try {
                std::cout << std::setw(14)
                          << ("v" + std::to_string(versions.latestUsableVersion(api)));
            } catch (const kafka::common::errors::UnsupportedVersionException&) {
                std::cout << std::setw(14) << "none";
            }
        }
        std::cout << '\n';
    }
    std::cout << "\nKafka 0.10.1 speaks no Produce version with record batch v2 (v3+): the client "
                 "cannot produce to it, and says so instead of sending bytes it cannot read.\n";
    return 0;
}
