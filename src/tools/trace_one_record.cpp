//@ ch35
// trace-one-record: one record from send() to the broker's log and back, as the bytes show it.
//
//   trace-one-record [--value TEXT] [--key TEXT]
//
// Starts our broker in this process on a scratch log directory, and a recording proxy in front
// of it (the broker's advertised.listeners points clients at the proxy, so every connection of
// the producer passes through it). Our producer sends one record with acks=all and waits for its
// answer; then the producer and the broker are closed, and the program prints, as Markdown for
// the book's closing page: the frames on the wire, the produce request and its record batch
// field by field, the answer, what the callback got, and the batch as the segment file holds it.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>

#include <pthread.h>
#include <unistd.h>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/protocol/ApiKeys.h"
#include "kafka/common/protocol/Errors.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/requests/ProduceResponse.h"
#include "kafka/common/requests/RequestHeader.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/common/utils/ByteUtils.h"
#include "kafka/server/KafkaServer.h"
#include "tools/ToolMain.h"

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using kafka::common::protocol::ApiKeys;
using kafka::common::record::DefaultRecordBatch;
using kafka::common::utils::ByteUtils;
using Bytes = std::vector<std::uint8_t>;

constexpr kafka::tools::Usage kUsage{
    "trace-one-record", "[--key TEXT] [--value TEXT]",
    R"(Sends one record through our producer to our broker (both in this process, the broker on a
scratch log directory) and prints, as Markdown, every frame on the wire, the produce request and
its record batch field by field, the answer, the callback's metadata and the segment's bytes.
  --key TEXT     the record's key (default: order-42)
  --value TEXT   the record's value (default: hello, kafka)
)"};

/// One frame seen by the proxy: which connection, which way, and its bytes (size included).
struct Frame {
    int connection;
    bool toBroker;
    Bytes bytes;
};

/// A proxy that forwards every connection to the broker and keeps each frame it sees.
class RecordingProxy {
public:
    /// Listens at once, on a free loopback port, so that the broker can advertise it; connects
    /// to the broker only after forwardTo().
    RecordingProxy() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
    ~RecordingProxy() { stop(); }

    int port() const { return acceptor_.local_endpoint().port(); }

    void forwardTo(int brokerPort) {
        brokerPort_ = brokerPort;
        acceptThread_ = std::thread([this] { acceptLoop(); });
    }

    /// Closes every connection and waits for the proxy's threads.
    void stop() {
        if (stopped_.exchange(true) || !acceptThread_.joinable()) return;
        boost::system::error_code ignored;
        {
            // A blocked accept() returns only for a connection: make one.
            asio::io_context io;
            tcp::socket poke(io);
            poke.connect(acceptor_.local_endpoint(), ignored);
        }
        acceptThread_.join();
        {
            std::lock_guard lock(mutex_);
            for (auto& socket : sockets_) socket->shutdown(tcp::socket::shutdown_both, ignored);
        }
        for (auto& pump : pumps_) pump.join();
    }

    std::vector<Frame> frames() const {
        std::lock_guard lock(mutex_);
        return frames_;
    }

private:
    void acceptLoop() {
        for (int connection = 0;; ++connection) {
            auto client = std::make_shared<tcp::socket>(io_);
            acceptor_.accept(*client);
            if (stopped_) return;
            auto broker = std::make_shared<tcp::socket>(io_);
            broker->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), brokerPort_));
            std::lock_guard lock(mutex_);
            sockets_.push_back(client);
            sockets_.push_back(broker);
            pumps_.emplace_back([=, this] { pump(*client, *broker, connection, true); });
            pumps_.emplace_back([=, this] { pump(*broker, *client, connection, false); });
        }
    }

    // Copies bytes one way and cuts them into frames as they pass (chapters 18 and 19). A frame
    // is recorded before its last bytes are passed on, so the list keeps the order of cause and
    // effect: an answer is always listed before the request its arrival made the client send.
    void pump(tcp::socket& from, tcp::socket& to, int connection, bool toBroker) {
        Bytes pending;
        std::array<std::uint8_t, 64 * 1024> buffer{};
        boost::system::error_code error;
        for (;;) {
            const std::size_t n = from.read_some(asio::buffer(buffer), error);
            if (error) break;
            pending.insert(pending.end(), buffer.begin(), buffer.begin() + n);
            while (pending.size() >= 4) {
                const auto size = static_cast<std::size_t>(
                    ByteUtils::readBigEndian<std::int32_t>(std::span(pending), 0));
                if (pending.size() < 4 + size) break;
                std::lock_guard lock(mutex_);
                frames_.push_back(
                    {connection, toBroker, Bytes(pending.begin(), pending.begin() + 4 + size)});
                pending.erase(pending.begin(), pending.begin() + 4 + static_cast<long>(size));
            }
            asio::write(to, asio::buffer(buffer.data(), n), error);
            if (error) break;
        }
        to.shutdown(tcp::socket::shutdown_send, error);
    }

    int brokerPort_ = 0;
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::atomic<bool> stopped_{false};
    std::thread acceptThread_;
    mutable std::mutex mutex_;
    std::vector<std::shared_ptr<tcp::socket>> sockets_;
    std::vector<std::thread> pumps_;
    std::vector<Frame> frames_;
};

