// Chapter 29: how a Processor takes requests. It parses each frame's header, queues the
// request for the handlers, and mutes the connection until the response has been written, so
// that pipelined requests are answered in order. A frame it cannot take (too large, not a
// request) closes that connection and no other. The test plays the request handler's part.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"
#include "kafka/common/requests/ApiVersionsRequest.h"
#include "kafka/common/requests/ResponseHeader.h"
#include "kafka/common/utils/Time.h"
#include "kafka/network/Acceptor.h"
#include "kafka/network/SocketServer.h"
#include "kafka/server/KafkaConfig.h"
#include "support/BrokerClient.h"
#include "support/TestUtils.h"

namespace kafka::network {
namespace {

using common::protocol::ApiKeys;
using common::requests::ApiVersionsRequest;
using namespace std::chrono_literals;

class ProcessorRequests : public ::testing::Test {
protected:
    void SetUp() override { server.startup(); }

    // The next request from the queue, as a handler would take it.
    std::shared_ptr<const RequestChannel::Request> nextRequest(
        std::chrono::milliseconds wait = 10s) {
        return server.requestChannel()->receiveRequest(wait.count());
    }

    // Answers `request` with a response frame holding its correlation id and `text`.
    void respond(const std::shared_ptr<const RequestChannel::Request>& request,
                 const std::string& text) {
        RequestChannel::Response response{request, RequestChannel::Response::Action::kSend};
        common::protocol::Writable out(response.frame);
        common::requests::ResponseHeader{request->header.correlationId}.write(out);
        out.writeString(text);
        server.requestChannel()->sendResponse(std::move(response));
    }

    // Reads a response frame: its correlation id and its text.
    static std::pair<std::int32_t, std::string> read(test::BrokerClient& client) {
        const auto frame = client.readFrame();
        if (!frame) return {-1, "<no response>"};
        common::protocol::Readable in(*frame, "test response");
        const auto correlationId = in.readInt32();
        return {correlationId, in.readString("text")};
    }

    static common::utils::Bytes apiVersions(std::int32_t correlationId) {
        return test::BrokerClient::requestFrame(ApiKeys::kApiVersions, 2, correlationId,
                                                ApiVersionsRequest());
    }

