// Chapter 21: what an answer does. Each partition's result completes its batch; record i of
// the batch gets the base offset plus i; with LogAppendTime every record carries the broker's
// timestamp; the callbacks run once each, in the order the records were appended; and a
// partition that the answer forgot fails rather than waits forever.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/common/utils/MockTime.h"
#include "support/MockClient.h"
#include "support/TestUtils.h"

namespace kafka::clients::producer {
namespace {

using common::TopicPartition;
using common::requests::ProduceResponse;
using common::utils::MockTime;
using common::utils::toBytes;
using internals::BufferPool;
using internals::RecordAccumulator;
using internals::Sender;

class Responses : public ::testing::Test {
protected:
    Responses() {
        metadata->update(test::singletonCluster("t", 2), time->milliseconds());
        sender = std::make_unique<Sender>(client, metadata, accumulator,
                                          Sender::Settings{.acks = 1}, time);
    }

    RecordMetadataFuture append(const TopicPartition& tp, const std::string& value,
                                Callback callback = nullptr) {
        const auto now = time->milliseconds();
        return *accumulator
                    ->append(tp, now, std::nullopt, toBytes(value), {}, std::move(callback), 0,
                             false, now)
                    .future;
    }

    std::shared_ptr<MockTime> time = std::make_shared<MockTime>();
    std::shared_ptr<BufferPool> pool = std::make_shared<BufferPool>(64 * 1024, 1024, time);
    std::shared_ptr<RecordAccumulator> accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{.batchSize = 1024, .lingerMs = 0, .retryBackoffMs = 100}, pool,
        time);
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<test::MockClient> client = std::make_shared<test::MockClient>();
    std::unique_ptr<Sender> sender;
    const TopicPartition tp0{"t", 0}, tp1{"t", 1};
};

TEST_F(Responses, EachRecordGetsTheBaseOffsetPlusItsIndexAndCallbacksRunOnceInOrder) {
    std::vector<std::string> calls;
    std::vector<RecordMetadataFuture> futures;
    for (const std::string value : {"a", "b", "c"})
        futures.push_back(
            append(tp0, value, [&calls, value](const RecordMetadata& m, std::exception_ptr) {
                calls.push_back(value + "@" + std::to_string(m.offset()));
            }));
    sender->runOnce();
    client->respond({{tp0, ProduceResponse::PartitionResponse{.baseOffset = 100}}});
    sender->runOnce();
    EXPECT_EQ(calls, (std::vector<std::string>{"a@100", "b@101", "c@102"}));
    EXPECT_EQ(futures[2].get().offset(), 102);
    sender->runOnce();
    EXPECT_EQ(calls.size(), 3u) << "once each";
}

TEST_F(Responses, WithLogAppendTimeEveryRecordCarriesTheBrokersClock) {
    auto own = append(tp0, "mine");
    auto stamped = append(tp1, "theirs");
    const std::int64_t appendedAt = time->milliseconds();
    sender->runOnce();
    client->respond(
        {{tp0, ProduceResponse::PartitionResponse{.baseOffset = 5}},
         {tp1, ProduceResponse::PartitionResponse{.baseOffset = 9, .logAppendTime = 1'234}}});
    sender->runOnce();
    EXPECT_EQ(own.get().timestamp(), appendedAt) << "CreateTime: the record's own";
    EXPECT_EQ(stamped.get().timestamp(), 1'234) << "LogAppendTime: the broker's";
}

TEST_F(Responses, APartitionTheAnswerForgotFailsInsteadOfWaiting) {
    auto answered = append(tp0, "a");
    auto forgotten = append(tp1, "b");
    sender->runOnce();
    client->respond({{tp0, ProduceResponse::PartitionResponse{.baseOffset = 0}}});
    sender->runOnce();
    EXPECT_EQ(answered.get().offset(), 0);
    EXPECT_NE(test::outcomeOf(forgotten).find("UNKNOWN_SERVER_ERROR"), std::string::npos)
        << test::outcomeOf(forgotten);
}

// A bug this test guards against: a callback that throws ended the loop over the answer's
// partitions: t-1's batch, stored by the broker, then waited for delivery.timeout.ms and failed.
TEST_F(Responses, ACallbackThatThrowsDoesNotStrandTheOtherPartitionsOfTheAnswer) {
    auto throwing = append(tp0, "a", [](const RecordMetadata&, std::exception_ptr) {
        throw std::runtime_error("a bug in the application's callback");
    });
    auto other = append(tp1, "b");
    sender->runOnce();
    client->respond({{tp0, ProduceResponse::PartitionResponse{.baseOffset = 5}},
                     {tp1, ProduceResponse::PartitionResponse{.baseOffset = 9}}});
    EXPECT_NO_THROW(sender->runOnce()) << "the application's exception stays in the callback";
    ASSERT_TRUE(other.isDone());
    EXPECT_EQ(other.get().offset(), 9);
    EXPECT_EQ(throwing.get().offset(), 5) << "its own future completes too";
    EXPECT_EQ(pool->availableMemory(), pool->totalMemory());
}

}  // namespace
}  // namespace kafka::clients::producer
