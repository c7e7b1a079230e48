// Chapter 25: which nodes have a request that has waited longer than request.timeout.ms.
// The oldest request of each node decides, with a strict comparison.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kafka/clients/InFlightRequests.h"

namespace kafka::clients {
namespace {

InFlightRequest sentAt(const std::string& node, std::int64_t sendTimeMs) {
    InFlightRequest request;
    request.destination = node;
    request.sendTimeMs = sendTimeMs;
    request.requestTimeoutMs = 1000;
    request.sendCompleted = true;
    return request;
}

TEST(TimedOutRequests, ANodeTimesOutWhenItsOldestRequestIsLate) {
    InFlightRequests inFlight(5);
    inFlight.add(sentAt("1", 0));
    inFlight.add(sentAt("1", 900));
    inFlight.add(sentAt("2", 500));
    EXPECT_TRUE(inFlight.nodesWithTimedOutRequests(1000).empty()) << "1000 ms is not late yet";
    EXPECT_EQ(inFlight.nodesWithTimedOutRequests(1001), std::vector<std::string>{"1"});
    EXPECT_EQ(inFlight.nodesWithTimedOutRequests(1501), (std::vector<std::string>{"1", "2"}));
}

TEST(TimedOutRequests, AnsweringTheOldestGivesTheNodeMoreTime) {
    InFlightRequests inFlight(5);
    inFlight.add(sentAt("1", 0));
    inFlight.add(sentAt("1", 900));
    inFlight.completeNext("1");
    EXPECT_TRUE(inFlight.nodesWithTimedOutRequests(1001).empty());
    EXPECT_EQ(inFlight.nodesWithTimedOutRequests(1901), std::vector<std::string>{"1"});
}

}  // namespace
}  // namespace kafka::clients
