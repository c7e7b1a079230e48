// Chapter 4: a batch completes every record's future and callback exactly once, whatever the
// callbacks do. A callback is the application's code running on the producer's own thread: if
// it throws, Kafka (ProducerBatch.completeFutureAndFireCallbacks) logs it and goes on, and so
// do we, so that one bad callback cannot strand the records after it.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "kafka/clients/producer/internals/ProducerBatch.h"
#include "kafka/common/utils/Bytes.h"

namespace kafka::clients::producer {
namespace {

using common::utils::toBytes;
using internals::ProducerBatch;

TEST(Callbacks, AThrowingCallbackDoesNotStopTheOthersNorTheFutures) {
    ProducerBatch batch({"t", 0}, 16 * 1024, 0);
    int ran = 0;
    auto append = [&](const std::string& value, Callback callback) {
        return *batch.tryAppend(0, std::nullopt, toBytes(value), {}, std::move(callback), 0);
    };
    auto first = append("a", [&](const RecordMetadata&, std::exception_ptr) {
        ++ran;
        throw std::runtime_error("a bug in the application's callback");
    });
    auto second = append("b", [&](const RecordMetadata&, std::exception_ptr) { ++ran; });
    auto third = append("c", [&](const RecordMetadata&, std::exception_ptr) {
        ++ran;
        throw 42;  // not even a std::exception
    });
    auto fourth = append("d", [&](const RecordMetadata&, std::exception_ptr) { ++ran; });

    EXPECT_TRUE(batch.done(/*baseOffset=*/7, -1, nullptr));

    EXPECT_EQ(ran, 4) << "every callback ran once";
    ASSERT_TRUE(first.isDone() && second.isDone() && third.isDone() && fourth.isDone());
    EXPECT_EQ(first.get().offset(), 7);
    EXPECT_EQ(fourth.get().offset(), 10);
    EXPECT_FALSE(batch.done(7, -1, nullptr)) << "and only once";
    EXPECT_EQ(ran, 4);
}

TEST(Callbacks, AThrowingCallbackOnAFailedBatchStillCompletesEveryFuture) {
    ProducerBatch batch({"t", 0}, 16 * 1024, 0);
    int ran = 0;
    auto throwing = [&](const RecordMetadata&, std::exception_ptr error) {
        ++ran;
        std::rethrow_exception(error);  // a callback that "handles" errors by rethrowing
    };
    auto first = *batch.tryAppend(0, std::nullopt, toBytes("a"), {}, throwing, 0);
    auto second = *batch.tryAppend(0, std::nullopt, toBytes("b"), {}, throwing, 0);

    EXPECT_TRUE(batch.done(-1, -1, std::make_exception_ptr(std::runtime_error("broker said no"))));

    EXPECT_EQ(ran, 2);
    EXPECT_TRUE(first.isDone());
    EXPECT_TRUE(second.isDone());
    EXPECT_THROW(second.get(), std::runtime_error);
}

}  // namespace
}  // namespace kafka::clients::producer
