//@ ch02
#pragma once

#include <functional>
#include <string>
#include <thread>

namespace kafka::common::utils {

/// A named thread (Kafka's KafkaThread). The name shows up in debuggers and `top -H`; Linux
/// keeps only its first 15 characters, so the full name is also kept here. Destroying it joins
/// the thread, except from the thread itself: then it is detached, and ends on its own.
/// join() is for one thread at a time (its owner's); the owner serialises it.
class KafkaThread {
public:
    KafkaThread(std::string name, std::function<void()> body);
    ~KafkaThread();
    KafkaThread(const KafkaThread&) = delete;
    KafkaThread& operator=(const KafkaThread&) = delete;

    const std::string& name() const { return name_; }
    bool joinable() const { return thread_.joinable(); }
    /// Waits for the thread to end; does nothing if it has been joined, or if it is the calling
    /// thread (a thread cannot wait for itself).
    void join();
    /// The caller is this thread (a producer's callback, say, runs on its I/O thread).
    bool isCurrentThread() const { return thread_.get_id() == std::this_thread::get_id(); }

private:
    std::string name_;
    std::thread thread_;
};

}  // namespace kafka::common::utils
