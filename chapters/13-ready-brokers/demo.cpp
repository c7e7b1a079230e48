// Chapter 13 demo: the sender picks the brokers to send to. Three partitions: t-0 led by
// node 1, t-1 by node 2 (which the client cannot reach yet), t-2 without a leader.
#include <iostream>
#include <limits>
#include <memory>

#include "kafka/clients/KafkaClient.h"
#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/common/utils/MockTime.h"

using namespace kafka;
using clients::producer::internals::BufferPool;
using clients::producer::internals::RecordAccumulator;
using clients::producer::internals::Sender;
using common::Node;

namespace {

// Ready for node 1 only; node 2 is in its reconnect backoff for 250 ms more. Says what it is
// asked; sends nothing anywhere.
class NarratingClient final : public clients::KafkaClient {
public:
    bool isReady(const Node& node, std::int64_t) override { return node.id() == 1; }
    bool ready(const Node& node, std::int64_t now) override {
        const bool ready = isReady(node, now);
        std::cout << "  client.ready(node " << node.id() << ") -> "
                  << (ready ? "yes" : "no, connecting") << '\n';
        return ready;
    }
    std::int64_t connectionDelay(const Node& node, std::int64_t) override {
        return node.id() == 1 ? 0 : 250;
    }
    void send(clients::ClientRequest request, std::int64_t) override {
        std::cout << "  client.send(produce request to node " << request.destination << ")\n";
    }
    std::vector<clients::ClientResponse> poll(std::int64_t timeoutMs, std::int64_t) override {
        std::cout << "  client.poll(timeout " << timeoutMs << " ms)\n";
        return {};
    }
    int inFlightRequestCount() const override { return 0; }
    void wakeup() override {}
    void close() override {}
};

}  // namespace

int main() {
    auto time = std::make_shared<common::utils::MockTime>(0);
    const Node one(1, "localhost", 9092);
    const Node two(2, "localhost", 9093);
    auto metadata = std::make_shared<clients::Metadata>(100, 300'000, 300'000, time);
    metadata->update(std::make_shared<common::Cluster>(
                         "demo", std::vector<Node>{one, two},
                         std::vector<common::PartitionInfo>{{"t", 0, one, {one}, {one}},
                                                            {"t", 1, two, {two}, {two}},
                                                            {"t", 2, std::nullopt, {one}, {one}}}),
                     0);
    auto accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{.batchSize = 1024, .lingerMs = 0, .retryBackoffMs = 100},
        std::make_shared<BufferPool>(1 << 20, 1024, time), time);
    Sender sender(std::make_shared<NarratingClient>(), metadata, accumulator, {.acks = 1}, time);

    for (int p = 0; p < 3; ++p)
        accumulator->append({"t", p}, 0, std::nullopt, common::utils::toBytes("v"), {}, nullptr, 0,
                            false, 0);
    std::cout << "one record each for t-0, t-1, t-2; the accumulator says:\n";
    const auto ready = accumulator->ready(*metadata->fetch(), 0);
    for (const auto& node : ready.readyNodes) std::cout << "  ready: node " << node.id() << '\n';
    for (const auto& topic : ready.unknownLeaderTopics)
        std::cout << "  no leader known for a partition of " << topic << '\n';

    std::cout << "one pass of the sender's loop:\n";
    sender.runOnce();
    std::cout << "afterwards: metadata update requested: "
              << (metadata->updateRequested() ? "yes" : "no") << "; still queued: t-1 "
              << accumulator->batches({"t", 1}).size() << " batch, t-2 "
              << accumulator->batches({"t", 2}).size() << " batch\n";
    return 0;
}
