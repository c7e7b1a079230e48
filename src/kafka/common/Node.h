//@ ch03
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace kafka::common {

/// A broker as the metadata describes it. Bootstrap brokers, known only by address before
/// the first metadata response, get negative ids (-1, -2, ...) so that they never collide
/// with real broker ids.
class Node {
public:
    Node(std::int32_t id, std::string host, std::int32_t port,
         std::optional<std::string> rack = std::nullopt)
        : id_(id), host_(std::move(host)), port_(port), rack_(std::move(rack)) {}

    /// Kafka's Node.noNode(): the answer when there is no broker to name.
    static Node noNode() { return Node(-1, "", -1); }

    std::int32_t id() const { return id_; }
    /// The id as a string: the connection id the network layer uses for this broker.
    std::string idString() const { return std::to_string(id_); }
    const std::string& host() const { return host_; }
    std::int32_t port() const { return port_; }
    const std::optional<std::string>& rack() const { return rack_; }
    bool isEmpty() const { return host_.empty() || port_ < 0; }

    bool operator==(const Node&) const = default;
    //> ch11
    /// By id first: the sender keeps its ready nodes in a std::set (Kafka's Set<Node>).
    auto operator<=>(const Node&) const = default;
    //< ch11
    std::string toString() const {
        return host_ + ":" + std::to_string(port_) + " (id: " + idString() +
               " rack: " + rack_.value_or("null") + ")";
    }

private:
    std::int32_t id_;
    std::string host_;
    std::int32_t port_;
    std::optional<std::string> rack_;
};

inline std::ostream& operator<<(std::ostream& out, const Node& node) {
    return out << node.toString();
}

}  // namespace kafka::common
