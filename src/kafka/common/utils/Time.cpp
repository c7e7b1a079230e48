//@ ch02
#include "kafka/common/utils/Time.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace kafka::common::utils {

std::shared_ptr<Time> Time::system() {
    static const auto systemTime = std::make_shared<SystemTime>();
    return systemTime;
}

std::int64_t SystemTime::milliseconds() const {
    using namespace std::chrono;
    return duration_cast<std::chrono::milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t SystemTime::nanoseconds() const {
    using namespace std::chrono;
    return duration_cast<std::chrono::nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

void SystemTime::sleep(std::int64_t ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

bool SystemTime::waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& condition,
                           std::int64_t deadlineMs, const std::function<bool()>& done) {
    // A deadline of "forever" (Long.MAX_VALUE in Kafka) is waited for a day at a time: the
    // whole span in one wait_for would overflow the clock's nanoseconds and return at once.
    constexpr std::int64_t kLongestWaitMs = 24LL * 60 * 60 * 1000;
    while (!done()) {
        const std::int64_t remaining = deadlineMs - milliseconds();
        if (remaining <= 0) return false;
        condition.wait_for(lock, std::chrono::milliseconds(std::min(remaining, kLongestWaitMs)));
    }
    return true;
}

}  // namespace kafka::common::utils
