//@ ch30
#include "kafka/server/DelayedFetch.h"

#include <algorithm>

namespace kafka::server {

DelayedFetch::DelayedFetch(std::int64_t maxWaitMs, std::int32_t minBytes,
                           std::map<common::TopicPartition, PartitionStatus> partitions,
                           std::shared_ptr<const log::LogManager> logs,
                           std::function<void()> respond)
    : DelayedOperation(maxWaitMs),
      minBytes_(minBytes),
      partitions_(std::move(partitions)),
      logs_(std::move(logs)),
      respond_(std::move(respond)) {}

//> ch30 delayed-fetch
bool DelayedFetch::tryComplete() {
    std::int64_t accumulatedSize = 0;
    for (const auto& [tp, status] : partitions_) {
        const auto log = logs_->getLog(tp);
        if (!log) return forceComplete();  // the partition is gone: an error to report now
        try {
            accumulatedSize +=
                std::min<std::int64_t>(log->bytesAfter(status.fetchOffset), status.maxBytes);
        } catch (const std::exception&) {
            return forceComplete();  // the offset is out of range now: the read will say so
        }
    }
    return accumulatedSize >= minBytes_ && forceComplete();
}

void DelayedFetch::onComplete() {
    // The read happens here, once; then the response (and the request it holds) is let go,
    // though this operation may stay queued for its deadline a while longer.
    auto respond = std::move(respond_);
    respond_ = nullptr;
    respond();
}
//< ch30 delayed-fetch

}  // namespace kafka::server
