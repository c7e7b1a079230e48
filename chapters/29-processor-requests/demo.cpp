// Chapter 29 demo: one connection, three requests sent in one write. The Processor hands out
// one, mutes the connection, and reads the next only once the answer is out. This demo plays
// the request handler, so every step shows.
#include <iostream>
#include <string>

#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"
#include "kafka/common/requests/ApiVersionsRequest.h"
#include "kafka/common/requests/ResponseHeader.h"
#include "kafka/common/utils/Time.h"
#include "kafka/network/SocketServer.h"
#include "kafka/server/KafkaConfig.h"
#include "support/BrokerClient.h"

using kafka::network::RequestChannel;

int main() {
    kafka::network::SocketServer server(
        kafka::server::KafkaConfig(kafka::common::config::Properties{
            {"listeners", "PLAINTEXT://127.0.0.1:0"}, {"socket.request.max.bytes", "1024"}}),
        kafka::common::utils::Time::system());
    server.startup();
    auto& channel = *server.requestChannel();

    kafka::test::BrokerClient client(server.boundPort());
    kafka::common::utils::Bytes pipeline;
    for (int id = 1; id <= 3; ++id) {
        const auto frame = kafka::test::BrokerClient::requestFrame(
            kafka::common::protocol::ApiKeys::kApiVersions, 2, id,
            kafka::common::requests::ApiVersionsRequest());
        pipeline.insert(pipeline.end(), frame.begin(), frame.end());
    }
    client.sendRaw(pipeline);
    std::cout << "The client wrote 3 requests (correlation ids 1, 2, 3) in one write.\n\n";

    for (int step = 1; step <= 3; ++step) {
        const auto request = channel.receiveRequest(5000);
        std::cout << "handler takes request " << request->header.correlationId << " ("
                  << kafka::common::protocol::name(request->header.apiKey) << " v"
                  << request->header.apiVersion << ", client " << *request->header.clientId
                  << "); the queue now holds " << channel.requestQueueSize()
                  << " more: the connection is muted\n";
        RequestChannel::Response response{request, RequestChannel::Response::Action::kSend};
        kafka::common::protocol::Writable out(response.frame);
        kafka::common::requests::ResponseHeader{request->header.correlationId}.write(out);
        channel.sendResponse(std::move(response));
        const auto frame = client.readFrame();
        kafka::common::protocol::Readable in(*frame, "response");
        std::cout << "   the client reads the answer to " << in.readInt32() << '\n';
    }

    kafka::test::BrokerClient rude(server.boundPort());
    const std::string http = "GET / HTTP/1.1\r\n\r\n";
    rude.sendRaw(kafka::common::utils::Bytes(http.begin(), http.end()));
    std::cout << "\nA client that speaks HTTP is disconnected: "
              << (rude.closedByPeer() ? "yes" : "no")
              << "; requests queued for it: " << channel.requestQueueSize() << '\n';
    return 0;
}
