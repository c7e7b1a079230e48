//@ ch10
#pragma once

#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients::producer::internals {

/// The BufferPool could not find the memory a batch needs within max.block.ms (chapter 10).
///
/// It is a TimeoutException, so send() reports it through the future and the callback like any
/// other wait that took too long; the distinct type (modern Kafka's, where 0.10 threw a plain
/// TimeoutException) lets a caller tell "the producer is out of memory" from "the broker or the
/// metadata was slow", and its message says how long it waited and for how much.
class BufferExhaustedException : public common::errors::TimeoutException {
public:
    using TimeoutException::TimeoutException;
};

}  // namespace kafka::clients::producer::internals
