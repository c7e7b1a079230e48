//@ ch23
#pragma once

// The exception class of every error code this course knows (Kafka has one file per class in
// org.apache.kafka.common.errors; here each is one line, so that the whole hierarchy reads at a
// glance). The class each one extends is the point: a RetriableException may succeed when
// tried again, an InvalidMetadataException also says that the client's metadata is stale, and
// anything else is final. protocol::exception() turns an error code into one of these.
//
//   KafkaException
//   └── ApiException                      final: MESSAGE_TOO_LARGE, INVALID_RECORD, ...
//       └── RetriableException            NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT, ...
//           └── InvalidMetadataException  NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, ...

#include <string>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/protocol/Errors.h"

namespace kafka::common::errors {

//> ch23 invalid-metadata-and-one-class-per-code
/// The client's view of the cluster is out of date: the leader moved, the topic is not known
/// yet, the connection broke. Retriable, after a metadata refresh.
class InvalidMetadataException : public RetriableException {
public:
    using RetriableException::RetriableException;
};

/// The exception of one error code: `Base` is the class it extends, `kError` the code it
/// carries (and that a broker answers with when it throws one).
template <typename Base, protocol::Errors kError>
class ApiExceptionFor : public Base {
public:
    explicit ApiExceptionFor(const std::string& message) : Base(kError, message) {}
};
//< ch23 invalid-metadata-and-one-class-per-code

using protocol::Errors;

//> ch23 exceptions-by-kind
// Stale metadata: refresh it, then try again.
using UnknownTopicOrPartitionException =
    ApiExceptionFor<InvalidMetadataException, Errors::kUnknownTopicOrPartition>;
using LeaderNotAvailableException =
    ApiExceptionFor<InvalidMetadataException, Errors::kLeaderNotAvailable>;
using NotLeaderOrFollowerException =
    ApiExceptionFor<InvalidMetadataException, Errors::kNotLeaderOrFollower>;
using ReplicaNotAvailableException =
    ApiExceptionFor<InvalidMetadataException, Errors::kReplicaNotAvailable>;
using NetworkException = ApiExceptionFor<InvalidMetadataException, Errors::kNetworkException>;
using KafkaStorageException = ApiExceptionFor<InvalidMetadataException, Errors::kKafkaStorageError>;
using FencedLeaderEpochException =
    ApiExceptionFor<InvalidMetadataException, Errors::kFencedLeaderEpoch>;

// Retriable as they are: the same request may succeed in a moment.
using NotEnoughReplicasException = ApiExceptionFor<RetriableException, Errors::kNotEnoughReplicas>;
using NotEnoughReplicasAfterAppendException =
    ApiExceptionFor<RetriableException, Errors::kNotEnoughReplicasAfterAppend>;
using UnknownLeaderEpochException =
    ApiExceptionFor<RetriableException, Errors::kUnknownLeaderEpoch>;

// Final: sending the same bytes again would fail the same way.
using UnknownServerException = ApiExceptionFor<ApiException, Errors::kUnknownServerError>;
using OffsetOutOfRangeException = ApiExceptionFor<ApiException, Errors::kOffsetOutOfRange>;
using InvalidFetchSizeException = ApiExceptionFor<ApiException, Errors::kInvalidFetchSize>;
using BrokerNotAvailableException = ApiExceptionFor<ApiException, Errors::kBrokerNotAvailable>;
using RecordBatchTooLargeException = ApiExceptionFor<ApiException, Errors::kRecordListTooLarge>;
using InvalidRequiredAcksException = ApiExceptionFor<ApiException, Errors::kInvalidRequiredAcks>;
using TopicAuthorizationException =
    ApiExceptionFor<ApiException, Errors::kTopicAuthorizationFailed>;
using ClusterAuthorizationException =
    ApiExceptionFor<ApiException, Errors::kClusterAuthorizationFailed>;
using InvalidTimestampException = ApiExceptionFor<ApiException, Errors::kInvalidTimestamp>;
using InvalidRequestException = ApiExceptionFor<ApiException, Errors::kInvalidRequest>;
using UnsupportedForMessageFormatException =
    ApiExceptionFor<ApiException, Errors::kUnsupportedForMessageFormat>;
using UnsupportedCompressionTypeException =
    ApiExceptionFor<ApiException, Errors::kUnsupportedCompressionType>;
using InvalidRecordException = ApiExceptionFor<ApiException, Errors::kInvalidRecord>;
//< ch23 exceptions-by-kind

//> ch36 idempotence-exceptions
// The idempotent producer's (chapter 36). Finding a coordinator's state can take a moment:
// retriable. A gap or a repeat in a partition's sequence numbers is not something the same
// bytes could fix, so those are final as exceptions; the TransactionManager decides, from the
// sequences it knows, whether the batch goes again (under a new epoch) or fails.
using CoordinatorLoadInProgressException =
    ApiExceptionFor<RetriableException, Errors::kCoordinatorLoadInProgress>;
using CoordinatorNotAvailableException =
    ApiExceptionFor<RetriableException, Errors::kCoordinatorNotAvailable>;
using NotCoordinatorException = ApiExceptionFor<RetriableException, Errors::kNotCoordinator>;
/// Kafka's UnknownProducerIdException extends OutOfOrderSequenceException; both are handled
/// by name in the TransactionManager, so here each is its own class.
using OutOfOrderSequenceException =
    ApiExceptionFor<ApiException, Errors::kOutOfOrderSequenceNumber>;
using UnknownProducerIdException = ApiExceptionFor<ApiException, Errors::kUnknownProducerId>;
using DuplicateSequenceException = ApiExceptionFor<ApiException, Errors::kDuplicateSequenceNumber>;
using InvalidProducerEpochException = ApiExceptionFor<ApiException, Errors::kInvalidProducerEpoch>;
using InvalidPidMappingException = ApiExceptionFor<ApiException, Errors::kInvalidProducerIdMapping>;
using ProducerFencedException = ApiExceptionFor<ApiException, Errors::kProducerFenced>;
//< ch36 idempotence-exceptions

}  // namespace kafka::common::errors
