// Chapter 28 demo: the Processors serve their connections. Thirty clients connect to three
// network threads; then ten of them leave, and each Processor lets go of its own.
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "kafka/common/utils/Time.h"
#include "kafka/network/SocketServer.h"
#include "kafka/server/KafkaConfig.h"
#include "support/BrokerClient.h"

namespace {

void show(const kafka::network::SocketServer& server, std::size_t expected, const char* when) {
    auto served = [&] {
        std::size_t total = 0;
        for (const auto& processor : server.processors()) total += processor->connectionCount();
        return total;
    };
    for (int i = 0; i < 2000 && served() != expected; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::cout << when << ":";
    for (const auto& processor : server.processors())
        std::cout << "  kafka-network-thread-0-PLAINTEXT-" << processor->id() << " serves "
                  << processor->connectionCount();
    std::cout << '\n';
}

}  // namespace

int main() {
    kafka::network::SocketServer server(
        kafka::server::KafkaConfig(kafka::common::config::Properties{
            {"listeners", "PLAINTEXT://127.0.0.1:0"}, {"num.network.threads", "3"}}),
        kafka::common::utils::Time::system());
    server.startup();
    std::vector<std::unique_ptr<kafka::test::BrokerClient>> clients;
    for (int i = 0; i < 30; ++i)
        clients.push_back(std::make_unique<kafka::test::BrokerClient>(server.boundPort()));
    show(server, 30, "30 clients connected");
    for (int i = 0; i < 30; i += 3) clients[static_cast<std::size_t>(i)]->close();
    show(server, 20, "clients 1, 4, 7, ... left (all of them on Processor 0)");
    server.shutdown();
    std::cout << "After shutdown, every client sees its connection end: "
              << (clients[1]->closedByPeer() ? "yes" : "no") << '\n';
    return 0;
}