std::string hex(std::span<const std::uint8_t> bytes) {
    std::ostringstream out;
    for (std::size_t i = 0; i < bytes.size(); ++i)
        out << (i ? " " : "") << std::hex << std::setw(2) << std::setfill('0') << int{bytes[i]};
    return out.str();
}

/// A hex dump, 16 bytes a line, each line with its offset and its printable characters.
std::string dump(std::span<const std::uint8_t> bytes) {
    std::ostringstream out;
    for (std::size_t line = 0; line < bytes.size(); line += 16) {
        const auto piece = bytes.subspan(line, std::min<std::size_t>(16, bytes.size() - line));
        out << std::hex << std::setw(4) << std::setfill('0') << line << std::dec << "  "
            << std::left << std::setw(47) << std::setfill(' ') << hex(piece) << std::right << "  ";
        for (auto byte : piece) out << (byte >= 32 && byte < 127 ? static_cast<char>(byte) : '.');
        out << '\n';
    }
    return out.str();
}

template <typename T>
T at(std::span<const std::uint8_t> batch, std::size_t offset) {
    return ByteUtils::readBigEndian<T>(batch, offset);
}

/// The record batch's header, field by field, as a Markdown table.
std::string batchTable(std::span<const std::uint8_t> batch) {
    using B = DefaultRecordBatch;
    struct Field {
        std::size_t offset, size;
        const char* name;
        std::string value;
    };
    const auto attributes = at<std::int16_t>(batch, B::kAttributesOffset);
    const std::vector<Field> fields = {
        {B::kBaseOffsetOffset, 8, "baseOffset", std::to_string(at<std::int64_t>(batch, 0))},
        {B::kLengthOffset, 4, "batchLength",
         std::to_string(at<std::int32_t>(batch, B::kLengthOffset)) + " (the bytes after it)"},
        {B::kPartitionLeaderEpochOffset, 4, "partitionLeaderEpoch",
         std::to_string(at<std::int32_t>(batch, B::kPartitionLeaderEpochOffset))},
        {B::kMagicOffset, 1, "magic", std::to_string(int{batch[B::kMagicOffset]})},
        {B::kCrcOffset, 4, "crc (CRC-32C of the bytes from attributes on)",
         std::to_string(at<std::uint32_t>(batch, B::kCrcOffset))},
        {B::kAttributesOffset, 2, "attributes",
         std::to_string(attributes) + ((attributes & B::kTimestampTypeMask)
                                           ? " (LogAppendTime)"
                                           : " (CreateTime, no compression)")},
        {B::kLastOffsetDeltaOffset, 4, "lastOffsetDelta",
         std::to_string(at<std::int32_t>(batch, B::kLastOffsetDeltaOffset))},
        {B::kBaseTimestampOffset, 8, "baseTimestamp",
         std::to_string(at<std::int64_t>(batch, B::kBaseTimestampOffset))},
        {B::kMaxTimestampOffset, 8, "maxTimestamp",
         std::to_string(at<std::int64_t>(batch, B::kMaxTimestampOffset))},
        {B::kProducerIdOffset, 8, "producerId",
         std::to_string(at<std::int64_t>(batch, B::kProducerIdOffset))},
        {B::kProducerEpochOffset, 2, "producerEpoch",
         std::to_string(at<std::int16_t>(batch, B::kProducerEpochOffset))},
        {B::kBaseSequenceOffset, 4, "baseSequence",
         std::to_string(at<std::int32_t>(batch, B::kBaseSequenceOffset))},
        {B::kRecordsCountOffset, 4, "recordsCount",
         std::to_string(at<std::int32_t>(batch, B::kRecordsCountOffset))},
        {B::kRecordsOffset, batch.size() - B::kRecordsOffset, "the record (varints)", ""},
    };
    std::ostringstream out;
    out << "| offset | field | bytes | value |\n|---|---|---|---|\n";
    for (const auto& field : fields)
        out << "| " << field.offset << " | " << field.name << " | `"
            << hex(batch.subspan(field.offset, field.size)) << "` | " << field.value << " |\n";
    return out.str();
}

