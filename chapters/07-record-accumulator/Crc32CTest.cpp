// Chapter 7: CRC-32C (Castagnoli), the checksum of record batch v2. Known answers from
// RFC 3720 (iSCSI, appendix B.4), and the SSE4.2 path against the portable table walk.
#include <gtest/gtest.h>

#include <iostream>
#include <numeric>
#include <random>
#include <string_view>
#include <vector>

#include "kafka/common/utils/Crc32C.h"

namespace kafka::common::utils {
namespace {

std::uint32_t crcOf(const std::vector<std::uint8_t>& bytes) {
    return Crc32C::compute(bytes);
}

std::span<const std::uint8_t> asBytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

TEST(Crc32C, MatchesTheCheckValue) {
    EXPECT_EQ(Crc32C::compute(asBytes("123456789")), 0xE3069283u);
    EXPECT_EQ(Crc32C::updatePortable(0, asBytes("123456789")), 0xE3069283u);
}

TEST(Crc32C, MatchesRfc3720Vectors) {
    std::vector<std::uint8_t> bytes(32, 0x00);
    EXPECT_EQ(crcOf(bytes), 0x8A9136AAu);
    std::fill(bytes.begin(), bytes.end(), 0xFF);
    EXPECT_EQ(crcOf(bytes), 0x62A8AB43u);
    std::iota(bytes.begin(), bytes.end(), 0);  // 0, 1, ..., 31
    EXPECT_EQ(crcOf(bytes), 0x46DD794Eu);
    std::iota(bytes.rbegin(), bytes.rend(), 0);  // 31, 30, ..., 0
    EXPECT_EQ(crcOf(bytes), 0x113FDB5Cu);
}

TEST(Crc32C, PortablePathMatchesRfc3720Vectors) {
    std::vector<std::uint8_t> bytes(32, 0x00);
    EXPECT_EQ(Crc32C::updatePortable(0, bytes), 0x8A9136AAu);
    std::fill(bytes.begin(), bytes.end(), 0xFF);
    EXPECT_EQ(Crc32C::updatePortable(0, bytes), 0x62A8AB43u);
    std::iota(bytes.begin(), bytes.end(), 0);
    EXPECT_EQ(Crc32C::updatePortable(0, bytes), 0x46DD794Eu);
    std::iota(bytes.rbegin(), bytes.rend(), 0);
    EXPECT_EQ(Crc32C::updatePortable(0, bytes), 0x113FDB5Cu);
}

TEST(Crc32C, OfNothingIsZero) {
    EXPECT_EQ(Crc32C::compute({}), 0u);
    EXPECT_EQ(Crc32C::update(0x12345678, {}), 0x12345678u);
}

TEST(Crc32C, UpdateContinuesAChecksumAcrossPieces) {
    const auto whole = asBytes("The quick brown fox jumps over the lazy dog");
    for (std::size_t cut = 0; cut <= whole.size(); ++cut) {
        const auto first = Crc32C::compute(whole.first(cut));
        EXPECT_EQ(Crc32C::update(first, whole.subspan(cut)), Crc32C::compute(whole)) << cut;
        EXPECT_EQ(
            Crc32C::updatePortable(Crc32C::updatePortable(0, whole.first(cut)), whole.subspan(cut)),
            Crc32C::compute(whole))
            << cut;
    }
}

TEST(Crc32C, HardwareAndPortablePathsAgreeOnRandomData) {
    if (!Crc32C::hardwareAccelerated())
        std::cout << "[ NOTE     ] no SSE4.2 here: both sides are the portable path\n";
    std::mt19937 random(7);
    std::vector<std::uint8_t> data(4096 + 64);
    for (auto& byte : data) byte = static_cast<std::uint8_t>(random());
    // Every length up to 100 and some long ones, at every alignment 0..7: the 8-byte loop,
    // the byte-at-a-time tail and unaligned loads are all exercised.
    std::vector<std::size_t> lengths(101);
    std::iota(lengths.begin(), lengths.end(), 0);
    lengths.insert(lengths.end(), {255, 256, 257, 1000, 4096});
    for (std::size_t start = 0; start < 8; ++start)
        for (std::size_t length : lengths) {
            const auto piece = std::span<const std::uint8_t>(data).subspan(start, length);
            EXPECT_EQ(Crc32C::compute(piece), Crc32C::updatePortable(0, piece))
                << "start " << start << " length " << length;
        }
}

TEST(Crc32C, IsNotTheCrc32OfTheOldMessageFormat) {
    // zlib's CRC-32 (IEEE) of "123456789" is 0xCBF43926: a v1 checksum in a v2 batch would
    // be refused by every broker.
    EXPECT_NE(Crc32C::compute(asBytes("123456789")), 0xCBF43926u);
}

}  // namespace
}  // namespace kafka::common::utils
