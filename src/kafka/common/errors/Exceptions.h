//@ ch01
#pragma once

// Kafka's exception hierarchy, kept small. What matters to the producer is a property of the
// type: an ApiException is reported through the future and the callback of send(); anything
// else is thrown to the caller. A RetriableException may succeed if tried again (chapter 23
// gives every error code of the protocol its class, in ApiExceptions.h).

#include <stdexcept>
#include <string>

#include "kafka/common/protocol/Errors.h"

namespace kafka::common::errors {

/// The root of Kafka's own errors (org.apache.kafka.common.KafkaException).
class KafkaException : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// An error the protocol can name; send() reports these through the future, not by throwing.
/// It knows its error code, so that a broker can answer with it and a client can tell which
/// error it got without parsing a message (Kafka's `Errors.forException`).
class ApiException : public KafkaException {
public:
    /// An error the broker could not classify (UNKNOWN_SERVER_ERROR).
    explicit ApiException(const std::string& message)
        : ApiException(protocol::Errors::kUnknownServerError, message) {}
    ApiException(protocol::Errors error, const std::string& message)
        : KafkaException(message), error_(error) {}

    protocol::Errors error() const { return error_; }

private:
    protocol::Errors error_;
};

/// An ApiException that may go away if the operation is tried again.
class RetriableException : public ApiException {
public:
    using ApiException::ApiException;
};

/// Waiting for metadata, for memory or for a response took longer than allowed
/// (REQUEST_TIMED_OUT when a broker says it).
class TimeoutException : public RetriableException {
public:
    explicit TimeoutException(const std::string& message)
        : RetriableException(protocol::Errors::kRequestTimedOut, message) {}
};

/// A record larger than max.request.size or buffer.memory, or than the broker accepts
/// (MESSAGE_TOO_LARGE).
class RecordTooLargeException : public ApiException {
public:
    explicit RecordTooLargeException(const std::string& message)
        : ApiException(protocol::Errors::kMessageTooLarge, message) {}
};

/// A topic name that is empty, too long or has characters Kafka does not allow
/// (INVALID_TOPIC_EXCEPTION).
class InvalidTopicException : public ApiException {
public:
    explicit InvalidTopicException(const std::string& message)
        : ApiException(protocol::Errors::kInvalidTopicException, message) {}
};

/// A key or value its serializer could not turn into bytes; thrown, not reported.
class SerializationException : public KafkaException {
public:
    using KafkaException::KafkaException;
};

//> ch02
/// A configuration value that is missing, of the wrong type or out of range; names the key.
class ConfigException : public KafkaException {
public:
    using KafkaException::KafkaException;
};
//< ch02

//> ch14
/// Bytes from the network that do not parse as the message they should be: a length or a
/// count past the end, a negative size (Kafka's SchemaException). The connection they came
/// on is closed; the others go on.
class SchemaException : public KafkaException {
public:
    using KafkaException::KafkaException;
};

//< ch14
//> ch16
/// The broker does not speak any version of an API that this client speaks (Kafka's
/// UnsupportedVersionException).
class UnsupportedVersionException : public ApiException {
public:
    explicit UnsupportedVersionException(const std::string& message)
        : ApiException(protocol::Errors::kUnsupportedVersion, message) {}
};

//< ch16
/// Java's IllegalArgumentException: the caller passed something that can never work.
class IllegalArgumentException : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// Java's IllegalStateException: the call is fine, but not now (e.g. send after close).
class IllegalStateException : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

}  // namespace kafka::common::errors
