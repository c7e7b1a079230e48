//@ ch16
#pragma once

// An address where a TCP connection is never set up: a listener on 127.0.0.1 whose queue of
// connections waiting to be accepted is full (one connection, never accepted, fills a backlog
// of 0). The kernel drops the SYN of any further connect, so it stays "in progress" until the
// client gives up: the loopback twin of a firewall that drops packets.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "kafka/common/Node.h"

namespace kafka::test {

class Blackhole {
public:
    Blackhole() {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (listener_ < 0 ||
            ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
            ::listen(listener_, 0) != 0 ||
            ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            throw std::runtime_error("Blackhole: cannot listen on 127.0.0.1");
        port_ = ntohs(address.sin_port);
        filler_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (::connect(filler_, reinterpret_cast<sockaddr*>(&address), length) != 0)
            throw std::runtime_error("Blackhole: cannot fill the accept queue");
    }
    ~Blackhole() {
        ::close(filler_);
        ::close(listener_);
    }
    Blackhole(const Blackhole&) = delete;
    Blackhole& operator=(const Blackhole&) = delete;

    common::Node node(std::int32_t id) const { return {id, "127.0.0.1", port_}; }

private:
    int listener_ = -1;
    int filler_ = -1;
    int port_ = 0;
};

}  // namespace kafka::test
