//@ ch07
#pragma once

#include "kafka/common/errors/Exceptions.h"

namespace kafka::common::record {

/// Bytes that do not parse as a record batch: a checksum that does not match, a length that
/// points past the end, a count that disagrees with the records present. Kafka files it under
/// org.apache.kafka.common.errors and makes it retriable: the usual cause is a bit flipped on
/// the way (the broker answers CORRUPT_MESSAGE), and sending the batch again fixes that.
class CorruptRecordException : public errors::RetriableException {
public:
    explicit CorruptRecordException(const std::string& message)
        : RetriableException(protocol::Errors::kCorruptMessage, message) {}
};

}  // namespace kafka::common::record
