//@ ch02
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>

#include "kafka/common/utils/Time.h"

namespace kafka::clients::producer::internals {

/// The body of the producer's only thread, "kafka-producer-network-thread | <client.id>".
/// Everything that touches the network happens here, so that send() never waits for a broker.
///
/// In this stage the loop has nothing to send yet: it sleeps until woken and stops when asked.
/// Chapter 11 fills in the real loop (ready, drain, send, poll); its shape, the lifecycle of
/// run/wakeup/initiateClose/forceClose, is already Kafka's.
class Sender {
public:
    explicit Sender(std::shared_ptr<common::utils::Time> time);

    /// The thread's body: loops until closed. Returns when the thread should end.
    void run();
    /// Interrupts the current wait so that the loop looks at its work again; cheap, and
    /// safe from any thread.
    void wakeup();
    /// Graceful close: finish what has been accepted, then stop.
    void initiateClose();
    /// Forced close: stop now, failing what has not been sent.
    void forceClose();
    bool isRunning() const;
    /// How many times the loop has run: lets tests see that a wakeup was noticed.
    std::int64_t loopCount() const;

private:
    void runOnce();

    std::shared_ptr<common::utils::Time> time_;
    mutable std::mutex mutex_;
    std::condition_variable wakeupCondition_;
    bool running_ = true;
    bool wakeupPending_ = false;
    std::int64_t loops_ = 0;
};

}  // namespace kafka::clients::producer::internals
