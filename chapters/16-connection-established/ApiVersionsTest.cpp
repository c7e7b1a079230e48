// Chapter 16: a connection is not ready when the socket connects, but when the client knows
// what the broker speaks. The first request on every connection is ApiVersions; each API then
// goes out in the highest version both sides know, and an older broker is asked again in its
// own version.
#include <gtest/gtest.h>

#include <string>

#include "kafka/common/errors/Exceptions.h"
#include "support/NetworkClientFixture.h"

namespace kafka::clients {
namespace {

using common::protocol::ApiKeys;
using test::answerProduce;
using test::FakeBroker;
using ClientFixture = test::NetworkClientFixture;

TEST(ApiVersions, AConnectionIsReadyOnlyOnceTheBrokerSaidWhatItSpeaks) {
    FakeBroker broker(answerProduce);
    ClientFixture f({broker.node()});
    f.client.ready(broker.node(), f.time->milliseconds());
    ASSERT_TRUE(f.pollUntil([&] {
        return f.client.connectionStates().state("0") == ConnectionState::kCheckingApiVersions ||
               f.client.connectionStates().isReady("0");
    }));
    ASSERT_TRUE(f.awaitReady(broker.node()));
    const auto requests = broker.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].apiKey, ApiKeys::kApiVersions);
    EXPECT_EQ(requests[0].apiVersion, 2);  // our newest
}

TEST(ApiVersions, EachApiGoesOutInTheHighestVersionBothSidesKnow) {
    FakeBroker::ApiRanges ranges = FakeBroker::ourRanges();
    ranges[ApiKeys::kProduce] = {0, 5};    // an older broker: Produce up to 5
    ranges[ApiKeys::kMetadata] = {0, 12};  // a newer one: Metadata up to 12
    FakeBroker* self = nullptr;
    FakeBroker broker(
        [&self](const test::FakeRequest& request) {
            if (request.header.apiKey == ApiKeys::kMetadata)
                return test::FakeReply{
                    FakeBroker::metadataBody(request.header.apiVersion, {self->node()}, "t", 1, 0),
                    {},
                    false};
            return answerProduce(request);
        },
        ranges);
    self = &broker;
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    f.client.send(f.produce(broker.node(), 1, &completions), f.time->milliseconds());
    f.metadata->requestUpdate();
    f.time->sleep(100);
    ASSERT_TRUE(f.pollUntil(
        [&] { return completions == 1 && !broker.requests(ApiKeys::kMetadata).empty(); }));
    EXPECT_EQ(broker.requests(ApiKeys::kProduce).at(0).apiVersion, 5);   // theirs
    EXPECT_EQ(broker.requests(ApiKeys::kMetadata).at(0).apiVersion, 8);  // ours
}

// A broker that knows ApiVersions v0 only answers our v2 with UNSUPPORTED_VERSION, in v0. Since
// Kafka 2.4 it lists its own range; older brokers list nothing, and Kafka's client then asks in
// v0, which every broker with ApiVersions knows. Either way: asked again, on the same connection.
TEST(ApiVersions, AnOlderBrokerIsAskedAgainInV0WhetherItListsItsRangeOrNot) {
    for (const bool listsNothing : {false, true}) {
        SCOPED_TRACE(listsNothing ? "lists nothing" : "lists its range");
        FakeBroker broker(answerProduce);
        broker.answerApiVersionsAbove(0);
        if (listsNothing) broker.listNothingWhenUnsupported();
        ClientFixture f({broker.node()});
        ASSERT_TRUE(f.awaitReady(broker.node()));
        const auto asked = broker.requests(ApiKeys::kApiVersions);
        ASSERT_EQ(asked.size(), 2u);
        EXPECT_EQ(asked[0].apiVersion, 2);
        EXPECT_EQ(asked[1].apiVersion, 0);
        EXPECT_EQ(broker.connections(), 1);
    }
}

TEST(ApiVersions, ABrokerWithoutAUsableProduceVersionIsAClearError) {
    FakeBroker::ApiRanges ranges = FakeBroker::ourRanges();
    ranges[ApiKeys::kProduce] = {0, 2};  // Kafka 0.10: message sets, no record batch v2
    FakeBroker broker(answerProduce, ranges);
    ClientFixture f({broker.node()});
    ASSERT_TRUE(f.awaitReady(broker.node()));
    int completions = 0;
    try {
        f.client.send(f.produce(broker.node(), 1, &completions), f.time->milliseconds());
        FAIL() << "sent a version the broker does not know";
    } catch (const common::errors::UnsupportedVersionException& e) {
        EXPECT_NE(std::string(e.what()).find("Produce versions 0 to 2"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace kafka::clients
