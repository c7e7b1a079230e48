// Chapter 17: a produce request's record batches are not copied into its frame. The Writable
// notes where each goes and the NetworkSend writes them from where they are, with one gathering
// write; the bytes on the wire are the same as a flat frame's, however the socket cuts them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "kafka/common/TopicPartition.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/network/NetworkSend.h"
#include "kafka/common/network/Selector.h"
#include "kafka/common/protocol/Writable.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/requests/RequestHeader.h"
#include "support/LoopbackServer.h"

namespace kafka::common::network {
namespace {

using protocol::Writable;
using requests::ProduceRequest;
using utils::Bytes;

// Stand-ins for record batches: distinct bytes, so that a piece out of place shows.
Bytes batchOf(std::size_t size, std::uint8_t seed) {
    Bytes bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(seed + i * 7);
    return bytes;
}

class GatheringSend : public ::testing::Test {
protected:
    GatheringSend() {
        std::map<TopicPartition, std::span<const std::uint8_t>> records{
            {{"a", 0}, a0}, {{"a", 1}, a1}, {{"b", 3}, b3}};
        request = std::make_shared<ProduceRequest>(1, 30'000, std::move(records));
    }

    // The frame as chapter 15 built it: everything copied into one buffer.
    Bytes flatFrame() const {
        Bytes frame(4);
        Writable out(frame);
        header.write(out);
        request->write(out, 7);
        const NetworkSend send = NetworkSend::withSizeInFront("1", std::move(frame));
        const auto bytes = send.remaining().front();
        return Bytes(bytes.begin(), bytes.end());
    }

    // The frame as NetworkClient builds it now: the batches lent.
    NetworkSend gatheredSend() const {
        Bytes frame(4);
        std::vector<LentBytes> lent;
        Writable out(frame, lent);
        header.write(out);
        request->write(out, 7);
        return NetworkSend::withSizeInFront("1", std::move(frame), lent);
    }

    // Writes `send` the way a socket might: `cut(left)` bytes at a time.
    template <typename Cut>
    static Bytes writeOut(NetworkSend& send, Cut cut) {
        Bytes wire;
        while (!send.completed()) {
            std::size_t take = cut(send.size() - wire.size());
            const std::size_t took = take;
            for (const auto& buffer : send.remaining()) {
                const auto part = buffer.first(std::min(take, buffer.size()));
                wire.insert(wire.end(), part.begin(), part.end());
                take -= part.size();
                if (take == 0) break;
            }
            send.written(took);
        }
        return wire;
    }

    Bytes a0 = batchOf(300, 1), a1 = batchOf(1, 2), b3 = batchOf(5000, 3);
    requests::RequestHeader header{protocol::ApiKeys::kProduce, 7, 42, "gathering-test"};
    std::shared_ptr<ProduceRequest> request;
};

TEST_F(GatheringSend, TheBatchesAreLentNotCopied) {
    const NetworkSend send = gatheredSend();
    EXPECT_EQ(send.size(), flatFrame().size());
    const auto buffers = send.remaining();
    // own bytes, a-0, own, a-1, own, b-3: the last batch ends the frame
    ASSERT_EQ(buffers.size(), 6u);
    EXPECT_EQ(buffers[1].data(), a0.data());
    EXPECT_EQ(buffers[3].data(), a1.data());
    EXPECT_EQ(buffers[5].data(), b3.data());
    EXPECT_EQ(buffers[5].size(), b3.size());
}

TEST_F(GatheringSend, TheWireSeesTheFlatFrameWrittenInOneGo) {
    NetworkSend send = gatheredSend();
    EXPECT_EQ(writeOut(send, [](std::size_t left) { return left; }), flatFrame());
}

TEST_F(GatheringSend, TheWireSeesTheFlatFrameForEverySizeOfPartialWrite) {
    const Bytes flat = flatFrame();
    for (std::size_t step : {1, 2, 3, 4, 5, 7, 13, 64, 299, 300, 301, 1000, 4999, 5000}) {
        NetworkSend send = gatheredSend();
        EXPECT_EQ(writeOut(send, [step](std::size_t left) { return std::min(step, left); }), flat)
            << "writes of " << step << " bytes";
    }
}

TEST_F(GatheringSend, TheWireSeesTheFlatFrameForRandomPartialWrites) {
    const Bytes flat = flatFrame();
    std::mt19937 random(17);
    for (int round = 0; round < 200; ++round) {
        NetworkSend send = gatheredSend();
        EXPECT_EQ(writeOut(send,
                           [&random](std::size_t left) {
                               return std::uniform_int_distribution<std::size_t>(1, left)(random);
                           }),
                  flat)
            << "round " << round;
    }
}

TEST_F(GatheringSend, AWriteBeyondTheEndIsRefused) {
    NetworkSend send = gatheredSend();
    EXPECT_THROW(send.written(send.size() + 1), errors::IllegalStateException);
    send.written(send.size());
    EXPECT_TRUE(send.completed());
    EXPECT_TRUE(send.remaining().empty());
}

TEST(GatheringSendFrame, LentBytesMustComeInOrderInsideTheFrame) {
    const Bytes lent = batchOf(8, 0);
    EXPECT_THROW(NetworkSend::withSizeInFront("1", Bytes(10), {{12, lent}}),
                 errors::IllegalArgumentException);
    EXPECT_THROW(NetworkSend::withSizeInFront("1", Bytes(10), {{8, lent}, {6, lent}}),
                 errors::IllegalArgumentException);
    EXPECT_THROW(NetworkSend::withSizeInFront("1", Bytes(10), {{2, lent}}),
                 errors::IllegalArgumentException)
        << "the size goes first";
    const NetworkSend send = NetworkSend::withSizeInFront("1", Bytes(10), {{6, lent}, {6, lent}});
    EXPECT_EQ(send.size(), 10u + 16u);
}

// Through a real socket with a small send buffer, so that the kernel takes the frame in many
// partial writes that end anywhere: the server reads the same payload as the flat frame's.
TEST_F(GatheringSend, ASelectorWritesTheLentBatchesThroughASmallSocketBuffer) {
    b3 = batchOf(1 << 20, 9);  // a 1 MiB batch: many writes
    std::map<TopicPartition, std::span<const std::uint8_t>> records{
        {{"a", 0}, a0}, {{"a", 1}, a1}, {{"b", 3}, b3}};
    request = std::make_shared<ProduceRequest>(1, 30'000, std::move(records));
    const Bytes flat = flatFrame();

    test::LoopbackServer server(test::LoopbackServer::echoFrames);
    Selector selector(Selector::Settings{.sendBufferBytes = 4096});
    selector.connect("1", "127.0.0.1", server.port());
    test::Seen seen;
    ASSERT_TRUE(
        test::pollUntil(selector, seen, [](const auto& s) { return !s.connected.empty(); }));
    selector.send(gatheredSend());
    ASSERT_TRUE(test::pollUntil(selector, seen, [](const auto& s) {
        return s.completedSends == 1 && !s.receives.empty();
    }));
    ASSERT_EQ(seen.receives.size(), 1u);
    EXPECT_TRUE(utils::toBytes(seen.receives[0].second) == Bytes(flat.begin() + 4, flat.end()))
        << "the echoed payload differs from the flat frame's";
}

}  // namespace
}  // namespace kafka::common::network
