// Chapter 23: every error code has its exception class, and the class decides: retriable or
// final, stale metadata or not. A failed batch completes with the error's own exception and
// the broker's message, so a callback can tell the kinds apart by type, as in Java.
#include <gtest/gtest.h>

#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/protocol/Errors.h"
#include "kafka/common/record/CorruptRecordException.h"
#include "kafka/common/utils/MockTime.h"
#include "support/MockClient.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::protocol::Errors;
using common::requests::ProduceResponse;
namespace errors = common::errors;

// The exception an error code turns into, thrown again so that a test can catch it by type.
[[noreturn]] void rethrow(Errors error, const std::optional<std::string>& message = {}) {
    std::rethrow_exception(common::protocol::exception(error, message));
}

TEST(ExceptionHierarchy, EachErrorBecomesTheClassKafkaNamesForIt) {
    EXPECT_THROW(rethrow(Errors::kNotLeaderOrFollower), errors::NotLeaderOrFollowerException);
    EXPECT_THROW(rethrow(Errors::kUnknownTopicOrPartition),
                 errors::UnknownTopicOrPartitionException);
    EXPECT_THROW(rethrow(Errors::kMessageTooLarge), errors::RecordTooLargeException);
    EXPECT_THROW(rethrow(Errors::kRequestTimedOut), errors::TimeoutException);
    EXPECT_THROW(rethrow(Errors::kCorruptMessage), common::record::CorruptRecordException);
    EXPECT_THROW(rethrow(Errors::kInvalidRecord), errors::InvalidRecordException);
    EXPECT_THROW(rethrow(Errors::kNotEnoughReplicas), errors::NotEnoughReplicasException);
    EXPECT_THROW(rethrow(Errors::kTopicAuthorizationFailed), errors::TopicAuthorizationException);
    EXPECT_EQ(common::protocol::exception(Errors::kNone), nullptr) << "NONE is not an error";
}

TEST(ExceptionHierarchy, TheClassSaysWhetherARetryMayHelp) {
    // Stale metadata: retriable, and the metadata needs a refresh.
    for (auto error : {Errors::kNotLeaderOrFollower, Errors::kUnknownTopicOrPartition,
                       Errors::kLeaderNotAvailable, Errors::kNetworkException,
                       Errors::kKafkaStorageError, Errors::kFencedLeaderEpoch}) {
        EXPECT_THROW(rethrow(error), errors::InvalidMetadataException) << error;
        EXPECT_TRUE(common::protocol::isRetriable(error)) << error;
        EXPECT_TRUE(common::protocol::isInvalidMetadata(error)) << error;
    }
    // Retriable as they are.
    for (auto error :
         {Errors::kNotEnoughReplicas, Errors::kNotEnoughReplicasAfterAppend,
          Errors::kRequestTimedOut, Errors::kCorruptMessage, Errors::kUnknownLeaderEpoch}) {
        EXPECT_TRUE(common::protocol::isRetriable(error)) << error;
        EXPECT_FALSE(common::protocol::isInvalidMetadata(error)) << error;
    }
    // Final.
    for (auto error :
         {Errors::kMessageTooLarge, Errors::kInvalidRecord, Errors::kRecordListTooLarge,
          Errors::kTopicAuthorizationFailed, Errors::kInvalidRequiredAcks,
          Errors::kUnknownServerError, Errors::kUnsupportedVersion}) {
        EXPECT_FALSE(common::protocol::isRetriable(error)) << error;
        EXPECT_THROW(rethrow(error), errors::ApiException) << error;
    }
}

// A bug this test guards against: REPLICA_NOT_AVAILABLE treated as final; in Kafka its exception
// extends InvalidMetadataException: the replica is on its way, and fresh metadata says where.
TEST(ExceptionHierarchy, ReplicaNotAvailableIsStaleMetadataAsInKafka) {
    EXPECT_THROW(rethrow(Errors::kReplicaNotAvailable), errors::InvalidMetadataException);
    EXPECT_TRUE(common::protocol::isRetriable(Errors::kReplicaNotAvailable));
    EXPECT_TRUE(common::protocol::isInvalidMetadata(Errors::kReplicaNotAvailable));
}

