//@ ch02
#include "kafka/common/utils/KafkaThread.h"

#include <pthread.h>

#include <exception>

#include "kafka/common/utils/LogContext.h"

namespace kafka::common::utils {

KafkaThread::KafkaThread(std::string name, std::function<void()> body)
    : name_(std::move(name)), thread_([name = name_, body = std::move(body)] {
          // Java logs an exception that ends a thread (Kafka's KafkaThread sets a handler for
          // it); in C++ it would call std::terminate and end the whole process.
          try {
              body();
          } catch (const std::exception& e) {
              LogContext()
                  .logger("KafkaThread")
                  .error("Uncaught exception in thread '{}': {}", name, e.what());
          } catch (...) {
              LogContext().logger("KafkaThread").error("Uncaught exception in thread '{}'", name);
          }
      }) {
    constexpr std::size_t kLinuxNameLimit = 15;
    pthread_setname_np(thread_.native_handle(), name_.substr(0, kLinuxNameLimit).c_str());
}

KafkaThread::~KafkaThread() {
    // Destroyed by its own body (a producer dropped in one of its callbacks): the body goes on
    // to its end with what it owns, and nobody is left to join it.
    if (thread_.joinable() && isCurrentThread())
        thread_.detach();
    else
        join();
}

void KafkaThread::join() {
    if (thread_.joinable() && !isCurrentThread()) thread_.join();
}

}  // namespace kafka::common::utils
