//@ ch15
#pragma once

// A broker that a test scripts, on loopback: it reads real request frames, answers ApiVersions
// by itself (the ranges are the test's to choose), records every request header it saw, and
// hands the other requests to the test's handler, which decides the answer: a body, nothing
// (acks=0, or a broker that never answers), the wrong correlation id, or a closed connection.
// For the rare things a real peer (librdkafka's mock cluster) cannot be told to do.

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kafka/common/Node.h"
#include "kafka/common/protocol/ApiKeys.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"
#include "kafka/common/requests/RequestHeader.h"
#include "support/LoopbackServer.h"

namespace kafka::test {

struct FakeRequest {
    common::requests::RequestHeader header;
    common::utils::Bytes body;
};

struct FakeReply {
    std::optional<common::utils::Bytes> body;   // nothing: no answer
    std::optional<std::int32_t> correlationId;  // set: answer with this id instead
    bool closeConnection = false;
};

class FakeBroker {
public:
    using Handler = std::function<FakeReply(const FakeRequest&)>;
    using ApiRanges = std::map<common::protocol::ApiKeys, common::protocol::VersionRange>;

    /// Advertises our own ranges unless told otherwise.
    explicit FakeBroker(Handler handler, ApiRanges ranges = ourRanges())
        : handler_(std::move(handler)),
          ranges_(std::move(ranges)),
          server_([this](tcp::socket& socket) { serve(socket); }) {}

    int port() const { return server_.port(); }
    common::Node node(std::int32_t id = 0) const { return {id, "127.0.0.1", port()}; }

    /// The header of every request, in the order they came.
    std::vector<common::requests::RequestHeader> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    std::vector<common::requests::RequestHeader> requests(common::protocol::ApiKeys api) const {
        auto all = requests();
        std::erase_if(all, [api](const auto& header) { return header.apiKey != api; });
        return all;
    }
    int connections() const {
        std::lock_guard lock(mutex_);
        return connections_;
    }

    /// Set the ApiVersions error to answer with (UNSUPPORTED_VERSION, 35, for a request newer
    /// than `maxApiVersions`).
    void answerApiVersionsAbove(std::int16_t maxApiVersions) { maxApiVersions_ = maxApiVersions; }
    /// Answer UNSUPPORTED_VERSION with an empty list, as brokers before Kafka 2.4 (KIP-511) do.
    void listNothingWhenUnsupported() { listNothingWhenUnsupported_ = true; }

    static ApiRanges ourRanges() {
        using common::protocol::ApiKeys;
        ApiRanges ranges;
        for (auto api : {ApiKeys::kProduce, ApiKeys::kMetadata, ApiKeys::kApiVersions})
            ranges[api] = common::protocol::supportedVersions(api);
        return ranges;
    }

    /// The acks of a ProduceRequest (v3+: after the transactional id).
    static std::int16_t acksOf(const FakeRequest& request) {
        common::protocol::Readable in(request.body, "ProduceRequest");
        in.readNullableString("transactional_id");
        return in.readInt16();
    }

    /// An empty MetadataResponse body (no brokers, no topics) in `version` (1 to 8).
    static common::utils::Bytes emptyMetadataBody(std::int16_t version) {
        common::utils::Bytes body;
        common::protocol::Writable out(body);
        if (version >= 3) out.writeInt32(0);  // throttle_time_ms
        out.writeArrayLength(0);              // brokers
        if (version >= 2) out.writeNullableString(std::nullopt);
        out.writeInt32(-1);       // controller_id
        out.writeArrayLength(0);  // topics
        if (version >= 8) out.writeInt32(0);
        return body;
    }

