// Chapter 31: a broker checks the CRC-32C of every batch it is sent, so from here the
// hardware path runs three chains of the crc32 instruction side by side over long buffers
// and joins them (Crc32C.cpp, crc32c-three-chains). The joined checksums must be exactly the
// single chain's, which the portable table walk computes independently.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "kafka/common/utils/Crc32C.h"

namespace kafka::common::utils {
namespace {

TEST(Crc32C, LongBuffersComputedInThreeChainsMatchThePortablePath) {
    // From 3 KiB the hardware path runs three chains of crc32 side by side and joins them
    // (crc32c-three-streams): lengths around whole blocks, a batch's 64 KiB, and an odd size,
    // at every alignment, and a checksum continued across pieces that cut blocks apart.
    std::mt19937 random(21);
    std::vector<std::uint8_t> data(100'000 + 8);
    for (auto& byte : data) byte = static_cast<std::uint8_t>(random());
    for (std::size_t start = 0; start < 8; ++start)
        for (std::size_t length : {3071, 3072, 3073, 6144 + 13, 65'536, 100'000}) {
            const auto piece = std::span<const std::uint8_t>(data).subspan(start, length);
            EXPECT_EQ(Crc32C::compute(piece), Crc32C::updatePortable(0, piece))
                << "start " << start << " length " << length;
        }
    const auto whole = std::span<const std::uint8_t>(data);
    for (std::size_t cut : {1, 1500, 3072, 50'001})
        EXPECT_EQ(Crc32C::update(Crc32C::compute(whole.first(cut)), whole.subspan(cut)),
                  Crc32C::updatePortable(0, whole))
            << cut;
}

}  // namespace
}  // namespace kafka::common::utils