/// The stored batch against the one sent, field by field: each field's name, and whether the
/// broker changed it. A batch of another size differs in every field.
std::vector<std::pair<std::string, bool>> compareFields(std::span<const std::uint8_t> sent,
                                                        std::span<const std::uint8_t> stored) {
    using B = DefaultRecordBatch;
    const std::vector<std::pair<const char*, std::pair<std::size_t, std::size_t>>> fields = {
        {"baseOffset", {B::kBaseOffsetOffset, 8}},
        {"batchLength", {B::kLengthOffset, 4}},
        {"partitionLeaderEpoch", {B::kPartitionLeaderEpochOffset, 4}},
        {"magic", {B::kMagicOffset, 1}},
        {"crc", {B::kCrcOffset, 4}},
        {"attributes to the last record byte",
         {B::kAttributesOffset, sent.size() - B::kAttributesOffset}},
    };
    std::vector<std::pair<std::string, bool>> changed;
    for (const auto& [name, where] : fields) {
        const auto [offset, size] = where;
        const bool same = stored.size() == sent.size() &&
                          std::equal(sent.begin() + static_cast<long>(offset),
                                     sent.begin() + static_cast<long>(offset + size),
                                     stored.begin() + static_cast<long>(offset));
        changed.emplace_back(name, !same);
    }
    return changed;
}

struct Options {
    std::string key = "order-42";
    std::string value = "hello, kafka";
};

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--help") throw kafka::tools::UsageError("");
        if (i + 1 >= argc) throw kafka::tools::UsageError("Missing value for " + flag);
        if (flag == "--key")
            options.key = argv[++i];
        else if (flag == "--value")
            options.value = argv[++i];
        else
            throw kafka::tools::UsageError("Unknown option " + flag);
    }
    return options;
}

std::string apiName(std::span<const std::uint8_t> frame) {
    kafka::common::protocol::Readable in(frame.subspan(4), "request header");
    const auto header = kafka::common::requests::RequestHeader::parse(in);
    return kafka::common::protocol::name(header.apiKey) + " v" + std::to_string(header.apiVersion);
}

std::int32_t correlationIdOf(const Frame& frame) {
    // A request's id follows its api key and version; a response begins with it.
    return ByteUtils::readBigEndian<std::int32_t>(std::span(frame.bytes), frame.toBroker ? 8 : 4);
}

/// What one traced send left behind: the frames the proxy saw, what the callback was told and
/// on which thread, and the partition's first segment as the broker wrote it.
struct Trace {
    std::vector<Frame> frames;
    std::optional<kafka::clients::producer::RecordMetadata> metadata;
    std::string callbackThread;
    std::string segmentName;
    Bytes segment;
};

/// Sends a record before the traced one, then the traced one, with our producer, through the
/// proxy, to our broker on a scratch log directory; closes both, and keeps what they left.
Trace sendThroughTheProxy(const Options& options) {
    const auto logDir =
        std::filesystem::temp_directory_path() / ("trace-one-record-" + std::to_string(::getpid()));
    std::filesystem::remove_all(logDir);

    RecordingProxy proxy;
    kafka::server::KafkaServer broker(kafka::server::KafkaConfig(kafka::common::config::Properties{
        {"listeners", "PLAINTEXT://127.0.0.1:0"},
        {"advertised.listeners", "PLAINTEXT://127.0.0.1:" + std::to_string(proxy.port())},
        {"log.dirs", logDir.string()},
        {"num.partitions", "1"},
        {"num.network.threads", "1"},
        {"num.io.threads", "1"}}));
    broker.startup();
    proxy.forwardTo(broker.boundPort());

    // The producer, as an application would use it; only the bootstrap address is the proxy's.
    Trace trace;
    {
        using kafka::clients::producer::ProducerRecord;
        kafka::clients::producer::KafkaProducer<std::string, std::string> producer(
            kafka::common::config::Properties{
                {"bootstrap.servers", "127.0.0.1:" + std::to_string(proxy.port())},
                {"client.id", "trace"},
                {"acks", "all"},
                {"linger.ms", "0"}},
            std::make_unique<kafka::common::serialization::StringSerializer>(),
            std::make_unique<kafka::common::serialization::StringSerializer>());
        // A record before it, so that the traced one is not at offset 0: the broker's offsets
        // are then visible in the bytes.
        producer
            .send(ProducerRecord<std::string, std::string>("trace", "first", "the record before"))
            .get();
        auto future = producer.send(
            ProducerRecord<std::string, std::string>("trace", options.key, options.value),
            [&](const kafka::clients::producer::RecordMetadata& m, std::exception_ptr error) {
                if (error) std::rethrow_exception(error);
                trace.metadata = m;
                char name[16] = {};
                pthread_getname_np(pthread_self(), name, sizeof(name));
                trace.callbackThread = name;
            });
        future.get();
        producer.close();
    }
    proxy.stop();
    broker.shutdown();

    trace.frames = proxy.frames();
    const auto segmentFile = logDir / "trace-0" / "00000000000000000000.log";
    trace.segmentName = segmentFile.filename().string();
    std::ifstream segmentStream(segmentFile, std::ios::binary);
    trace.segment.assign(std::istreambuf_iterator<char>(segmentStream),
                         std::istreambuf_iterator<char>());
    std::filesystem::remove_all(logDir);
    return trace;
}

