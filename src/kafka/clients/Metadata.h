//@ ch03
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "kafka/common/Cluster.h"
#include "kafka/common/utils/Time.h"

namespace kafka::clients {

/// What the producer knows about the cluster, and when it should ask again.
///
/// Two threads share it. The I/O thread refreshes it (update, failedUpdate) when
/// `timeToNextUpdate` says so; the threads calling send() read the current Cluster (fetch),
/// ask for a refresh (requestUpdate) when a topic is missing, and wait for a newer version
/// (awaitUpdate). The version number is how a waiter knows "newer than what I saw".
class Metadata {
public:
    /// `refreshBackoffMs` (retry.backoff.ms) spaces refreshes out; `metadataExpireMs`
    /// (metadata.max.age.ms) refreshes even when nothing went wrong; `topicIdleMs`
    /// (metadata.max.idle.ms) forgets topics nobody has produced to for that long.
    Metadata(std::int64_t refreshBackoffMs, std::int64_t metadataExpireMs, std::int64_t topicIdleMs,
             std::shared_ptr<common::utils::Time> time);

    /// The current snapshot. Cheap; never blocks on a refresh.
    std::shared_ptr<const common::Cluster> fetch() const;

    /// Asks for a refresh as soon as the backoff allows, and returns the current version.
    int requestUpdate();
    bool updateRequested() const;

    /// Blocks until the version is newer than `lastVersion`. Throws TimeoutException when
    /// `maxWaitMs` pass first, and IllegalArgumentException for a negative wait.
    void awaitUpdate(int lastVersion, std::int64_t maxWaitMs);

    /// A new snapshot arrived: bump the version, clear the request, wake the waiters.
    void update(std::shared_ptr<const common::Cluster> cluster, std::int64_t nowMs);
    /// A refresh failed: remember when, so that the backoff applies before the next one.
    void failedUpdate(std::int64_t nowMs);

    /// Milliseconds until a refresh is due: 0 when one was requested (or the data is older
    /// than metadata.max.age.ms), but never before retry.backoff.ms since the last attempt.
    std::int64_t timeToNextUpdate(std::int64_t nowMs) const;

    /// The producer will need this topic: keep it in the metadata requests.
    void add(const std::string& topic, std::int64_t nowMs);
    bool containsTopic(const std::string& topic) const;
    std::set<std::string> topics() const;

    int version() const;
    std::int64_t lastSuccessfulUpdate() const;
    std::int64_t refreshBackoffMs() const { return refreshBackoffMs_; }

private:
    const std::int64_t refreshBackoffMs_;
    const std::int64_t metadataExpireMs_;
    const std::int64_t topicIdleMs_;
    std::shared_ptr<common::utils::Time> time_;

    mutable std::mutex mutex_;
    std::condition_variable updated_;
    std::shared_ptr<const common::Cluster> cluster_;
    int version_ = 0;
    bool needUpdate_ = false;
    std::int64_t lastRefreshMs_ = 0;
    std::int64_t lastSuccessfulRefreshMs_ = 0;
    std::map<std::string, std::int64_t> topicLastUsedMs_;
};

}  // namespace kafka::clients