TEST(ExceptionHierarchy, AnExceptionKnowsItsErrorAndCarriesTheBrokersMessage) {
    try {
        rethrow(Errors::kInvalidRecord, "Compacted topic cannot accept message without key");
    } catch (const errors::ApiException& e) {
        EXPECT_EQ(e.error(), Errors::kInvalidRecord);
        EXPECT_STREQ(e.what(), "Compacted topic cannot accept message without key");
    }
    try {
        rethrow(Errors::kNotLeaderOrFollower);  // no message: a default that says what it is
    } catch (const errors::ApiException& e) {
        EXPECT_EQ(e.error(), Errors::kNotLeaderOrFollower);
        EXPECT_NE(std::string(e.what()).find("leader"), std::string::npos) << e.what();
    }
}

TEST(ExceptionHierarchy, ACodeThisCourseDoesNotKnowIsAnUnknownServerErrorThatNamesIt) {
    const auto unknown = static_cast<Errors>(999);
    EXPECT_EQ(common::protocol::errorName(unknown), "UNKNOWN_ERROR_CODE(999)");
    try {
        rethrow(unknown);
    } catch (const errors::UnknownServerException& e) {
        EXPECT_NE(std::string(e.what()).find("999"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(common::protocol::isRetriable(unknown));
}

// Through the Sender: what a callback receives for a final error, and for a retriable one
// whose retries ran out.
class FailedBatches : public ::testing::Test {
protected:
    void SetUp() override {
        metadata->update(test::singletonCluster("t", 1), time->milliseconds());
    }

    std::exception_ptr outcomeOfOneBatch(ProduceResponse::PartitionResponse answer) {
        std::exception_ptr seen;
        const auto now = time->milliseconds();
        accumulator->append(
            tp, now, std::nullopt, common::utils::toBytes("v"), {},
            [&seen](const RecordMetadata&, std::exception_ptr error) { seen = error; }, 0, false,
            now);
        sender.runOnce();
        client->respond({{tp, answer}});
        sender.runOnce();
        return seen;
    }

    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>();
    std::shared_ptr<internals::RecordAccumulator> accumulator =
        std::make_shared<internals::RecordAccumulator>(
            internals::RecordAccumulator::Settings{.batchSize = 1024},
            std::make_shared<internals::BufferPool>(64 * 1024, 1024, time), time);
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<test::MockClient> client = std::make_shared<test::MockClient>();
    internals::Sender sender{client, metadata, accumulator, {.acks = 1, .retries = 0}, time};
    const common::TopicPartition tp{"t", 0};
};

TEST_F(FailedBatches, ACallbackTellsAFinalErrorByItsType) {
    const auto error = outcomeOfOneBatch(
        {.error = Errors::kMessageTooLarge, .errorMessage = "batch of 2000000 bytes"});
    ASSERT_NE(error, nullptr);
    try {
        std::rethrow_exception(error);
    } catch (const errors::RetriableException&) {
        FAIL() << "MESSAGE_TOO_LARGE is not retriable";
    } catch (const errors::RecordTooLargeException& e) {
        EXPECT_EQ(e.error(), Errors::kMessageTooLarge);
        // The broker's words travel with it, and so does the partition.
        EXPECT_NE(std::string(e.what()).find("batch of 2000000 bytes"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("t-0"), std::string::npos) << e.what();
    }
}

TEST_F(FailedBatches, ARetriableErrorWithNoRetriesLeftStaysRetriableByType) {
    const auto error = outcomeOfOneBatch({.error = Errors::kNotEnoughReplicas});
    ASSERT_NE(error, nullptr);
    EXPECT_THROW(std::rethrow_exception(error), errors::NotEnoughReplicasException);
    EXPECT_THROW(std::rethrow_exception(error), errors::RetriableException);
}

}  // namespace
}  // namespace kafka::clients::producer
