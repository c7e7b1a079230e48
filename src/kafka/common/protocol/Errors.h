//@ ch11
#pragma once

#include <cstdint>
#include <string>

namespace kafka::common::protocol {

/// Kafka's error codes, as responses carry them (Kafka's Errors). 0 is success; each code has
/// a name that logs and messages use, so that "error 6" reads NOT_LEADER_OR_FOLLOWER.
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
    kInvalidTopicException = 17,
    kRecordListTooLarge = 18,
    kNotEnoughReplicas = 19,
    kNotEnoughReplicasAfterAppend = 20,
    kInvalidRequiredAcks = 21,
    kTopicAuthorizationFailed = 29,
    kUnsupportedVersion = 35,
    kInvalidRequest = 42,
    kUnsupportedForMessageFormat = 43,
    kKafkaStorageError = 56,
    kFencedLeaderEpoch = 74,
    kUnknownLeaderEpoch = 75,
    kInvalidRecord = 87,
};

/// The error's name as Kafka spells it, or "UNKNOWN_ERROR_CODE(n)".
std::string errorName(std::int16_t code);

//> ch23 error-kinds
/// A later attempt may succeed (Kafka's RetriableException family): the partition moved, an
/// election is under way, too few replicas are in sync, the connection broke.
bool isRetriable(std::int16_t code);
/// The error says the client's metadata is wrong (Kafka's InvalidMetadataException family):
/// whatever becomes of the batch, the metadata needs a refresh.
bool isInvalidMetadata(std::int16_t code);
//< ch23 error-kinds

}  // namespace kafka::common::protocol
