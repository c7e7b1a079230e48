// Chapter 3 demo: metadata versions and refresh timing, on a fake clock.
#include <iostream>
#include <thread>

#include "kafka/clients/Metadata.h"
#include "kafka/common/utils/MockTime.h"

using namespace kafka::clients;
using namespace kafka::common;

int main() {
    auto time = std::make_shared<utils::MockTime>(0);
    Metadata metadata(/*retry.backoff.ms=*/100, /*metadata.max.age.ms=*/300000,
                      /*metadata.max.idle.ms=*/300000, time);
    metadata.update(Cluster::bootstrap({{"localhost", 9092}}), 0);
    std::cout << "t=0      bootstrap cluster, version " << metadata.version()
              << "; next refresh in " << metadata.timeToNextUpdate(0) << " ms (max age)\n";

    time->setCurrentTimeMs(50);
    const int seen = metadata.requestUpdate();
    std::cout << "t=50     send() asks for a refresh: next refresh in "
              << metadata.timeToNextUpdate(50) << " ms (retry.backoff.ms since the last one)\n";

    std::thread waiter([&] {
        metadata.awaitUpdate(seen, 60000);
        std::cout << "         the waiting send() wakes up: version is now " << metadata.version()
                  << "\n";
    });
    time->setCurrentTimeMs(150);
    const Node broker(1, "localhost", 9092);
    metadata.update(std::make_shared<Cluster>(
                        "demo", std::vector<Node>{broker},
                        std::vector<PartitionInfo>{{"orders", 0, broker, {broker}, {broker}},
                                                   {"orders", 1, broker, {broker}, {broker}}}),
                    150);
    std::cout << "t=150    the I/O thread stores a new cluster: 'orders' has "
              << *metadata.fetch()->partitionCountForTopic("orders") << " partitions\n";
    waiter.join();
    std::cout << "t=150    next refresh in " << metadata.timeToNextUpdate(150) << " ms\n";
    return 0;
}
