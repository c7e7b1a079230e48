//@ ch37
#pragma once

#include "kafka/common/errors/Exceptions.h"

namespace kafka::log {

/// A producer snapshot that cannot be right (Kafka's CorruptSnapshotException): a wrong
/// version, a short file, a CRC that does not match. The log deletes it and rebuilds the
/// producers' state from its batches instead.
class CorruptSnapshotException : public common::errors::KafkaException {
public:
    using KafkaException::KafkaException;
};

}  // namespace kafka::log