    /// A MetadataResponse body in `version` (1 to 8): `brokers`, and one topic whose
    /// partitions 0..n-1 are all led by `leaderId`.
    static common::utils::Bytes metadataBody(std::int16_t version,
                                             const std::vector<common::Node>& brokers,
                                             const std::string& topic, int partitions,
                                             std::int32_t leaderId) {
        common::utils::Bytes body;
        common::protocol::Writable out(body);
        if (version >= 3) out.writeInt32(0);
        out.writeArrayLength(static_cast<std::int32_t>(brokers.size()));
        for (const auto& broker : brokers) {
            out.writeInt32(broker.id());
            out.writeString(broker.host());
            out.writeInt32(broker.port());
            out.writeNullableString(std::nullopt);
        }
        if (version >= 2) out.writeNullableString("fake-cluster");
        out.writeInt32(leaderId);
        out.writeArrayLength(1);
        out.writeInt16(0);
        out.writeString(topic);
        out.writeBoolean(false);
        out.writeArrayLength(partitions);
        for (int p = 0; p < partitions; ++p) {
            out.writeInt16(0);
            out.writeInt32(p);
            out.writeInt32(leaderId);
            if (version >= 7) out.writeInt32(0);
            out.writeArrayLength(1);
            out.writeInt32(leaderId);
            out.writeArrayLength(1);
            out.writeInt32(leaderId);
            if (version >= 5) out.writeArrayLength(0);
        }
        if (version >= 8) out.writeInt32(0);
        if (version >= 8) out.writeInt32(0);
        return body;
    }

    /// A ProduceResponse body in `version` (3 to 8) for one partition.
    static common::utils::Bytes produceBody(std::int16_t version, const std::string& topic,
                                            std::int32_t partition, std::int16_t errorCode,
                                            std::int64_t baseOffset) {
        common::utils::Bytes body;
        common::protocol::Writable out(body);
        out.writeArrayLength(1);
        out.writeString(topic);
        out.writeArrayLength(1);
        out.writeInt32(partition);
        out.writeInt16(errorCode);
        out.writeInt64(baseOffset);
        out.writeInt64(-1);
        if (version >= 5) out.writeInt64(0);
        if (version >= 8) {
            out.writeArrayLength(0);
            out.writeNullableString(std::nullopt);
        }
        out.writeInt32(0);
        return body;
    }

private:
    void serve(tcp::socket& socket) {
        {
            std::lock_guard lock(mutex_);
            ++connections_;
        }
        try {
            for (;;) {
                common::utils::Bytes size(4);
                asio::read(socket, asio::buffer(size));
                FakeRequest request;
                common::utils::Bytes frame(static_cast<std::size_t>(
                    common::utils::ByteUtils::readBigEndian<std::int32_t>(size, 0)));
                asio::read(socket, asio::buffer(frame));
                common::protocol::Readable in(frame, "request");
                request.header = common::requests::RequestHeader::parse(in);
                request.body.assign(frame.begin() + static_cast<long>(in.position()), frame.end());
                {
                    std::lock_guard lock(mutex_);
                    requests_.push_back(request.header);
                }
                const FakeReply reply =
                    request.header.apiKey == common::protocol::ApiKeys::kApiVersions
                        ? apiVersionsReply(request.header.apiVersion)
                        : handler_(request);
                if (reply.closeConnection) {
                    socket.close();
                    return;
                }
                if (!reply.body) continue;
                common::utils::Bytes response;
                common::protocol::Writable out(response);
                out.writeInt32(static_cast<std::int32_t>(4 + reply.body->size()));
                out.writeInt32(reply.correlationId.value_or(request.header.correlationId));
                response.insert(response.end(), reply.body->begin(), reply.body->end());
                asio::write(socket, asio::buffer(response));
            }
        } catch (const std::exception&) {  // the client went away
        }
    }

    FakeReply apiVersionsReply(std::int16_t version) const {
        common::utils::Bytes body;
        common::protocol::Writable out(body);
        const bool unsupported = version > maxApiVersions_;
        out.writeInt16(unsupported ? 35 : 0);
        const ApiRanges none;
        const ApiRanges& listed = unsupported && listNothingWhenUnsupported_ ? none : ranges_;
        out.writeArrayLength(static_cast<std::int32_t>(listed.size()));
        for (const auto& [api, range] : listed) {
            out.writeInt16(static_cast<std::int16_t>(api));
            out.writeInt16(range.min);
            out.writeInt16(api == common::protocol::ApiKeys::kApiVersions ? maxApiVersions_
                                                                          : range.max);
        }
        // An unsupported version is answered in v0, which has no throttle time.
        if (!unsupported && version >= 1) out.writeInt32(0);
        return {body, std::nullopt, false};
    }

    Handler handler_;
    ApiRanges ranges_;
    std::int16_t maxApiVersions_ = 2;
    bool listNothingWhenUnsupported_ = false;
    mutable std::mutex mutex_;
    std::vector<common::requests::RequestHeader> requests_;
    int connections_ = 0;
    LoopbackServer server_;  // last: its threads stop before the rest goes
};

}  // namespace kafka::test
