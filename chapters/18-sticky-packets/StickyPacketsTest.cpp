// Chapter 18: sticky packets. Several size-prefixed frames in one read come out as separate
// receives, in order, and a frame cut off at the end of the read waits for the rest.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "kafka/common/network/KafkaChannel.h"
#include "kafka/common/network/NetworkReceive.h"
#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::network {
namespace {

using utils::Bytes;

// [int32 size][payload], as on the wire.
Bytes frame(const std::string& payload) {
    Bytes bytes(4 + payload.size());
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(bytes), 0,
                                     static_cast<std::int32_t>(payload.size()));
    std::copy(payload.begin(), payload.end(), bytes.begin() + 4);
    return bytes;
}

Bytes glued(const std::vector<std::string>& payloads) {
    Bytes bytes;
    for (const auto& payload : payloads) {
        const auto f = frame(payload);
        bytes.insert(bytes.end(), f.begin(), f.end());
    }
    return bytes;
}

std::vector<std::string> payloads(const std::vector<NetworkReceive>& receives) {
    std::vector<std::string> result;
    for (const auto& receive : receives) result.push_back(utils::toString(receive.payload()));
    return result;
}

TEST(StickyPackets, ThreeFramesInOneReadGiveThreeReceivesInOrder) {
    KafkaChannel channel("1", NetworkReceive::kUnlimited);
    const auto receives = channel.read(glued({"abc", "de", "fghij"}));
    EXPECT_EQ(payloads(receives), (std::vector<std::string>{"abc", "de", "fghij"}));
    EXPECT_FALSE(channel.hasPartialReceive());
    for (const auto& receive : receives) EXPECT_EQ(receive.source(), "1");
}

TEST(StickyPackets, AReceiveTakesOnlyItsOwnFramesBytes) {
    const Bytes bytes = glued({"abc", "de"});
    NetworkReceive receive("1");
    EXPECT_EQ(receive.readFrom(bytes), 7u) << "4 size bytes and 3 payload bytes, not one more";
    EXPECT_TRUE(receive.complete());
    EXPECT_EQ(utils::toString(receive.payload()), "abc");
}

TEST(StickyPackets, AFrameCutOffAtTheEndOfTheReadWaitsForTheRest) {
    KafkaChannel channel("1", NetworkReceive::kUnlimited);
    const Bytes bytes = glued({"first", "second"});
    const std::span<const std::uint8_t> all(bytes);
    // The read ends three bytes before the second frame does.
    EXPECT_EQ(payloads(channel.read(all.first(all.size() - 3))), std::vector<std::string>{"first"});
    EXPECT_TRUE(channel.hasPartialReceive()) << "nothing lost at the end of the read";
    EXPECT_EQ(payloads(channel.read(all.last(3))), std::vector<std::string>{"second"});
}

TEST(StickyPackets, AnEmptyFrameIsAFrame) {
    KafkaChannel channel("1", NetworkReceive::kUnlimited);
    EXPECT_EQ(payloads(channel.read(glued({"", "x", ""}))),
              (std::vector<std::string>{"", "x", ""}));
}

TEST(StickyPackets, AHundredFramesInOneRead) {
    KafkaChannel channel("1", NetworkReceive::kUnlimited);
    std::vector<std::string> sent;
    for (int i = 0; i < 100; ++i) sent.push_back("response " + std::to_string(i));
    EXPECT_EQ(payloads(channel.read(glued(sent))), sent);
}

}  // namespace
}  // namespace kafka::common::network
