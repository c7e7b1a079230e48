//@ ch15
#pragma once

// A NetworkClient on a fake clock with real sockets, for the network chapters' tests: metadata
// that names the given brokers and stays fresh (no refresh unless a test asks), and helpers
// that poll until something happens, within a bound that turns a bug into a failure.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <vector>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/NetworkClient.h"
#include "kafka/common/Cluster.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/utils/MockTime.h"
#include "support/FakeBroker.h"

namespace kafka::test {

using clients::ClientRequest;
using clients::ClientResponse;
using clients::Metadata;
using clients::NetworkClient;
using common::Node;

inline const common::utils::Bytes kRecords{1, 2, 3};  // the broker here does not look inside

inline FakeReply answerProduce(const FakeRequest& request) {
    if (FakeBroker::acksOf(request) == 0) return {};  // as a broker does: no answer at all
    return {FakeBroker::produceBody(request.header.apiVersion, "t", 0, 0, 42), {}, false};
}

struct NetworkClientFixture {
    explicit NetworkClientFixture(std::vector<Node> nodes) {
        // Metadata that is fresh for five minutes: no refresh gets in the way unless asked.
        metadata->update(std::make_shared<const common::Cluster>(
                             std::nullopt, std::move(nodes), std::vector<common::PartitionInfo>{}),
                         time->milliseconds());
    }

    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>();
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    NetworkClient client{
        std::make_unique<common::network::Selector>(), metadata,
        NetworkClient::Settings{
            .clientId = "test",
            .maxInFlightRequestsPerConnection = 5,
            .connectionStates = {.reconnectBackoffMs = 50, .reconnectBackoffMaxMs = 1000},
            .requestTimeoutMs = 30'000},
        time};
    std::vector<ClientResponse> responses;

    /// Polls until `done()` or ten seconds of real time (a failure, not a hang).
    bool pollUntil(const std::function<bool()>& done) {
        const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!done()) {
            if (std::chrono::steady_clock::now() > giveUp) return false;
            for (auto& response : client.poll(20, time->milliseconds()))
                responses.push_back(std::move(response));
        }
        return true;
    }
    /// Polls for `ms` of real time, for what must not happen.
    void pollFor(int ms) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        pollUntil([&] { return std::chrono::steady_clock::now() > end; });
    }
    bool awaitReady(const Node& node) {
        return pollUntil([&] { return client.ready(node, time->milliseconds()); });
    }

    ClientRequest produce(const Node& node, std::int16_t acks, int* completions) {
        ClientRequest request;
        request.destination = node.idString();
        request.request = std::make_shared<common::requests::ProduceRequest>(
            acks, 30'000,
            std::map<common::TopicPartition, std::span<const std::uint8_t>>{{{"t", 0}, kRecords}});
        request.expectResponse = acks != 0;
        request.createdTimeMs = time->milliseconds();
        request.callback = [completions](const ClientResponse&) { ++*completions; };
        return request;
    }
};

}  // namespace kafka::test
