//@ ch14
#pragma once

#include "kafka/common/errors/Exceptions.h"

namespace kafka::common::network {

/// A frame's size prefix that cannot be right: negative, or larger than the receiver accepts
/// (the broker's socket.request.max.bytes). The connection it came on is closed; nothing on
/// it can be trusted any more, since the next frame's start is unknown.
class InvalidReceiveException : public errors::KafkaException {
public:
    using KafkaException::KafkaException;
};

}  // namespace kafka::common::network
