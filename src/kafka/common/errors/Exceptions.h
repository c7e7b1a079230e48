//@ ch01
#pragma once

// Kafka's exception hierarchy, kept small. What matters to the producer is a property of the
// type: an ApiException is reported through the future and the callback of send(); anything
// else is thrown to the caller. A RetriableException may succeed if tried again (chapter 23).

#include <stdexcept>
#include <string>

namespace kafka::common::errors {

/// The root of Kafka's own errors (org.apache.kafka.common.KafkaException).
class KafkaException : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// An error the protocol can name; send() reports these through the future, not by throwing.
class ApiException : public KafkaException {
public:
    using KafkaException::KafkaException;
};

/// An ApiException that may go away if the operation is tried again.
class RetriableException : public ApiException {
public:
    using ApiException::ApiException;
};

/// Waiting for metadata, for memory or for a response took longer than allowed.
class TimeoutException : public RetriableException {
public:
    using RetriableException::RetriableException;
};

/// A record larger than max.request.size or buffer.memory (or than the broker accepts).
class RecordTooLargeException : public ApiException {
public:
    using ApiException::ApiException;
};

/// A topic name that is empty, too long or has characters Kafka does not allow.
class InvalidTopicException : public ApiException {
public:
    using ApiException::ApiException;
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
    using ApiException::ApiException;
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
