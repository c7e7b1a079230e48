//@ ch30
#pragma once

#include "kafka/common/errors/Exceptions.h"

namespace kafka::common::errors {

/// A batch whose framing is sound but breaks a rule of the request it came in (INVALID_RECORD):
/// more than one batch for a partition in a Produce v3+ request, or none.
class InvalidRecordException : public ApiException {
public:
    using ApiException::ApiException;
};

}  // namespace kafka::common::errors
