// Chapter 19: split packets. A frame spread over several reads, its size prefix included,
// still decodes, wherever it is cut; and a size that cannot be right is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "kafka/common/network/InvalidReceiveException.h"
#include "kafka/common/network/KafkaChannel.h"
#include "kafka/common/network/NetworkReceive.h"
#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::network {
namespace {

using utils::Bytes;

Bytes frameOfSize(std::int32_t size, const std::string& payload) {
    Bytes bytes(4 + payload.size());
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(bytes), 0, size);
    std::copy(payload.begin(), payload.end(), bytes.begin() + 4);
    return bytes;
}

Bytes frame(const std::string& payload) {
    return frameOfSize(static_cast<std::int32_t>(payload.size()), payload);
}

TEST(SplitPackets, AFrameSplitAtEveryOffsetStillDecodes) {
    const std::string payload = "a produce response";
    const Bytes bytes = frame(payload);
    for (std::size_t cut = 0; cut <= bytes.size(); ++cut) {
        KafkaChannel channel("1", NetworkReceive::kUnlimited);
        const auto first = channel.read(std::span(bytes).first(cut));
        const auto second = channel.read(std::span(bytes).subspan(cut));
        const auto& receives = first.empty() ? second : first;
        ASSERT_EQ(first.size() + second.size(), 1u) << "cut at " << cut;
        EXPECT_EQ(utils::toString(receives[0].payload()), payload) << "cut at " << cut;
        EXPECT_EQ(channel.hasPartialReceive(), false) << "cut at " << cut;
        if (cut > 0 && cut < bytes.size()) {
            EXPECT_TRUE(first.empty()) << "incomplete after " << cut << " bytes";
        }
    }
}

TEST(SplitPackets, TwoFramesCutAtEveryPairOfOffsets) {
    Bytes bytes = frame("one");
    const Bytes second = frame("two!");
    bytes.insert(bytes.end(), second.begin(), second.end());
    for (std::size_t a = 0; a <= bytes.size(); ++a) {
        for (std::size_t b = a; b <= bytes.size(); ++b) {
            KafkaChannel channel("1", NetworkReceive::kUnlimited);
            std::vector<std::string> got;
            for (auto piece : {std::span(bytes).subspan(0, a), std::span(bytes).subspan(a, b - a),
                               std::span(bytes).subspan(b)})
                for (const auto& receive : channel.read(piece))
                    got.push_back(utils::toString(receive.payload()));
            ASSERT_EQ(got, (std::vector<std::string>{"one", "two!"})) << a << "/" << b;
        }
    }
}

TEST(SplitPackets, OneByteAtATime) {
    const std::string payload(300, 'x');
    const Bytes bytes = frame(payload);
    NetworkReceive receive("1");
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        EXPECT_FALSE(receive.complete()) << "after " << i << " bytes";
        EXPECT_EQ(receive.readFrom(std::span(bytes).subspan(i, 1)), 1u);
    }
    EXPECT_TRUE(receive.complete());
    EXPECT_EQ(utils::toString(receive.payload()), payload);
}

TEST(SplitPackets, ANegativeSizeIsRefused) {
    KafkaChannel channel("1", NetworkReceive::kUnlimited);
    try {
        channel.read(frameOfSize(-1, ""));
        FAIL() << "a negative size was accepted";
    } catch (const InvalidReceiveException& e) {
        EXPECT_STREQ(e.what(), "Invalid receive (size = -1)");
    }
}

TEST(SplitPackets, ASizeAboveTheLimitIsRefusedBeforeAnyPayloadArrives) {
    KafkaChannel channel("1", 100);
    try {
        channel.read(frameOfSize(200, ""));  // only the size: nothing is allocated or awaited
        FAIL() << "a size above the limit was accepted";
    } catch (const InvalidReceiveException& e) {
        EXPECT_STREQ(e.what(), "Invalid receive (size = 200 larger than 100)");
    }
}

TEST(SplitPackets, AnHttpRequestIsNotAFrame) {
    // "GET " read as a size is 1,195,725,856 bytes: a broker's 100 MiB limit refuses it.
    KafkaChannel channel("1", 100 * 1024 * 1024);
    const std::string http = "GET / HTTP/1.1\r\n";
    EXPECT_THROW(channel.read(Bytes(http.begin(), http.end())), InvalidReceiveException);
}

TEST(SplitPackets, ASendIsWrittenInPiecesAndKnowsWhenItIsDone) {
    const std::string payload = "request";
    NetworkSend send("1", Bytes(payload.begin(), payload.end()));
    EXPECT_EQ(send.size(), 4 + payload.size());
    Bytes wire;
    while (!send.completed()) {
        const auto left = send.remaining().front();  // a flat frame is one buffer
        const auto chunk = left.first(std::min<std::size_t>(3, left.size()));
        wire.insert(wire.end(), chunk.begin(), chunk.end());
        send.written(chunk.size());
    }
    EXPECT_EQ(wire, frame(payload));
    EXPECT_THROW(send.written(1), common::errors::IllegalStateException);
}

}  // namespace
}  // namespace kafka::common::network
