//@ ch01
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/header/Header.h"

namespace kafka::clients::producer {

/// One record for the producer to send: the topic it goes to, and optionally the partition,
/// the timestamp, a key, a value and headers. Kafka's ProducerRecord<K, V>, checked the same way
/// when it is made, so that a bad record fails in the caller's hands and not on the I/O thread.
///
/// - No partition: the partitioner chooses (chapter 6), from the key when there is one.
/// - No timestamp: send() stamps the record with the producer's clock (chapter 4).
template <typename K, typename V>
class ProducerRecord {
public:
    //> ch01 record-checks
    ProducerRecord(std::string topic, std::optional<std::int32_t> partition,
                   std::optional<std::int64_t> timestamp, std::optional<K> key,
                   std::optional<V> value, common::header::Headers headers = {})
        : topic_(std::move(topic)),
          partition_(partition),
          timestamp_(timestamp),
          key_(std::move(key)),
          value_(std::move(value)),
          headers_(std::move(headers)) {
        using common::errors::IllegalArgumentException;
        if (topic_.empty())
            throw IllegalArgumentException(
                "Topic cannot be null or empty: every ProducerRecord needs the topic it goes to.");
        if (timestamp_ && *timestamp_ < 0)
            throw IllegalArgumentException("Invalid timestamp: " + std::to_string(*timestamp_) +
                                           ". Timestamp should always be non-negative or null.");
        if (partition_ && *partition_ < 0)
            throw IllegalArgumentException(
                "Invalid partition: " + std::to_string(*partition_) +
                ". Partition number should always be non-negative or null.");
    }
    //< ch01 record-checks

    ProducerRecord(std::string topic, std::optional<std::int32_t> partition, std::optional<K> key,
                   std::optional<V> value)
        : ProducerRecord(std::move(topic), partition, std::nullopt, std::move(key),
                         std::move(value)) {}

    ProducerRecord(std::string topic, std::optional<K> key, std::optional<V> value)
        : ProducerRecord(std::move(topic), std::nullopt, std::nullopt, std::move(key),
                         std::move(value)) {}

    ProducerRecord(std::string topic, std::optional<V> value)
        : ProducerRecord(std::move(topic), std::nullopt, std::nullopt, std::nullopt,
                         std::move(value)) {}

    const std::string& topic() const { return topic_; }
    std::optional<std::int32_t> partition() const { return partition_; }
    std::optional<std::int64_t> timestamp() const { return timestamp_; }
    const std::optional<K>& key() const { return key_; }
    const std::optional<V>& value() const { return value_; }
    const common::header::Headers& headers() const { return headers_; }

private:
    std::string topic_;
    std::optional<std::int32_t> partition_;
    std::optional<std::int64_t> timestamp_;
    std::optional<K> key_;
    std::optional<V> value_;
    common::header::Headers headers_;
};

}  // namespace kafka::clients::producer
