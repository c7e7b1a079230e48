//@ ch02
#include "kafka/common/utils/MockTime.h"

#include <chrono>

namespace kafka::common::utils {

bool MockTime::waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& condition,
                         std::int64_t deadlineMs, const std::function<bool()>& done) {
    // Nobody signals the condition when the fake clock moves, so look at it often.
    while (!done()) {
        if (milliseconds() >= deadlineMs) return false;
        condition.wait_for(lock, std::chrono::milliseconds(1));
    }
    return true;
}

}  // namespace kafka::common::utils
