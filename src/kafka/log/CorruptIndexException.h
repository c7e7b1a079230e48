//@ ch34
#pragma once

#include "kafka/common/errors/Exceptions.h"

namespace kafka::log {

/// An index file that cannot be right (Kafka's CorruptIndexException): the log rebuilds it
/// from its segment's batches instead of trusting it.
class CorruptIndexException : public common::errors::KafkaException {
public:
    using KafkaException::KafkaException;
};

}  // namespace kafka::log
