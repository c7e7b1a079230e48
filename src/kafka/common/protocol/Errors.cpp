//@ ch11
#include "kafka/common/protocol/Errors.h"

#include <ostream>

//> ch23
#include <memory>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/CorruptRecordException.h"
//< ch23

namespace kafka::common::protocol {

std::string errorName(Errors error) {
    switch (error) {
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
        case Errors::kClusterAuthorizationFailed:
            return "CLUSTER_AUTHORIZATION_FAILED";
        case Errors::kInvalidTimestamp:
            return "INVALID_TIMESTAMP";
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
        case Errors::kUnsupportedCompressionType:
            return "UNSUPPORTED_COMPRESSION_TYPE";
        case Errors::kInvalidRecord:
            return "INVALID_RECORD";
        //> ch36
        case Errors::kCoordinatorLoadInProgress:
            return "COORDINATOR_LOAD_IN_PROGRESS";
        case Errors::kCoordinatorNotAvailable:
            return "COORDINATOR_NOT_AVAILABLE";
        case Errors::kNotCoordinator:
            return "NOT_COORDINATOR";
        case Errors::kOutOfOrderSequenceNumber:
            return "OUT_OF_ORDER_SEQUENCE_NUMBER";
        case Errors::kDuplicateSequenceNumber:
            return "DUPLICATE_SEQUENCE_NUMBER";
        case Errors::kInvalidProducerEpoch:
            return "INVALID_PRODUCER_EPOCH";
        case Errors::kInvalidProducerIdMapping:
            return "INVALID_PRODUCER_ID_MAPPING";
        case Errors::kUnknownProducerId:
            return "UNKNOWN_PRODUCER_ID";
        case Errors::kProducerFenced:
            return "PRODUCER_FENCED";
            //< ch36
    }
    return "UNKNOWN_ERROR_CODE(" + std::to_string(code(error)) + ")";
}

std::ostream& operator<<(std::ostream& out, Errors error) {
    return out << errorName(error);
}

//> ch23
namespace {

// The exception for `error`, with `message`; null for NONE.
std::exception_ptr exceptionWithMessage(Errors error, const std::string& message) {
    using namespace errors;
    switch (error) {
        case Errors::kNone:
            return nullptr;
        case Errors::kOffsetOutOfRange:
            return std::make_exception_ptr(OffsetOutOfRangeException(message));
        case Errors::kCorruptMessage:
            return std::make_exception_ptr(record::CorruptRecordException(message));
        case Errors::kUnknownTopicOrPartition:
            return std::make_exception_ptr(UnknownTopicOrPartitionException(message));
        case Errors::kInvalidFetchSize:
            return std::make_exception_ptr(InvalidFetchSizeException(message));
        case Errors::kLeaderNotAvailable:
            return std::make_exception_ptr(LeaderNotAvailableException(message));
        case Errors::kNotLeaderOrFollower:
            return std::make_exception_ptr(NotLeaderOrFollowerException(message));
        case Errors::kRequestTimedOut:
            return std::make_exception_ptr(TimeoutException(message));
        case Errors::kBrokerNotAvailable:
            return std::make_exception_ptr(BrokerNotAvailableException(message));
        case Errors::kReplicaNotAvailable:
            return std::make_exception_ptr(ReplicaNotAvailableException(message));
        case Errors::kMessageTooLarge:
            return std::make_exception_ptr(RecordTooLargeException(message));
        case Errors::kNetworkException:
            return std::make_exception_ptr(NetworkException(message));
        case Errors::kInvalidTopicException:
            return std::make_exception_ptr(InvalidTopicException(message));
        case Errors::kRecordListTooLarge:
            return std::make_exception_ptr(RecordBatchTooLargeException(message));
        case Errors::kNotEnoughReplicas:
            return std::make_exception_ptr(NotEnoughReplicasException(message));
        case Errors::kNotEnoughReplicasAfterAppend:
            return std::make_exception_ptr(NotEnoughReplicasAfterAppendException(message));
        case Errors::kInvalidRequiredAcks:
            return std::make_exception_ptr(InvalidRequiredAcksException(message));
        case Errors::kTopicAuthorizationFailed:
            return std::make_exception_ptr(TopicAuthorizationException(message));
        case Errors::kClusterAuthorizationFailed:
            return std::make_exception_ptr(ClusterAuthorizationException(message));
        case Errors::kInvalidTimestamp:
            return std::make_exception_ptr(InvalidTimestampException(message));
        case Errors::kUnsupportedVersion:
            return std::make_exception_ptr(UnsupportedVersionException(message));
        case Errors::kInvalidRequest:
            return std::make_exception_ptr(InvalidRequestException(message));
        case Errors::kUnsupportedForMessageFormat:
            return std::make_exception_ptr(UnsupportedForMessageFormatException(message));
        case Errors::kKafkaStorageError:
            return std::make_exception_ptr(KafkaStorageException(message));
        case Errors::kFencedLeaderEpoch:
            return std::make_exception_ptr(FencedLeaderEpochException(message));
        case Errors::kUnknownLeaderEpoch:
            return std::make_exception_ptr(UnknownLeaderEpochException(message));
        case Errors::kUnsupportedCompressionType:
            return std::make_exception_ptr(UnsupportedCompressionTypeException(message));
        case Errors::kInvalidRecord:
            return std::make_exception_ptr(InvalidRecordException(message));
        //> ch36
        case Errors::kCoordinatorLoadInProgress:
            return std::make_exception_ptr(CoordinatorLoadInProgressException(message));
        case Errors::kCoordinatorNotAvailable:
            return std::make_exception_ptr(CoordinatorNotAvailableException(message));
        case Errors::kNotCoordinator:
            return std::make_exception_ptr(NotCoordinatorException(message));
        case Errors::kOutOfOrderSequenceNumber:
            return std::make_exception_ptr(OutOfOrderSequenceException(message));
        case Errors::kDuplicateSequenceNumber:
            return std::make_exception_ptr(DuplicateSequenceException(message));
        case Errors::kInvalidProducerEpoch:
            return std::make_exception_ptr(InvalidProducerEpochException(message));
        case Errors::kInvalidProducerIdMapping:
            return std::make_exception_ptr(InvalidPidMappingException(message));
        case Errors::kUnknownProducerId:
            return std::make_exception_ptr(UnknownProducerIdException(message));
        case Errors::kProducerFenced:
            return std::make_exception_ptr(ProducerFencedException(message));
        //< ch36
        case Errors::kUnknownServerError:
            break;
    }
    return std::make_exception_ptr(UnknownServerException(message));
}

// What an error means when the broker gave no message of its own.
std::string defaultMessage(Errors error) {
    switch (error) {
        case Errors::kNotLeaderOrFollower:
            return "The broker is not the leader (or a follower) of this partition.";
        case Errors::kUnknownTopicOrPartition:
            return "The broker does not host this topic-partition.";
        case Errors::kLeaderNotAvailable:
            return "The partition has no leader at the moment: an election is under way.";
        case Errors::kNotEnoughReplicas:
            return "Fewer replicas are in sync than min.insync.replicas requires.";
        case Errors::kMessageTooLarge:
            return "The request included a message larger than the broker accepts.";
        case Errors::kNetworkException:
            return "The connection to the broker was lost before its answer came.";
        //> ch36
        case Errors::kOutOfOrderSequenceNumber:
            return "The broker received an out of order sequence number.";
        case Errors::kDuplicateSequenceNumber:
            return "The broker received a duplicate sequence number.";
        case Errors::kUnknownProducerId:
            return "The broker has no state for this producer id.";
        //< ch36
        default:
            break;
    }
    return "The broker answered " + errorName(error) + ".";
}

}  // namespace

std::exception_ptr exception(Errors error, const std::optional<std::string>& message) {
    return exceptionWithMessage(error,
                                message && !message->empty() ? *message : defaultMessage(error));
}

//> ch23 error-kinds
bool isRetriable(Errors error) {
    // Retriable is a property of the exception's class, as in Kafka.
    try {
        if (const auto thrown = exception(error)) std::rethrow_exception(thrown);
    } catch (const errors::RetriableException&) {
        return true;
    } catch (...) {
    }
    return false;
}

bool isInvalidMetadata(Errors error) {
    try {
        if (const auto thrown = exception(error)) std::rethrow_exception(thrown);
    } catch (const errors::InvalidMetadataException&) {
        return true;
    } catch (...) {
    }
    return false;
}
//< ch23 error-kinds
//< ch23

}  // namespace kafka::common::protocol
