// Chapter 12 demo: when is a batch ready? One partition, linger.ms=10, retry.backoff.ms=100,
// on a fake clock; the accumulator is asked after every step.
#include <iostream>
#include <memory>
#include <string>

#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/common/utils/MockTime.h"

using kafka::clients::producer::internals::BufferPool;
using kafka::clients::producer::internals::RecordAccumulator;
using kafka::common::Cluster;
using kafka::common::Node;
using kafka::common::PartitionInfo;
using kafka::common::TopicPartition;
using kafka::common::utils::MockTime;
using kafka::common::utils::toBytes;

int main() {
    auto time = std::make_shared<MockTime>(0);
    RecordAccumulator accumulator({.batchSize = 200, .lingerMs = 10, .retryBackoffMs = 100},
                                  std::make_shared<BufferPool>(64 * 1024, 200, time), time);
    const Node leader(1, "localhost", 9092);
    const Cluster cluster("demo", {leader},
                          {PartitionInfo{"clicks", 0, leader, {leader}, {leader}}});
    const TopicPartition tp{"clicks", 0};

    auto ask = [&](const std::string& what) {
        const auto result = accumulator.ready(cluster, time->milliseconds());
        std::cout << "t=" << time->milliseconds() << " ms  " << what
                  << "\n         ready: " << (result.readyNodes.empty() ? "no" : "node 1");
        if (result.readyNodes.empty() &&
            result.nextReadyCheckDelayMs != std::numeric_limits<std::int64_t>::max())
            std::cout << ", look again in " << result.nextReadyCheckDelayMs << " ms";
        std::cout << '\n';
    };
    auto append = [&](const std::string& value) {
        const auto now = time->milliseconds();
        accumulator.append(tp, now, std::nullopt, toBytes(value), {}, nullptr, 0, false, now);
    };
    auto drainAll = [&] {
        return accumulator.drain(cluster, {leader}, 1 << 20, time->milliseconds())[1];
    };

    append("a");
    ask("a record starts a batch");
    time->sleep(9);
    append("b");
    ask("another record joins it: linger counts from the batch's creation");
    time->sleep(1);
    ask("linger.ms has passed");
    drainAll();

    for (int i = 0; accumulator.batches(tp).size() < 2; ++i) append("record " + std::to_string(i));
    ask("enough records to fill a 200-byte batch and start another");
    drainAll();

    append("c");
    accumulator.beginFlush();
    ask("flush() began");

    const auto sent = drainAll();
    accumulator.reenqueue(sent.at(0), time->milliseconds());
    ask("the broker said 'try again': the batch is back at the head, attempt 1");
    time->sleep(100);
    ask("retry.backoff.ms has passed");
    return 0;
}
