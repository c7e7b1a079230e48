// Chapter 20 demo: order within a partition. Three batches wait for partition t-0. With
// max.in.flight.requests.per.connection=1 the sender mutes the partition while one of its
// batches is in flight, so they go one by one; with 5, all three go at once. The network is
// MockClient, the test double, so every step can be shown.
#include <iostream>
#include <memory>
#include <string>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/common/utils/MockTime.h"
#include "support/MockClient.h"
#include "support/TestUtils.h"

using namespace kafka;
using clients::producer::internals::BufferPool;
using clients::producer::internals::RecordAccumulator;
using clients::producer::internals::Sender;
using common::requests::ProduceResponse;

namespace {

void run(bool guaranteeMessageOrder) {
    auto time = std::make_shared<common::utils::MockTime>();
    auto pool = std::make_shared<BufferPool>(64 * 1024, 64, time);
    auto accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{.batchSize = 64, .lingerMs = 0, .retryBackoffMs = 100}, pool,
        time);
    auto metadata = std::make_shared<clients::Metadata>(100, 300'000, 300'000, time);
    metadata->update(test::singletonCluster("t", 1), time->milliseconds());
    auto client = std::make_shared<test::MockClient>();
    Sender sender(client, metadata, accumulator,
                  {.guaranteeMessageOrder = guaranteeMessageOrder, .acks = 1}, time);
    const common::TopicPartition tp{"t", 0};
    for (const std::string name : {"A", "B", "C"})  // each fills a 64-byte batch of its own
        accumulator->append(tp, time->milliseconds(), std::nullopt,
                            common::utils::toBytes(name + std::string(60, '.')), {}, nullptr, 0,
                            false, time->milliseconds());

    std::cout << (guaranteeMessageOrder ? "max.in.flight.requests.per.connection=1 (muting)\n"
                                        : "max.in.flight.requests.per.connection=5\n");
    // The broker is slow: the sender loops three times before any answer comes.
    for (int loop = 1; loop <= 3; ++loop) {
        sender.runOnce();
        std::cout << "  sender loop " << loop << ": " << client->inFlightRequestCount()
                  << " request(s) in flight; t-0 "
                  << (accumulator->isMuted(tp) ? "muted" : "not muted") << "; "
                  << accumulator->batches(tp).size() << " batch(es) waiting\n";
    }
    // Then it answers whatever is in flight, until everything is acknowledged.
    std::int64_t offset = 0;
    int loops = 3;
    while (offset < 3) {
        while (client->inFlightRequestCount() > 0)
            client->respond({{tp, ProduceResponse::PartitionResponse{.baseOffset = offset++}}});
        sender.runOnce();
        ++loops;
    }
    std::cout << "  all 3 batches acknowledged after " << loops << " sender loops\n";
    std::cout << '\n';
}

}  // namespace

int main() {
    run(true);
    run(false);
    std::cout << "One request at a time keeps a retried batch ahead of the next (chapter 23); "
                 "several at a time go faster, and need idempotence to keep the order.\n";
    return 0;
}
