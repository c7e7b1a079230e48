// Chapter 14 demo: one Selector, three brokers at once. The demo starts three tiny echo
// servers on 127.0.0.1, connects to all of them from one thread, sends each a frame, and prints
// what every poll reported, until each answer has come back. Then one server goes away.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "kafka/common/network/NetworkSend.h"
#include "kafka/common/network/Selector.h"

namespace asio = boost::asio;
using asio::ip::tcp;
using kafka::common::network::NetworkSend;
using kafka::common::network::Selector;

namespace {

// Accepts one connection and writes every frame it reads back to it, until the client leaves.
class EchoServer {
public:
    EchoServer() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        thread_ = std::thread([this] {
            tcp::socket socket(io_);
            acceptor_.accept(socket);
            try {
                for (;;) {
                    std::vector<std::uint8_t> frame(4);
                    asio::read(socket, asio::buffer(frame));
                    const std::size_t size = (std::size_t{frame[0]} << 24) | (frame[1] << 16) |
                                             (frame[2] << 8) | frame[3];
                    frame.resize(4 + size);
                    asio::read(socket, asio::buffer(frame.data() + 4, size));
                    asio::write(socket, asio::buffer(frame));
                }
            } catch (const std::exception&) {  // the client closed the connection
            }
        });
    }
    ~EchoServer() { thread_.join(); }
    int port() const { return acceptor_.local_endpoint().port(); }

private:
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::thread thread_;
};

void report(const Selector& selector, int poll) {
    for (const auto& id : selector.connected())
        std::cout << "poll " << poll << ": connected to node " << id << '\n';
    for (const auto& send : selector.completedSends())
        std::cout << "poll " << poll << ": sent " << send.size() << " bytes to node "
                  << send.destination() << '\n';
    for (const auto& receive : selector.completedReceives())
        std::cout << "poll " << poll << ": from node " << receive.source() << ": \""
                  << std::string(receive.payload().begin(), receive.payload().end()) << "\"\n";
    for (const auto& id : selector.disconnected())
        std::cout << "poll " << poll << ": node " << id << " disconnected\n";
}

}  // namespace

int main() {
    std::vector<std::unique_ptr<EchoServer>> brokers;
    for (int i = 0; i < 3; ++i) brokers.push_back(std::make_unique<EchoServer>());

    Selector selector;
    for (int i = 0; i < 3; ++i) {
        const std::string id = std::to_string(i + 1);
        std::cout << "connect(node " << id << ", 127.0.0.1:" << brokers[i]->port() << ")\n";
        selector.connect(id, "127.0.0.1", brokers[i]->port());
    }

    int connected = 0;
    int answers = 0;
    for (int poll = 1; answers < 3 && poll < 100; ++poll) {
        selector.poll(100);
        report(selector, poll);
        for (const auto& id : selector.connected()) {
            ++connected;
            const std::string request = "hello, node " + id;
            selector.send(
                NetworkSend(id, std::vector<std::uint8_t>(request.begin(), request.end())));
        }
        answers += static_cast<int>(selector.completedReceives().size());
    }
    std::cout << connected << " connections, " << answers
              << " answers, all on one thread: nothing ever blocked on one broker.\n";

    std::cout << "closing node 2's connection from our side (not reported as a disconnect)\n";
    selector.close("2");
    selector.poll(0);
    report(selector, 0);
    selector.close();
    return 0;
}
