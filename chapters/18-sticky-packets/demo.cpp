// Chapter 18 demo: three responses glued together in one read come apart into three frames.
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "kafka/common/network/KafkaChannel.h"

using kafka::common::network::KafkaChannel;
using kafka::common::network::NetworkReceive;

int main() {
    std::vector<std::uint8_t> read;  // what one read() from the socket returned
    for (const std::string payload : {"abc", "de", "fghij"}) {
        const auto n = static_cast<std::uint32_t>(payload.size());
        for (int shift = 24; shift >= 0; shift -= 8)
            read.push_back(static_cast<std::uint8_t>(n >> shift));
        read.insert(read.end(), payload.begin(), payload.end());
    }
    std::cout << "one read of " << read.size() << " bytes:";
    for (auto byte : read) {
        if (byte >= 'a' && byte <= 'z')
            std::cout << ' ' << static_cast<char>(byte);
        else
            std::cout << ' ' << std::hex << std::setw(2) << std::setfill('0') << int{byte}
                      << std::dec;
    }
    std::cout << "\n\n";

    KafkaChannel channel("1", NetworkReceive::kUnlimited);
    int n = 0;
    for (const auto& receive : channel.read(read))
        std::cout << "receive " << ++n << ": size prefix says " << receive.payload().size()
                  << ", payload \""
                  << std::string(receive.payload().begin(), receive.payload().end()) << "\"\n";
    std::cout << "\nEach receive took its own 4 + size bytes and left the rest for the next one.\n";
    return 0;
}
