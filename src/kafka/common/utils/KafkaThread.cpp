//@ ch02
#include "kafka/common/utils/KafkaThread.h"

#include <pthread.h>

namespace kafka::common::utils {

KafkaThread::KafkaThread(std::string name, std::function<void()> body)
    : name_(std::move(name)), thread_([body = std::move(body)] { body(); }) {
    constexpr std::size_t kLinuxNameLimit = 15;
    pthread_setname_np(thread_.native_handle(), name_.substr(0, kLinuxNameLimit).c_str());
}

KafkaThread::~KafkaThread() {
    join();
}

void KafkaThread::join() {
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

}  // namespace kafka::common::utils
