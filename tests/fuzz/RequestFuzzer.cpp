//@ ch30
// libFuzzer target: whatever bytes a client may send, the broker's request path must answer
// them or refuse them, never crash, hang or read out of bounds. The input is a byte stream
// from one connection; it goes through the same steps as on a socket: KafkaChannel framing
// (with socket.request.max.bytes), the header parse of the Processor, and KafkaApis.handle()
// with its body parsers, log appends and their validation, reads within fetch limits, and
// fetches parked in the purgatory (answered by a later produce, or at the shutdown). The seeds
// in tests/fuzz/seeds start it on each of those paths: negative fetch limits, a control batch,
// a compressed one, an unknown codec, magic 1. Built with clang, ASan and UBSan (./course test
// runs it for a bounded time).
#include <cstddef>
#include <cstdint>
//> ch32
#include <unistd.h>
#include <filesystem>
//< ch32
#include <memory>
#include <span>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/network/KafkaChannel.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/log/LogManager.h"
#include "kafka/network/RequestChannel.h"
#include "kafka/server/KafkaApis.h"
#include "kafka/server/KafkaConfig.h"

namespace {

using kafka::network::RequestChannel;

// One "connection": frames cut from the stream, each handled as the broker would.
void serve(std::span<const std::uint8_t> stream) {
    const kafka::server::KafkaConfig config(
        kafka::common::config::Properties{{"listeners", "PLAINTEXT://127.0.0.1:0"}});
    auto channel = std::make_shared<RequestChannel>(1, 1000);
    kafka::log::LogManager::Settings logSettings;
    //> ch32
    // Every input starts from empty logs: the directory is emptied first.
    static const auto logDir =
        std::filesystem::temp_directory_path() / ("request-fuzzer-" + std::to_string(::getpid()));
    std::filesystem::remove_all(logDir);
    logSettings.logDirs = {logDir};
    //< ch32
    auto logs = std::make_shared<kafka::log::LogManager>(logSettings);
    logs->createTopic("t", 2);
    kafka::server::KafkaApis::Settings settings{channel, logs, config, 9092};
    //> ch31
    settings.replicaManager = std::make_shared<kafka::server::ReplicaManager>(
        kafka::server::ReplicaManager::Settings{logs, 0});
    //< ch31
    kafka::server::KafkaApis apis(std::move(settings));

    kafka::common::network::KafkaChannel connection("127.0.0.1:9092-127.0.0.1:5000", 64 * 1024);
    std::vector<kafka::common::network::NetworkReceive> frames;
    try {
        frames = connection.read(stream);
    } catch (const kafka::common::errors::KafkaException&) {
        return;  // bad framing: the Processor closes the connection
    }
    for (auto& frame : frames) {
        auto request = std::make_shared<RequestChannel::Request>();
        request->connectionId = frame.source();
        request->frame = frame.takePayload();
        try {
            kafka::common::protocol::Readable in(request->frame, "request header");
            request->header = kafka::common::requests::RequestHeader::parse(in);
            request->bodyOffset = in.position();
        } catch (const kafka::common::errors::KafkaException&) {
            return;  // a header that does not parse: the Processor closes the connection
        }
        if (!kafka::common::protocol::isKnown(request->header.apiKey)) return;
        apis.handle(request);  // must not throw: it answers or closes
    }
    apis.shutdown();  // parked fetches answer now
    while (channel->receiveResponse(0)) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    serve(std::span(data, size));
    return 0;
}