/// The produce request and its answer among the frames, and a table of every frame in the
/// order the proxy saw them.
struct FramesSeen {
    const Frame* produceRequest = nullptr;
    const Frame* produceResponse = nullptr;
    std::string table;
};

FramesSeen tabulate(const std::vector<Frame>& frames) {
    FramesSeen seen;
    std::ostringstream out;
    out << "| # | connection | direction | frame | bytes | correlation id |\n"
           "|---|---|---|---|---|---|\n";
    std::map<std::pair<int, std::int32_t>, std::string> apiOf;  // (connection, id) -> request
    int number = 0;
    for (const auto& frame : frames) {
        const auto id = correlationIdOf(frame);
        std::string what;
        if (frame.toBroker) {
            what = apiName(frame.bytes);
            apiOf[{frame.connection, id}] = what;
            if (what.starts_with("Produce")) seen.produceRequest = &frame;
        } else {
            what = "answer to " + apiOf[{frame.connection, id}];
            if (what.find("Produce") != std::string::npos) seen.produceResponse = &frame;
        }
        out << "| " << ++number << " | " << frame.connection << " | "
            << (frame.toBroker ? "producer → broker" : "broker → producer") << " | " << what
            << " | " << frame.bytes.size() << " | " << id << " |\n";
    }
    if (!seen.produceRequest || !seen.produceResponse)
        throw kafka::common::errors::KafkaException("the proxy saw no produce request and answer");
    seen.table = out.str();
    return seen;
}

/// The produce request, parsed back from its frame.
struct ProduceSent {
    kafka::common::requests::RequestHeader header;
    std::shared_ptr<const kafka::common::requests::ProduceRequest> request;
    kafka::common::TopicPartition partition;
    std::span<const std::uint8_t> batch;  // inside the frame
};

ProduceSent parseProduce(const Frame& frame) {
    kafka::common::protocol::Readable in(std::span(frame.bytes).subspan(4), "request");
    ProduceSent sent;
    sent.header = kafka::common::requests::RequestHeader::parse(in);
    sent.request = kafka::common::requests::ProduceRequest::parse(in, sent.header.apiVersion);
    std::tie(sent.partition, sent.batch) = *sent.request->partitionRecords().begin();
    return sent;
}

void describeRequest(std::ostream& out, const Frame& frame, const ProduceSent& sent) {
    const auto batchAt = static_cast<std::size_t>(sent.batch.data() - frame.bytes.data());
    out << "\n### The produce request\n\n"
        << "Frame " << frame.bytes.size() << " bytes: a 4-byte size (" << frame.bytes.size() - 4
        << "), the request header (api key " << static_cast<int>(sent.header.apiKey)
        << " = Produce, version " << sent.header.apiVersion << ", correlation id "
        << sent.header.correlationId << ", client id `" << sent.header.clientId.value_or("")
        << "`), then the body: acks " << sent.request->acks() << ", timeout "
        << sent.request->timeoutMs() << " ms, topic `" << sent.partition.topic << "` partition "
        << sent.partition.partition << ", and the record batch, " << sent.batch.size()
        << " bytes from offset " << batchAt << " of the frame.\n\n```text\n"
        << dump(frame.bytes) << "```\n"
        << "\n### The record batch, field by field\n\n"
        << batchTable(sent.batch);
}

