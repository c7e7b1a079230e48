//@ ch03
#include "kafka/clients/Metadata.h"

#include <algorithm>

#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients {

using common::errors::IllegalArgumentException;
using common::errors::TimeoutException;

Metadata::Metadata(std::int64_t refreshBackoffMs, std::int64_t metadataExpireMs,
                   std::int64_t topicIdleMs, std::shared_ptr<common::utils::Time> time)
    : refreshBackoffMs_(refreshBackoffMs),
      metadataExpireMs_(metadataExpireMs),
      topicIdleMs_(topicIdleMs),
      time_(std::move(time)),
      cluster_(common::Cluster::empty()) {}

std::shared_ptr<const common::Cluster> Metadata::fetch() const {
    std::lock_guard lock(mutex_);
    return cluster_;
}

int Metadata::requestUpdate() {
    std::lock_guard lock(mutex_);
    needUpdate_ = true;
    return version_;
}

bool Metadata::updateRequested() const {
    std::lock_guard lock(mutex_);
    return needUpdate_;
}

//> ch03 await-update
void Metadata::awaitUpdate(int lastVersion, std::int64_t maxWaitMs) {
    if (maxWaitMs < 0)
        throw IllegalArgumentException(
            "Max time to wait for metadata updates should not be < 0 "
            "milliseconds");
    const std::int64_t deadlineMs =
        common::utils::Time::deadlineMs(time_->milliseconds(), maxWaitMs);
    std::unique_lock lock(mutex_);
    if (!time_->waitUntil(lock, updated_, deadlineMs, [&] { return version_ > lastVersion; }))
        throw TimeoutException("Failed to update metadata after " + std::to_string(maxWaitMs) +
                               " ms.");
}
//< ch03 await-update

//> ch03 update
void Metadata::update(std::shared_ptr<const common::Cluster> cluster, std::int64_t nowMs) {
    {
        std::lock_guard lock(mutex_);
        needUpdate_ = false;
        lastRefreshMs_ = nowMs;
        lastSuccessfulRefreshMs_ = nowMs;
        ++version_;
        // Forget topics nobody has produced to for metadata.max.idle.ms.
        std::erase_if(topicLastUsedMs_,
                      [&](const auto& entry) { return entry.second + topicIdleMs_ <= nowMs; });
        cluster_ = std::move(cluster);
    }
    updated_.notify_all();
}
//< ch03 update

void Metadata::failedUpdate(std::int64_t nowMs) {
    std::lock_guard lock(mutex_);
    lastRefreshMs_ = nowMs;
}

//> ch03 time-to-next-update
std::int64_t Metadata::timeToNextUpdate(std::int64_t nowMs) const {
    std::lock_guard lock(mutex_);
    const std::int64_t timeToExpire =
        needUpdate_
            ? 0
            : std::max<std::int64_t>(lastSuccessfulRefreshMs_ + metadataExpireMs_ - nowMs, 0);
    const std::int64_t timeToAllowUpdate = lastRefreshMs_ + refreshBackoffMs_ - nowMs;
    return std::max(timeToExpire, timeToAllowUpdate);
}
//< ch03 time-to-next-update

void Metadata::add(const std::string& topic, std::int64_t nowMs) {
    std::lock_guard lock(mutex_);
    topicLastUsedMs_[topic] = nowMs;
}

bool Metadata::containsTopic(const std::string& topic) const {
    std::lock_guard lock(mutex_);
    return topicLastUsedMs_.contains(topic);
}

std::set<std::string> Metadata::topics() const {
    std::lock_guard lock(mutex_);
    std::set<std::string> names;
    for (const auto& [topic, lastUsed] : topicLastUsedMs_) names.insert(topic);
    return names;
}

int Metadata::version() const {
    std::lock_guard lock(mutex_);
    return version_;
}

std::int64_t Metadata::lastSuccessfulUpdate() const {
    std::lock_guard lock(mutex_);
    return lastSuccessfulRefreshMs_;
}

}  // namespace kafka::clients
