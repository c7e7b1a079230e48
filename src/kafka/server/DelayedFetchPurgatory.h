//@ ch30
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>

#include "kafka/common/utils/KafkaThread.h"

namespace kafka::server {

/// Where fetches wait for data (Kafka's DelayedOperationPurgatory holding DelayedFetch
/// operations). A consumer at the end of a log asks "give me min.bytes, but wait up to
/// max.wait.ms for them": answering at once with nothing would have it ask again straight
/// away, thousands of times a second. A fetch that found too little is parked here and tried
/// again whenever a produce appends something, and once more at its deadline.
class DelayedFetchPurgatory {
public:
    /// Tries to complete the fetch; `expired` is true at its deadline, when it must. Returns
    /// true once it has answered.
    using Operation = std::function<bool(bool expired)>;

    DelayedFetchPurgatory();
    ~DelayedFetchPurgatory();
    DelayedFetchPurgatory(const DelayedFetchPurgatory&) = delete;
    DelayedFetchPurgatory& operator=(const DelayedFetchPurgatory&) = delete;

    /// Parks `operation` (which found too little just now) until new data or `maxWaitMs`.
    void watch(std::int64_t maxWaitMs, Operation operation);
    /// New data arrived: try every parked fetch again.
    void checkAndComplete();
    /// Completes every parked fetch as expired, and stops the reaper thread.
    void shutdown();
    std::size_t size() const;

private:
    using Clock = std::chrono::steady_clock;
    struct Delayed {
        Clock::time_point deadline;
        Operation operation;
    };

    void run();

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::list<Delayed> delayed_;
    bool dataArrived_ = false;
    bool running_ = true;
    std::unique_ptr<common::utils::KafkaThread> reaper_;
};

}  // namespace kafka::server