/// Writes the answer's section and returns the base offset it gave.
std::int64_t describeAnswer(std::ostream& out, const Frame& frame, const ProduceSent& sent) {
    kafka::common::protocol::Readable in(std::span(frame.bytes).subspan(4), "response");
    const auto correlationId = in.readInt32();
    const auto response =
        kafka::common::requests::ProduceResponse::parse(in, sent.header.apiVersion);
    const auto& partition = response->responses().at(sent.partition);
    out << "\n### The answer\n\n"
        << "Frame " << frame.bytes.size() << " bytes, correlation id " << correlationId
        << ": partition `" << sent.partition.toString() << "`, error "
        << kafka::common::protocol::errorName(partition.error) << ", base offset "
        << partition.baseOffset << ", log append time " << partition.logAppendTime
        << " (-1: the topic uses CreateTime), log start offset " << partition.logStartOffset
        << ".\n\n```text\n"
        << dump(frame.bytes) << "```\n";
    return partition.baseOffset;
}

void describeCallback(std::ostream& out, const Trace& trace) {
    const auto& metadata = *trace.metadata;
    out << "\n### What the application was told\n\n"
        << "The callback ran on the thread Linux calls `" << trace.callbackThread
        << "` (it keeps the first 15 characters of a name) with `" << metadata.topic() << "-"
        << metadata.partition() << "@" << metadata.offset() << "`, timestamp "
        << metadata.timestamp() << "; `get()` then returned the same metadata.\n";
}

/// Where our batch sits in the segment: after the record before, which is its log overhead
/// (offset and length, 12 bytes) plus its batchLength.
std::size_t storedBatchAt(std::span<const std::uint8_t> segment) {
    return static_cast<std::size_t>(DefaultRecordBatch::kLogOverhead +
                                    at<std::int32_t>(segment, DefaultRecordBatch::kLengthOffset));
}

/// Writes the segment's section: the stored batch, and which of its fields the broker changed.
void describeSegment(std::ostream& out, const Trace& trace, std::size_t storedAt,
                     const std::vector<std::pair<std::string, bool>>& fields) {
    out << "\n### On disk\n\n"
        << "`" << trace.segmentName << "` of `trace-0` holds " << trace.segment.size()
        << " bytes: the record before (" << storedAt << " bytes), then ours, from byte " << storedAt
        << ", as the broker stored it.\n\n```text\n"
        << dump(std::span(trace.segment).subspan(storedAt)) << "```\n\n"
        << "| the stored batch against the one sent | |\n|---|---|\n";
    for (const auto& [name, changed] : fields)
        out << "| " << name << " | " << (changed ? "**changed by the broker**" : "the same")
            << " |\n";
}

/// What the closing page's prose says of the stored batch: the broker changed its base offset
/// (to 1) and its leader epoch (to 0) and nothing else, and told the producer offset 1.
bool asTheBookSays(const std::vector<std::pair<std::string, bool>>& fields,
                   std::span<const std::uint8_t> stored, std::int64_t answeredOffset,
                   std::int64_t callbackOffset) {
    const bool onlyOffsetAndEpochChanged =
        std::all_of(fields.begin(), fields.end(), [](const auto& field) {
            return field.second ==
                   (field.first == "baseOffset" || field.first == "partitionLeaderEpoch");
        });
    return onlyOffsetAndEpochChanged &&
           at<std::int64_t>(stored, DefaultRecordBatch::kBaseOffsetOffset) == 1 &&
           at<std::int32_t>(stored, DefaultRecordBatch::kPartitionLeaderEpochOffset) == 0 &&
           answeredOffset == 1 && callbackOffset == 1;
}

int run(const Options& options) {
    const Trace trace = sendThroughTheProxy(options);
    const FramesSeen seen = tabulate(trace.frames);
    const ProduceSent sent = parseProduce(*seen.produceRequest);

    std::ostringstream out;
    out << seen.table;
    describeRequest(out, *seen.produceRequest, sent);
    const auto answeredOffset = describeAnswer(out, *seen.produceResponse, sent);
    describeCallback(out, trace);
    const auto storedAt = storedBatchAt(trace.segment);
    const auto stored = std::span<const std::uint8_t>(trace.segment).subspan(storedAt);
    // One comparison serves both the page's table and the check below.
    const auto fields = compareFields(sent.batch, stored);
    describeSegment(out, trace, storedAt, fields);
    std::cout << out.str();

    // If the stored batch stops being what the closing page says it is, the book must not be
    // built with it.
    if (!asTheBookSays(fields, stored, answeredOffset, trace.metadata->offset())) {
        std::cerr << "trace-one-record: the stored batch is not the sent one with offset 1 and "
                     "leader epoch 0, which the closing page says it is\n";
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return kafka::tools::runTool(kUsage, [&] { return run(parse(argc, argv)); });
}
