// Chapter 19 demo: one frame arriving in pieces, its size prefix split too; and a "size" that
// cannot be right.
#include <iostream>
#include <span>
#include <string>
#include <vector>

#include "kafka/common/network/InvalidReceiveException.h"
#include "kafka/common/network/KafkaChannel.h"

using kafka::common::network::InvalidReceiveException;
using kafka::common::network::KafkaChannel;
using kafka::common::network::NetworkReceive;

int main() {
    const std::string payload = "a produce response";
    std::vector<std::uint8_t> frame = {0, 0, 0, static_cast<std::uint8_t>(payload.size())};
    frame.insert(frame.end(), payload.begin(), payload.end());

    KafkaChannel channel("1", NetworkReceive::kUnlimited);
    const std::span<const std::uint8_t> bytes(frame);
    std::size_t offset = 0;
    for (std::size_t piece : {2, 5, 7, 8}) {  // how much each read happens to return
        const auto received = channel.read(bytes.subspan(offset, piece));
        offset += piece;
        std::cout << "read of " << piece << " bytes (" << offset << " of " << frame.size() << "): ";
        if (received.empty())
            std::cout << "no complete frame yet"
                      << (channel.hasPartialReceive() ? ", part kept" : "") << '\n';
        for (const auto& receive : received)
            std::cout << "complete: \""
                      << std::string(receive.payload().begin(), receive.payload().end()) << "\"\n";
    }

    std::cout << "\nAn HTTP client on a broker's port sends \"GET / HTTP/1.1\":\n";
    KafkaChannel broker("client-7", 100 * 1024 * 1024);  // socket.request.max.bytes
    const std::string http = "GET / HTTP/1.1\r\n";
    try {
        broker.read(std::vector<std::uint8_t>(http.begin(), http.end()));
    } catch (const InvalidReceiveException& e) {
        std::cout << e.what() << ": the broker closes that connection, and only that one.\n";
    }
    return 0;
}
