// Chapter 14: InFlightRequests. Per node, requests wait for their answers in the order they
// were sent; a new one may follow only when the last is fully sent, and only up to
// max.in.flight.requests.per.connection.
#include <gtest/gtest.h>

#include <string>

#include "kafka/clients/InFlightRequests.h"
#include "kafka/common/errors/Exceptions.h"

namespace kafka::clients {
namespace {

InFlightRequest requestTo(const std::string& node, std::int32_t correlationId,
                          bool expectResponse = true) {
    InFlightRequest request;
    request.destination = node;
    request.correlationId = correlationId;
    request.expectResponse = expectResponse;
    return request;
}

TEST(InFlightRequests, AnswersCompleteTheOldestRequestFirst) {
    InFlightRequests inFlight(5);
    for (int id = 0; id < 3; ++id) {
        inFlight.add(requestTo("1", id));
        inFlight.lastSent("1").sendCompleted = true;
    }
    inFlight.add(requestTo("2", 3));
    EXPECT_EQ(inFlight.count(), 4);
    EXPECT_EQ(inFlight.count("1"), 3);
    EXPECT_EQ(inFlight.completeNext("1").correlationId, 0);
    EXPECT_EQ(inFlight.completeNext("1").correlationId, 1);
    EXPECT_EQ(inFlight.completeNext("2").correlationId, 3);
    EXPECT_EQ(inFlight.count(), 1);
}

TEST(InFlightRequests, ARequestFollowsOnlyOnceTheLastIsFullySent) {
    InFlightRequests inFlight(5);
    EXPECT_TRUE(inFlight.canSendMore("1"));
    inFlight.add(requestTo("1", 0));
    EXPECT_FALSE(inFlight.canSendMore("1")) << "its bytes are still going out";
    inFlight.lastSent("1").sendCompleted = true;
    EXPECT_TRUE(inFlight.canSendMore("1"));
    EXPECT_TRUE(inFlight.canSendMore("2")) << "other nodes are not held up";
}

TEST(InFlightRequests, AtMostMaxInFlightWaitPerNode) {
    InFlightRequests inFlight(2);
    for (int id = 0; id < 2; ++id) {
        ASSERT_TRUE(inFlight.canSendMore("1"));
        inFlight.add(requestTo("1", id));
        inFlight.lastSent("1").sendCompleted = true;
    }
    EXPECT_FALSE(inFlight.canSendMore("1"));
    inFlight.completeNext("1");
    EXPECT_TRUE(inFlight.canSendMore("1"));
}

TEST(InFlightRequests, ARequestWithoutResponseIsTakenBackFromTheNewEnd) {
    InFlightRequests inFlight(5);
    inFlight.add(requestTo("1", 0));
    inFlight.lastSent("1").sendCompleted = true;
    inFlight.add(requestTo("1", 1, /*expectResponse=*/false));
    EXPECT_EQ(inFlight.completeLastSent("1").correlationId, 1);
    EXPECT_EQ(inFlight.completeNext("1").correlationId, 0);
}

TEST(InFlightRequests, ALostConnectionClearsItsNodesRequestsOldestFirst) {
    InFlightRequests inFlight(5);
    inFlight.add(requestTo("1", 0));
    inFlight.lastSent("1").sendCompleted = true;
    inFlight.add(requestTo("1", 1));
    inFlight.add(requestTo("2", 2));
    const auto cleared = inFlight.clearAll("1");
    ASSERT_EQ(cleared.size(), 2u);
    EXPECT_EQ(cleared[0].correlationId, 0);
    EXPECT_EQ(cleared[1].correlationId, 1);
    EXPECT_EQ(inFlight.count(), 1);
    EXPECT_TRUE(inFlight.isEmpty("1"));
}

TEST(InFlightRequests, AnAnswerForANodeWithNothingInFlightIsAnError) {
    InFlightRequests inFlight(5);
    try {
        inFlight.completeNext("7");
        FAIL() << "a response nobody asked for was accepted";
    } catch (const common::errors::IllegalStateException& e) {
        EXPECT_STREQ(e.what(), "There are no in-flight requests for node 7");
    }
}

}  // namespace
}  // namespace kafka::clients
