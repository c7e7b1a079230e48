// Chapter 14: the bytes of the protocol. Headers and bodies are written field by field as
// Kafka's schemas lay them out, and reading never trusts a length: every prefix of a valid
// response fails with a SchemaException, never with a crash or a read past the end.
#include <gtest/gtest.h>

#include <string>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/protocol/Readable.h"
#include "kafka/common/protocol/Writable.h"
#include "kafka/common/requests/MetadataRequest.h"
#include "kafka/common/requests/MetadataResponse.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/requests/ProduceResponse.h"
#include "kafka/common/requests/RequestHeader.h"
#include "support/Peers.h"

namespace kafka::common::requests {
namespace {

using protocol::ApiKeys;
using protocol::Readable;
using protocol::Writable;
using utils::Bytes;

std::string hexOf(const Bytes& bytes) {
    return test::toHex(bytes);
}

TEST(Protocol, ARequestHeaderIsKeyVersionCorrelationIdAndClientId) {
    Bytes bytes;
    Writable out(bytes);
    RequestHeader{ApiKeys::kMetadata, 8, 7, "me"}.write(out);
    // api_key 3, api_version 8, correlation_id 7, client_id "me" (int16 length 2)
    EXPECT_EQ(hexOf(bytes),
              "0003"
              "0008"
              "00000007"
              "0002"
              "6d65");

    Readable in(bytes, "header");
    const auto header = RequestHeader::parse(in);
    EXPECT_EQ(header.apiKey, ApiKeys::kMetadata);
    EXPECT_EQ(header.apiVersion, 8);
    EXPECT_EQ(header.correlationId, 7);
    EXPECT_EQ(header.clientId, "me");
}

TEST(Protocol, ANullClientIdIsLengthMinusOne) {
    Bytes bytes;
    Writable out(bytes);
    RequestHeader{ApiKeys::kProduce, 3, 0, std::nullopt}.write(out);
    EXPECT_EQ(hexOf(bytes),
              "0000"
              "0003"
              "00000000"
              "ffff");
}

// A STRING's length is an int16: a longer one cannot be written, and is not written wrong.
TEST(Protocol, AStringTooLongForItsLengthIsRefusedNotTruncated) {
    Bytes bytes;
    Writable out(bytes);
    EXPECT_THROW(out.writeString(std::string(32'768, 's')), common::errors::SchemaException);
    EXPECT_TRUE(bytes.empty()) << "nothing half-written";
    out.writeString(std::string(32'767, 's'));
    EXPECT_EQ(bytes.size(), 2u + 32'767u);
}

TEST(Protocol, AMetadataRequestGrowsFieldsWithItsVersion) {
    const MetadataRequest request(std::vector<std::string>{"t"});
    Bytes v1, v4, v8;
    Writable out1(v1), out4(v4), out8(v8);
    request.write(out1, 1);
    request.write(out4, 4);
    request.write(out8, 8);
    EXPECT_EQ(hexOf(v1),
              "00000001"
              "0001"
              "74");  // topics ["t"]
    EXPECT_EQ(hexOf(v4),
              "00000001"
              "0001"
              "74"
              "01");  // + allow_auto_topic_creation
    EXPECT_EQ(hexOf(v8),
              "00000001"
              "0001"
              "74"
              "01"
              "00"
              "00");  // + two authorized-ops flags
}

TEST(Protocol, NoTopicListMeansEveryTopic) {
    Bytes bytes;
    Writable out(bytes);
    MetadataRequest(std::nullopt).write(out, 1);
    EXPECT_EQ(hexOf(bytes), "ffffffff");
}

// A v8 MetadataResponse: two brokers, one topic with two partitions, one of them leaderless.
Bytes metadataResponseV8() {
    Bytes bytes;
    Writable out(bytes);
    out.writeInt32(0);  // throttle_time_ms
    out.writeArrayLength(2);
    out.writeInt32(1), out.writeString("host-a"), out.writeInt32(9092),
        out.writeNullableString("r1");
    out.writeInt32(2), out.writeString("host-b"), out.writeInt32(9093), out.writeNullableString({});
    out.writeNullableString("cluster-x");
    out.writeInt32(1);  // controller_id
    out.writeArrayLength(1);
    out.writeInt16(0), out.writeString("orders"), out.writeBoolean(false);
    out.writeArrayLength(2);
    for (int partition : {0, 1}) {
        out.writeInt16(partition == 0 ? 0 : 5);  // partition 1: LEADER_NOT_AVAILABLE
        out.writeInt32(partition);
        out.writeInt32(partition == 0 ? 2 : -1);                        // leader
        out.writeInt32(3);                                              // leader_epoch (v7+)
        out.writeArrayLength(2), out.writeInt32(2), out.writeInt32(1);  // replicas
        out.writeArrayLength(1), out.writeInt32(2);                     // isr
        out.writeArrayLength(0);                                        // offline (v5+)
    }
    out.writeInt32(0);  // topic_authorized_operations (v8+)
    out.writeInt32(0);  // cluster_authorized_operations (v8+)
    return bytes;
}

TEST(Protocol, AMetadataResponseBecomesACluster) {
    const Bytes bytes = metadataResponseV8();
    Readable in(bytes, "MetadataResponse v8");
    const auto response = MetadataResponse::parse(in, 8);
    EXPECT_EQ(in.remaining(), 0u);
    ASSERT_EQ(response->brokers().size(), 2u);
    EXPECT_EQ(response->brokers()[0], Node(1, "host-a", 9092, "r1"));
    EXPECT_EQ(response->clusterId(), "cluster-x");

    const auto cluster = response->buildCluster();
    EXPECT_EQ(cluster->leaderFor({"orders", 0}), Node(2, "host-b", 9093));
    EXPECT_FALSE(cluster->leaderFor({"orders", 1}).has_value());
    EXPECT_EQ(cluster->partitionCountForTopic("orders"), 2);
    EXPECT_EQ(cluster->availablePartitionsForTopic("orders").size(), 1u);
}

TEST(Protocol, EveryTruncationOfAResponseIsASchemaErrorNotACrash) {
    const Bytes bytes = metadataResponseV8();
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
        Readable in(std::span<const std::uint8_t>(bytes).first(cut), "MetadataResponse v8");
        EXPECT_THROW(MetadataResponse::parse(in, 8), errors::SchemaException) << "cut at " << cut;
    }
}

TEST(Protocol, ACountLargerThanTheBytesLeftIsRefusedBeforeAnyAllocation) {
    Bytes bytes;
    Writable out(bytes);
    out.writeInt32(0);           // throttle_time_ms
    out.writeInt32(0x7fffffff);  // two billion brokers, in a few bytes
    Readable in(bytes, "MetadataResponse v8");
    try {
        MetadataResponse::parse(in, 8);
        FAIL() << "parsed an impossible count";
    } catch (const errors::SchemaException& e) {
        EXPECT_NE(std::string(e.what()).find("brokers has count 2147483647"), std::string::npos)
            << e.what();
    }
}

TEST(Protocol, ANegativeStringLengthOtherThanNullIsAnError) {
    Bytes bytes;
    Writable out(bytes);
    out.writeInt16(-2);
    Readable in(bytes, "a string");
    EXPECT_THROW(in.readNullableString("name"), errors::SchemaException);
}

TEST(Protocol, AProduceRequestGroupsPartitionsByTopicAndCarriesTheBatchesAsTheyAre) {
    const Bytes batchA{0xaa, 0xbb}, batchB{0xcc}, batchC{0xdd};
    const ProduceRequest request(-1, 30'000,
                                 {{{"a", 0}, batchA}, {{"a", 1}, batchB}, {{"b", 0}, batchC}});
    Bytes bytes;
    Writable out(bytes);
    request.write(out, 3);
    EXPECT_EQ(hexOf(bytes),
              "ffff"      // transactional_id: null
              "ffff"      // acks: -1
              "00007530"  // timeout_ms: 30000
              "00000002"  // two topics
              "0001"
              "61"
              "00000002"  // "a", two partitions
              "00000000"
              "00000002"
              "aabb"  // 0: 2 bytes of records
              "00000001"
              "00000001"
              "cc"  // 1: 1 byte
              "0001"
              "62"
              "00000001"
              "00000000"
              "00000001"
              "dd");  // "b", partition 0
}

TEST(Protocol, AProduceResponseGivesEachPartitionItsErrorAndOffset) {
    for (std::int16_t version : {3, 5, 8}) {
        Bytes bytes;
        Writable out(bytes);
        out.writeArrayLength(1);
        out.writeString("a");
        out.writeArrayLength(2);
        out.writeInt32(0), out.writeInt16(0), out.writeInt64(42), out.writeInt64(-1);
        if (version >= 5) out.writeInt64(0);
        if (version >= 8) out.writeArrayLength(0), out.writeNullableString({});
        out.writeInt32(1), out.writeInt16(6), out.writeInt64(-1), out.writeInt64(-1);
        if (version >= 5) out.writeInt64(0);
        if (version >= 8) out.writeArrayLength(0), out.writeNullableString("not the leader");
        out.writeInt32(0);  // throttle_time_ms
        Readable in(bytes, "ProduceResponse");
        const auto response = ProduceResponse::parse(in, version);
        EXPECT_EQ(in.remaining(), 0u) << "v" << version;
        EXPECT_EQ(response->responses().at({"a", 0}).baseOffset, 42);
        EXPECT_EQ(response->responses().at({"a", 1}).error,
                  common::protocol::Errors::kNotLeaderOrFollower);
        if (version >= 8) {
            EXPECT_EQ(response->responses().at({"a", 1}).errorMessage, "not the leader");
        }
    }
}

}  // namespace
}  // namespace kafka::common::requests
