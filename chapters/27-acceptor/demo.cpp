// Chapter 27 demo: the Acceptor deals connections to the Processors in turn. Seven clients
// connect, one after the other, to a broker with three network threads.
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "kafka/common/utils/Time.h"
#include "kafka/network/SocketServer.h"
#include "kafka/server/KafkaConfig.h"
#include "support/BrokerClient.h"

int main() {
    kafka::network::SocketServer server(
        kafka::server::KafkaConfig(kafka::common::config::Properties{
            {"listeners", "PLAINTEXT://127.0.0.1:0"}, {"num.network.threads", "3"}}),
        kafka::common::utils::Time::system());
    server.startup();
    std::cout << "Listening on 127.0.0.1:" << server.boundPort()
              << " (port 0 asked the system for a free one), 3 Processors.\n\n";
    auto accepted = [&] {
        std::size_t total = 0;
        for (const auto& processor : server.processors()) total += processor->acceptedCount();
        return total;
    };
    std::vector<std::unique_ptr<kafka::test::BrokerClient>> clients;
    for (int i = 1; i <= 7; ++i) {
        clients.push_back(std::make_unique<kafka::test::BrokerClient>(server.boundPort()));
        while (accepted() < clients.size())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::cout << "client " << i << " connected; connections per Processor:";
        for (const auto& processor : server.processors())
            std::cout << "  P" << processor->id() << "=" << processor->acceptedCount();
        std::cout << '\n';
    }
    kafka::network::SocketServer second(
        kafka::server::KafkaConfig(kafka::common::config::Properties{
            {"listeners", "PLAINTEXT://127.0.0.1:" + std::to_string(server.boundPort())}}),
        kafka::common::utils::Time::system());
    try {
        second.startup();
    } catch (const std::exception& e) {
        std::cout << "\nA second broker on the same port does not start: " << e.what() << '\n';
    }
    return 0;
}
