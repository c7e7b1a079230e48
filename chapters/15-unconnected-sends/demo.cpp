// Chapter 15 demo: a producer's view of a broker that is not there. The client may not send
// before the connection exists; it connects, fails, and waits before trying again, twice as
// long each time (reconnect.backoff.ms=50 up to reconnect.backoff.max.ms=1000, ±20% jitter),
// until the broker answers. The schedule is ClusterConnectionStates' own, on a fake clock.
#include <iomanip>
#include <iostream>

#include "kafka/clients/ClusterConnectionStates.h"
#include "kafka/common/utils/MockTime.h"

int main() {
    kafka::common::utils::MockTime time;
    kafka::clients::ClusterConnectionStates states(
        {.reconnectBackoffMs = 50, .reconnectBackoffMaxMs = 1000});
    const std::string node = "1";
    std::cout << "Broker 1 is down for the first 3 seconds; the client keeps trying.\n\n"
              << "   time (ms)   event\n";
    const std::int64_t start = time.milliseconds();
    int attempt = 0;
    while (true) {
        // The Sender asks ready(node) on every loop; a connection starts only when allowed.
        if (!states.canConnect(node, time.milliseconds())) {
            time.sleep(states.connectionDelay(node, time.milliseconds()));
            continue;
        }
        ++attempt;
        states.connecting(node, time.milliseconds());
        std::cout << std::setw(10) << time.milliseconds() - start << "   attempt " << attempt
                  << ": connecting";
        time.sleep(2);  // the connect completes (or is refused) a moment later
        if (time.milliseconds() - start < 3000) {
            states.disconnected(node, time.milliseconds());
            std::cout << " ... refused; next try in " << states.reconnectBackoffMs(node) << " ms\n";
        } else {
            states.ready(node);
            std::cout << " ... connected: requests may be sent (the backoff starts over)\n";
            break;
        }
    }
    std::cout << "\n"
              << attempt << " attempts in " << time.milliseconds() - start
              << " ms: the waits doubled up to reconnect.backoff.max.ms, each spread by "
                 "jitter so that many clients do not come back at the same instant.\n";
    return 0;
}
