//@ ch29
#pragma once

#include "kafka/common/errors/Exceptions.h"

namespace kafka::common::errors {

/// A request that cannot be handled as it is: an unknown API, a body that does not parse
/// (INVALID_REQUEST). Like Kafka, which has a file per exception class, the broker's errors
/// each have a header of their own: Exceptions.h, which nearly every file includes, stays as
/// the producer's chapters left it, and the producer's objects need not compile again.
class InvalidRequestException : public ApiException {
public:
    using ApiException::ApiException;
};

}  // namespace kafka::common::errors
