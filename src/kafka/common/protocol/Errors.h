//@ ch01
#pragma once

#include <cstdint>
//> ch11
#include <iosfwd>
//< ch11
//> ch23
#include <exception>
#include <optional>
//< ch23
#include <string>

namespace kafka::common::protocol {

/// Kafka's error codes, as responses carry them (Kafka's Errors). 0 is success. Each code has
/// a name that logs and messages use, so that "error 6" reads NOT_LEADER_OR_FOLLOWER, and
/// (chapter 23) an exception class, whose place in the hierarchy says whether a retry may help.
enum class Errors : std::int16_t {
    kUnknownServerError = -1,
    kNone = 0,
    kOffsetOutOfRange = 1,
    kCorruptMessage = 2,
    kUnknownTopicOrPartition = 3,
    kInvalidFetchSize = 4,
    kLeaderNotAvailable = 5,
    kNotLeaderOrFollower = 6,
    kRequestTimedOut = 7,
    kBrokerNotAvailable = 8,
    kReplicaNotAvailable = 9,
    kMessageTooLarge = 10,
    kNetworkException = 13,
    //> ch36
    kCoordinatorLoadInProgress = 14,
    kCoordinatorNotAvailable = 15,
    kNotCoordinator = 16,
    //< ch36
    kInvalidTopicException = 17,
    kRecordListTooLarge = 18,
    kNotEnoughReplicas = 19,
    kNotEnoughReplicasAfterAppend = 20,
    kInvalidRequiredAcks = 21,
    kTopicAuthorizationFailed = 29,
    kClusterAuthorizationFailed = 31,
    kInvalidTimestamp = 32,
    kUnsupportedVersion = 35,
    kInvalidRequest = 42,
    kUnsupportedForMessageFormat = 43,
    //> ch36
    kOutOfOrderSequenceNumber = 45,
    kDuplicateSequenceNumber = 46,
    kInvalidProducerEpoch = 47,
    kInvalidProducerIdMapping = 49,
    //< ch36
    kKafkaStorageError = 56,
    //> ch36
    kUnknownProducerId = 59,
    //< ch36
    kFencedLeaderEpoch = 74,
    kUnknownLeaderEpoch = 75,
    kUnsupportedCompressionType = 76,
    kInvalidRecord = 87,
    //> ch36
    kProducerFenced = 90,
    //< ch36
};

/// The number on the wire.
constexpr std::int16_t code(Errors error) {
    return static_cast<std::int16_t>(error);
}

//> ch11
/// The error's name as Kafka spells it, or "UNKNOWN_ERROR_CODE(n)" for a code this course does
/// not know (a newer broker may send one).
std::string errorName(Errors error);
/// Writes the error's name (for logs and test failures).
std::ostream& operator<<(std::ostream& out, Errors error);
//< ch11

//> ch23 error-kinds
/// Kafka's `Errors.exception(message)`: the error as an instance of the exception class Kafka
/// names for it (NotLeaderOrFollowerException for NOT_LEADER_OR_FOLLOWER, ...), carrying the
/// broker's message when it sent one, else Kafka's default text for the error. A code this
/// course does not know becomes an UnknownServerException that names the code. NONE has no
/// exception: the result is null.
std::exception_ptr exception(Errors error, const std::optional<std::string>& message = {});

/// A later attempt may succeed: the error's exception is a RetriableException (the partition
/// moved, an election is under way, too few replicas are in sync, the connection broke).
bool isRetriable(Errors error);
/// The error says the client's metadata is wrong: its exception is an InvalidMetadataException,
/// and whatever becomes of the batch, the metadata needs a refresh.
bool isInvalidMetadata(Errors error);
//< ch23 error-kinds

}  // namespace kafka::common::protocol
