//@ ch11
#include "kafka/common/protocol/Errors.h"

namespace kafka::common::protocol {

std::string errorName(std::int16_t code) {
    switch (static_cast<Errors>(code)) {
        case Errors::kUnknownServerError:
            return "UNKNOWN_SERVER_ERROR";
        case Errors::kNone:
            return "NONE";
        case Errors::kOffsetOutOfRange:
            return "OFFSET_OUT_OF_RANGE";
        case Errors::kCorruptMessage:
            return "CORRUPT_MESSAGE";
        case Errors::kUnknownTopicOrPartition:
            return "UNKNOWN_TOPIC_OR_PARTITION";
        case Errors::kInvalidFetchSize:
            return "INVALID_FETCH_SIZE";
        case Errors::kLeaderNotAvailable:
            return "LEADER_NOT_AVAILABLE";
        case Errors::kNotLeaderOrFollower:
            return "NOT_LEADER_OR_FOLLOWER";
        case Errors::kRequestTimedOut:
            return "REQUEST_TIMED_OUT";
        case Errors::kBrokerNotAvailable:
            return "BROKER_NOT_AVAILABLE";
        case Errors::kReplicaNotAvailable:
            return "REPLICA_NOT_AVAILABLE";
        case Errors::kMessageTooLarge:
            return "MESSAGE_TOO_LARGE";
        case Errors::kNetworkException:
            return "NETWORK_EXCEPTION";
        case Errors::kInvalidTopicException:
            return "INVALID_TOPIC_EXCEPTION";
        case Errors::kRecordListTooLarge:
            return "RECORD_LIST_TOO_LARGE";
        case Errors::kNotEnoughReplicas:
            return "NOT_ENOUGH_REPLICAS";
        case Errors::kNotEnoughReplicasAfterAppend:
            return "NOT_ENOUGH_REPLICAS_AFTER_APPEND";
        case Errors::kInvalidRequiredAcks:
            return "INVALID_REQUIRED_ACKS";
        case Errors::kTopicAuthorizationFailed:
            return "TOPIC_AUTHORIZATION_FAILED";
        case Errors::kUnsupportedVersion:
            return "UNSUPPORTED_VERSION";
        case Errors::kInvalidRequest:
            return "INVALID_REQUEST";
        case Errors::kUnsupportedForMessageFormat:
            return "UNSUPPORTED_FOR_MESSAGE_FORMAT";
        case Errors::kKafkaStorageError:
            return "KAFKA_STORAGE_ERROR";
        case Errors::kFencedLeaderEpoch:
            return "FENCED_LEADER_EPOCH";
        case Errors::kUnknownLeaderEpoch:
            return "UNKNOWN_LEADER_EPOCH";
        case Errors::kInvalidRecord:
            return "INVALID_RECORD";
    }
    return "UNKNOWN_ERROR_CODE(" + std::to_string(code) + ")";
}

//> ch23 error-kinds
bool isRetriable(std::int16_t code) {
    switch (static_cast<Errors>(code)) {
        case Errors::kCorruptMessage:           // damaged on the way
        case Errors::kUnknownTopicOrPartition:  // not created yet, or not known here yet
        case Errors::kLeaderNotAvailable:       // an election is under way
        case Errors::kNotLeaderOrFollower:      // the leader moved
        case Errors::kRequestTimedOut:          // acks=all took too long
        case Errors::kNetworkException:         // the connection broke (a disconnect)
        case Errors::kNotEnoughReplicas:
        case Errors::kNotEnoughReplicasAfterAppend:
        case Errors::kKafkaStorageError:  // a disk failed; another replica may lead soon
        case Errors::kFencedLeaderEpoch:
        case Errors::kUnknownLeaderEpoch:
            return true;
        default:
            return false;
    }
}

bool isInvalidMetadata(std::int16_t code) {
    switch (static_cast<Errors>(code)) {
        case Errors::kUnknownTopicOrPartition:
        case Errors::kLeaderNotAvailable:
        case Errors::kNotLeaderOrFollower:
        case Errors::kNetworkException:
        case Errors::kKafkaStorageError:
        case Errors::kFencedLeaderEpoch:
        case Errors::kUnknownLeaderEpoch:
            return true;
        default:
            return false;
    }
}
//< ch23 error-kinds

}  // namespace kafka::common::protocol
