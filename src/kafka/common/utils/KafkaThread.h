//@ ch02
#pragma once

#include <functional>
#include <string>
#include <thread>

namespace kafka::common::utils {

/// A named thread (Kafka's KafkaThread). The name shows up in debuggers and `top -H`; Linux
/// keeps only its first 15 characters, so the full name is also kept here.
class KafkaThread {
public:
    KafkaThread(std::string name, std::function<void()> body);
    ~KafkaThread();
    KafkaThread(const KafkaThread&) = delete;
    KafkaThread& operator=(const KafkaThread&) = delete;

    const std::string& name() const { return name_; }
    bool joinable() const { return thread_.joinable(); }
    void join();

private:
    std::string name_;
    std::thread thread_;
};

}  // namespace kafka::common::utils
