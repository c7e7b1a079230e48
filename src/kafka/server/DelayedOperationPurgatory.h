//@ ch30
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <vector>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/utils/KafkaThread.h"
#include "kafka/common/utils/LogContext.h"
#include "kafka/server/DelayedOperation.h"
//> ch35
#include "kafka/server/util/timer/SystemTimer.h"
//< ch35

namespace kafka::server {

/// Where operations wait (Kafka's DelayedOperationPurgatory). A consumer at the end of a log
/// asks "give me min.bytes, but wait up to max.wait.ms for them": answering at once with
/// nothing would have it ask again straight away, thousands of times a second. A fetch that
/// found too little is parked here, watched under each partition it reads (Kafka's
/// TopicPartitionOperationKey), and tried again when a produce appends to one of them, on
/// that produce's thread; a reaper thread completes whatever reaches its deadline first.
///
/// No lock of the purgatory is held while an operation runs: a produce to one partition
/// tries the fetches watching that partition, and no other.
//> ch35
///
/// Deadlines are kept in a SystemTimer, a hierarchical timing wheel: adding an operation and
/// cancelling it (it completed early, as most do) cost O(1), where a heap of deadlines costs
/// O(log n) and cannot remove an operation at all before its deadline. The reaper only
/// advances the timer's clock; the timer's executor runs the operations that expire.
//< ch35
class DelayedOperationPurgatory {
public:
    /// `name` names the reaper thread: "ExpirationReaper-<name>".
    explicit DelayedOperationPurgatory(const std::string& name);
    ~DelayedOperationPurgatory();
    DelayedOperationPurgatory(const DelayedOperationPurgatory&) = delete;
    DelayedOperationPurgatory& operator=(const DelayedOperationPurgatory&) = delete;

    /// Tries `operation`; if it cannot complete yet, watches it under every key, and hands it
    /// to the reaper for its deadline. Returns true if it completed now.
    bool tryCompleteElseWatch(const std::shared_ptr<DelayedOperation>& operation,
                              const std::vector<common::TopicPartition>& keys);

    /// Something changed for `key` (a produce appended to it): tries the operations watching
    /// it, on the calling thread. Returns how many completed.
    int checkAndComplete(const common::TopicPartition& key);

    /// Operations watched and not yet completed (Kafka's NumDelayedOperations).
    std::size_t numDelayed() const;
    /// Keys with at least one operation watching them.
    std::size_t watchedKeys() const;

    /// Completes every operation still waiting, as at its deadline, and stops the reaper.
    void shutdown();

private:
    // The operations watching one key. An operation is removed from it once completed.
    struct Watchers {
        std::mutex mutex;
        std::list<std::shared_ptr<DelayedOperation>> operations;
    };
    /*> ch30-35
    // The reaper's queue: the earliest deadline on top.
    struct ByDeadline {
        bool operator()(const std::shared_ptr<DelayedOperation>& a,
                        const std::shared_ptr<DelayedOperation>& b) const {
            return a->deadline() > b->deadline();
        }
    };
    */

    void watch(const common::TopicPartition& key,
               const std::shared_ptr<DelayedOperation>& operation);
    using WatchersByKey = std::map<common::TopicPartition, std::shared_ptr<Watchers>>;

    template <typename Completion>
    bool logFailure(const char* when, Completion complete);
    bool tryCompleteGuarded(DelayedOperation& operation);
    void expire(DelayedOperation& operation);
    WatchersByKey::iterator sweep(WatchersByKey::iterator it);
    void removeCompleted(const common::TopicPartition& key);
    // Returns the operations left in the watchers, an operation watching two keys twice.
    std::size_t purgeCompleted();
    void expireOperations();
    //> ch35
    void advanceClock(std::int64_t timeoutMs);
    void expireWatched();
    //< ch35

    static constexpr std::size_t kPurgeInterval = 1000;
    //> ch35
    // How long the reaper waits for the timer at a time, as in Kafka: it looks at the purge
    // count, and at a shutdown, at least this often.
    static constexpr std::int64_t kReaperWaitMs = 200;
    //< ch35

    // Guards the map only, held for a lookup or an insertion; a key's Watchers has its own.
    // Order: watchersMutex_ before a Watchers' mutex, never the other way round.
    mutable std::mutex watchersMutex_;
    WatchersByKey watchersByKey_;

    const common::utils::Logger log_ =
        common::utils::LogContext().logger("DelayedOperationPurgatory");
    /*> ch30-35
    mutable std::mutex timeoutMutex_;
    std::condition_variable timeoutChanged_;
    std::priority_queue<std::shared_ptr<DelayedOperation>,
                        std::vector<std::shared_ptr<DelayedOperation>>, ByDeadline>
        timeouts_;
    bool running_ = true;
    */
    //> ch35
    std::unique_ptr<util::timer::SystemTimer> timeoutTimer_;
    // Operations watched since the last purge, completed or not (Kafka's
    // estimatedTotalOperations): when it exceeds those still waiting by kPurgeInterval, the
    // completed ones are swept out of the watchers.
    std::atomic<std::int64_t> estimatedTotalOperations_ = 0;
    std::atomic<bool> running_ = true;
    //< ch35
    std::unique_ptr<common::utils::KafkaThread> reaper_;
};

}  // namespace kafka::server
