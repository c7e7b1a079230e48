//@ ch02
#include "kafka/common/utils/MockTime.h"

#include <chrono>
#include <thread>

namespace kafka::common::utils {

//> ch02 wait-until
bool MockTime::waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& condition,
                         std::int64_t deadlineMs, const std::function<bool()>& done) {
    // Nobody signals the condition when the fake clock moves, so look at it often.
    ++waiters_;
    bool finished = done();
    while (!finished && milliseconds() < deadlineMs) {
        condition.wait_for(lock, std::chrono::milliseconds(1));
        finished = done();
    }
    --waiters_;
    return finished;
}

void MockTime::awaitWaiters(int count) const {
    while (waiters_.load() < count) std::this_thread::yield();
}
//< ch02 wait-until

}  // namespace kafka::common::utils
