//@ ch07
#pragma once

#include <cstdint>
#include <span>

namespace kafka::common::utils {

/// CRC-32C (Castagnoli): the checksum of record batch v2 (chapter 7). Kafka's Java client
/// computes it with java.util.zip.CRC32C (Java 9+) or its own table-driven Crc32C class;
/// the bytes on the wire do not care which, only that the polynomial is Castagnoli's.
///
/// The parameters, for anyone checking by hand: reflected polynomial 0x82F63B78, initial
/// value 0xFFFFFFFF, final XOR 0xFFFFFFFF. crc32c("123456789") = 0xE3069283.
///
/// Two implementations give the same answer: the SSE4.2 `crc32` instruction, picked at run
/// time when the CPU has it (the build needs no -msse4.2, so the binary still runs on a CPU
/// without it), and a portable slicing-by-8 table walk for every other machine.
class Crc32C {
public:
    /// The checksum of `bytes`.
    static std::uint32_t compute(std::span<const std::uint8_t> bytes) { return update(0, bytes); }

    /// Continues a checksum: update(compute(a), b) == compute(a followed by b), and
    /// update(0, b) == compute(b). `crc` is a finished checksum, as compute() returns it.
    static std::uint32_t update(std::uint32_t crc, std::span<const std::uint8_t> bytes);

    /// update() with the portable table walk, whatever the CPU has. Tests check that both
    /// implementations agree; a benchmark compares their speed.
    static std::uint32_t updatePortable(std::uint32_t crc, std::span<const std::uint8_t> bytes);

    /// Whether update() uses the CPU's SSE4.2 crc32 instruction on this machine.
    static bool hardwareAccelerated();
};

}  // namespace kafka::common::utils
