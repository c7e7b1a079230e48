//@ ch31
#pragma once

#include <string>
#include <vector>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/requests/ProduceResponse.h"

namespace kafka::log {

/// A batch refused because of some of its records (Kafka's RecordValidationException): the
/// error the partition gets (INVALID_TIMESTAMP, INVALID_RECORD), and which records were at
/// fault, for the Produce response's record_errors.
class RecordValidationException : public common::errors::ApiException {
public:
    using RecordError = common::requests::ProduceResponse::RecordError;

    RecordValidationException(common::protocol::Errors error, const std::string& message,
                              std::vector<RecordError> recordErrors)
        : ApiException(error, message), recordErrors_(std::move(recordErrors)) {}

    const std::vector<RecordError>& recordErrors() const { return recordErrors_; }

private:
    std::vector<RecordError> recordErrors_;
};

}  // namespace kafka::log
