//@ ch30
#pragma once

#include "kafka/common/errors/Exceptions.h"

namespace kafka::common::errors {

/// A fetch or a lookup for an offset the log does not hold (OFFSET_OUT_OF_RANGE): the
/// consumer resets its position, as auto.offset.reset says.
class OffsetOutOfRangeException : public ApiException {
public:
    using ApiException::ApiException;
};

}  // namespace kafka::common::errors