    server::KafkaConfig config{common::config::Properties{{"listeners", "PLAINTEXT://127.0.0.1:0"},
                                                          {"num.network.threads", "2"},
                                                          {"socket.request.max.bytes", "1024"}}};
    SocketServer server{config, common::utils::Time::system()};
};

TEST_F(ProcessorRequests, TheHeaderIsParsedAndTheRequestQueued) {
    test::BrokerClient client(server.boundPort());
    client.sendRaw(apiVersions(42));
    const auto request = nextRequest();
    ASSERT_NE(request, nullptr);
    EXPECT_EQ(request->header.apiKey, ApiKeys::kApiVersions);
    EXPECT_EQ(request->header.apiVersion, 2);
    EXPECT_EQ(request->header.correlationId, 42);
    EXPECT_EQ(request->header.clientId, "broker-test");
    EXPECT_TRUE(request->body().empty());
    respond(request, "hello");
    EXPECT_EQ(read(client), std::make_pair(42, std::string("hello")));
}

TEST_F(ProcessorRequests, PipelinedRequestsAreTakenOneAtATimeAndAnsweredInOrder) {
    test::BrokerClient client(server.boundPort());
    auto both = apiVersions(1);
    const auto second = apiVersions(2);
    both.insert(both.end(), second.begin(), second.end());
    client.sendRaw(both);  // two requests in one write

    const auto first = nextRequest();
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->header.correlationId, 1);
    EXPECT_EQ(nextRequest(300ms), nullptr) << "the connection is muted while 1 is handled";
    respond(first, "one");
    EXPECT_EQ(read(client), std::make_pair(1, std::string("one")));
    const auto next = nextRequest();  // unmuted once "one" was written
    ASSERT_NE(next, nullptr);
    EXPECT_EQ(next->header.correlationId, 2);
    respond(next, "two");
    EXPECT_EQ(read(client), std::make_pair(2, std::string("two")));
}

TEST_F(ProcessorRequests, ANoOpResponseSendsNothingAndReadsTheNextRequest) {
    test::BrokerClient client(server.boundPort());
    auto both = apiVersions(1);
    const auto second = apiVersions(2);
    both.insert(both.end(), second.begin(), second.end());
    client.sendRaw(both);
    const auto first = nextRequest();
    ASSERT_NE(first, nullptr);
    // What a produce with acks=0 gets: no bytes, but the connection is unmuted.
    server.requestChannel()->sendResponse({first, RequestChannel::Response::Action::kNoOp});
    const auto next = nextRequest();
    ASSERT_NE(next, nullptr);
    EXPECT_EQ(next->header.correlationId, 2);
    respond(next, "two");
    EXPECT_EQ(read(client), std::make_pair(2, std::string("two"))) << "nothing came for 1";
}

TEST_F(ProcessorRequests, AFrameOverSocketRequestMaxBytesClosesOnlyItsConnection) {
    test::BrokerClient bystander(server.boundPort());
    test::BrokerClient offender(server.boundPort());
    const common::utils::Bytes tooLarge(2000, 0);
    offender.sendRaw(test::BrokerClient::frame(tooLarge));
    EXPECT_TRUE(offender.closedByPeer());
    EXPECT_EQ(nextRequest(100ms), nullptr);

    bystander.sendRaw(apiVersions(7));
    const auto request = nextRequest();
    ASSERT_NE(request, nullptr);
    respond(request, "still here");
    EXPECT_EQ(read(bystander), std::make_pair(7, std::string("still here")));
}

TEST_F(ProcessorRequests, BytesThatAreNotARequestCloseTheConnectionAndQueueNothing) {
    const std::string http = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    const common::utils::Bytes unknownApi = [] {
        common::utils::Bytes payload;
        common::protocol::Writable out(payload);
        common::requests::RequestHeader{static_cast<ApiKeys>(999), 0, 1, "x"}.write(out);
        return test::BrokerClient::frame(payload);
    }();
    const common::utils::Bytes negativeSize{0xff, 0xff, 0xff, 0xfe, 0x00, 0x12};
    const common::utils::Bytes truncatedHeader =
        test::BrokerClient::frame(common::utils::Bytes{0x00, 0x12, 0x00});
    for (const auto& garbage : {common::utils::Bytes(http.begin(), http.end()), unknownApi,
                                truncatedHeader, negativeSize}) {
        test::BrokerClient client(server.boundPort());
        client.sendRaw(garbage);
        EXPECT_TRUE(client.closedByPeer());
    }
    EXPECT_EQ(server.requestChannel()->requestQueueSize(), 0u);
}

TEST_F(ProcessorRequests, AConnectionClosedForGarbageIsOneLineInTheSocketServersVoice) {
    testing::internal::CaptureStderr();
    {
        test::BrokerClient client(server.boundPort());
        client.sendRaw(test::BrokerClient::frame(common::utils::Bytes{0x00, 0x12, 0x00}));
        EXPECT_TRUE(client.closedByPeer());
    }
    const std::string log = testing::internal::GetCapturedStderr();
    // Our SocketServer hands its LogContext to its Acceptor and Processors (Kafka's hands it to
    // their Selectors): the line says which broker and which listener, then what happened, then
    // which class said it.
    EXPECT_NE(log.find("WARN [SocketServer listenerType=BROKER, nodeId=0] Closing connection "),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("(Processor)"), std::string::npos) << log;
    EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
}

TEST_F(ProcessorRequests, AResponseToAClientThatLeftIsDropped) {
    auto client = std::make_unique<test::BrokerClient>(server.boundPort());
    client->sendRaw(apiVersions(1));
    const auto request = nextRequest();
    ASSERT_NE(request, nullptr);
    client.reset();
    respond(request, "too late");  // must not disturb the processor
    test::BrokerClient next(server.boundPort());
    next.sendRaw(apiVersions(2));
    const auto second = nextRequest();
    ASSERT_NE(second, nullptr);
    respond(second, "fine");
    EXPECT_EQ(read(next), std::make_pair(2, std::string("fine")));
}

// The Acceptor gives a Processor at most 20 connections its thread has not
// taken yet (Kafka's bounded queue of new connections); beyond that it accepts nothing, and
// clients wait in the kernel's backlog. A Processor not started plays one stuck in a long turn.
class ProcessorQueue : public ::testing::Test {
protected:
    std::shared_ptr<Processor> processor = std::make_shared<Processor>(0, [] {
        Processor::Settings settings;
        settings.requestChannel = std::make_shared<RequestChannel>(1, 10);
        return settings;
    }());
    Acceptor acceptor{"127.0.0.1", 0, {processor}};
    std::vector<std::unique_ptr<test::BrokerClient>> clients;

    void connect(int count) {
        for (int i = 0; i < count; ++i)
            clients.push_back(std::make_unique<test::BrokerClient>(acceptor.boundPort()));
    }
};

TEST_F(ProcessorQueue, AProcessorThatFallsBehindIsGivenNoMoreThanTwentyConnections) {
    acceptor.start();
    connect(25);
    ASSERT_TRUE(test::eventually([&] { return processor->acceptedCount() == 20; }));
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(processor->acceptedCount(), Processor::kConnectionQueueSize)
        << "five clients wait in the backlog";
    processor->start(1);
    EXPECT_TRUE(test::eventually([&] { return processor->acceptedCount() == 25; }))
        << "once the Processor takes its connections, the rest follow";
    EXPECT_TRUE(test::eventually([&] { return processor->connectionCount() == 25; }));
}

TEST_F(ProcessorQueue, AnAcceptorWaitingForRoomStillShutsDown) {
    acceptor.start();
    connect(22);
    ASSERT_TRUE(test::eventually([&] { return processor->acceptedCount() == 20; }));
    test::mustReturnWithin(10s, "Acceptor::shutdown() while it waits for a Processor",
                           [this] { acceptor.shutdown(); });
}

}  // namespace
}  // namespace kafka::network
