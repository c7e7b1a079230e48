// Chapter 21: an answer may say "slow down". A broker enforcing a quota puts throttle_time_ms
// in its response; since KIP-219 (Kafka 2.0; Produce v6 and later) it answers at once and the
// client holds back: no request to that broker until the time is up. Without this test
// the field could be read and ignored.
#include <gtest/gtest.h>

#include "support/NetworkClientFixture.h"

namespace kafka::clients {
namespace {

using test::FakeBroker;
using test::FakeReply;
using test::FakeRequest;
using ClientFixture = test::NetworkClientFixture;

// A produce answer whose last field, throttle_time_ms, says `throttleMs`.
FakeReply throttledAnswer(const FakeRequest& request, std::int32_t throttleMs) {
    auto body = FakeBroker::produceBody(request.header.apiVersion, "t", 0, 0, 42);
    for (int i = 0; i < 4; ++i)
        body[body.size() - 4 + i] = static_cast<std::uint8_t>(throttleMs >> (24 - 8 * i));
    return {std::move(body), {}, false};
}

TEST(Throttle, AThrottledAnswerHoldsBackTheNextRequestToThatBroker) {
    FakeBroker broker([](const FakeRequest& request) { return throttledAnswer(request, 500); });
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    f.client.send(f.produce(broker.node(), 1, &completions), f.time->milliseconds());
    ASSERT_TRUE(f.pollUntil([&] { return completions == 1; }));
    const auto throttledAt = f.time->milliseconds();

    EXPECT_FALSE(f.client.isReady(broker.node(), throttledAt)) << "throttled for 500 ms";
    EXPECT_EQ(f.client.connectionDelay(broker.node(), throttledAt), 500);
    f.time->sleep(499);
    EXPECT_FALSE(f.client.isReady(broker.node(), f.time->milliseconds()));
    f.time->sleep(1);
    EXPECT_TRUE(f.client.isReady(broker.node(), f.time->milliseconds()));
}

TEST(Throttle, NoThrottleMeansNoWait) {
    FakeBroker broker([](const FakeRequest& request) { return throttledAnswer(request, 0); });
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    f.client.send(f.produce(broker.node(), 1, &completions), f.time->milliseconds());
    ASSERT_TRUE(f.pollUntil([&] { return completions == 1; }));
    EXPECT_TRUE(f.client.isReady(broker.node(), f.time->milliseconds()));
}

}  // namespace
}  // namespace kafka::clients
