//@ ch07
#include "kafka/common/utils/Crc32C.h"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KAFKA_CRC32C_SSE42 1
#include <nmmintrin.h>
#endif

namespace kafka::common::utils {

namespace {

//> ch07 crc32c-tables
// The polynomial x^32 + x^28 + x^27 + ... + 1 (Castagnoli's), bit-reversed, because CRC-32C
// is computed least-significant bit first, as the bytes go out on a serial line.
constexpr std::uint32_t kPolynomial = 0x82F63B78;

// Slicing-by-8: kTables[0][b] is the CRC of the single byte b; kTables[k][b] is the CRC of b
// followed by k zero bytes. Eight lookups then advance the CRC by eight bytes at once,
// instead of eight dependent one-byte steps. 8 KiB of tables, built by the compiler.
constexpr std::array<std::array<std::uint32_t, 256>, 8> makeTables() {
    std::array<std::array<std::uint32_t, 256>, 8> tables{};
    for (std::uint32_t b = 0; b < 256; ++b) {
        std::uint32_t crc = b;
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1) ? kPolynomial : 0);
        tables[0][b] = crc;
    }
    for (std::size_t k = 1; k < 8; ++k)
        for (std::size_t b = 0; b < 256; ++b) {
            const std::uint32_t previous = tables[k - 1][b];
            tables[k][b] = (previous >> 8) ^ tables[0][previous & 0xff];
        }
    return tables;
}

constexpr auto kTables = makeTables();
//< ch07 crc32c-tables

//> ch07 crc32c-portable
// Works on the CRC register as it is during the computation (inverted); update() does the
// inversions once at each end.
std::uint32_t portableRegister(std::uint32_t crc, const std::uint8_t* p, std::size_t n) {
    while (n >= 8) {
        // The bytes are combined explicitly in little-endian order, so the code gives the
        // same answer on a big-endian machine.
        const std::uint32_t low =
            crc ^ (static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
                   static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24);
        crc = kTables[7][low & 0xff] ^ kTables[6][(low >> 8) & 0xff] ^
              kTables[5][(low >> 16) & 0xff] ^ kTables[4][low >> 24] ^ kTables[3][p[4]] ^
              kTables[2][p[5]] ^ kTables[1][p[6]] ^ kTables[0][p[7]];
        p += 8;
        n -= 8;
    }
    while (n-- > 0) crc = (crc >> 8) ^ kTables[0][(crc ^ *p++) & 0xff];
    return crc;
}
//< ch07 crc32c-portable

#ifdef KAFKA_CRC32C_SSE42
//> ch07 crc32c-sse42
// Compiled for SSE4.2 whatever the build's flags; only ever called after the CPU said it
// has SSE4.2. The crc32 instruction implements exactly the Castagnoli polynomial (Intel
// chose it for iSCSI), which is one reason Kafka picked CRC-32C for record batch v2.
__attribute__((target("sse4.2"))) std::uint32_t sse42Register(std::uint32_t crc,
                                                              const std::uint8_t* p,
                                                              std::size_t n) {
    std::uint64_t crc64 = crc;
    while (n >= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, sizeof word);  // an unaligned load, without undefined behaviour
        crc64 = _mm_crc32_u64(crc64, word);
        p += 8;
        n -= 8;
    }
    auto crc32 = static_cast<std::uint32_t>(crc64);
    while (n-- > 0) crc32 = _mm_crc32_u8(crc32, *p++);
    return crc32;
}
//< ch07 crc32c-sse42

//> ch31 crc32c-three-chains
// The crc32 instruction takes three cycles to give its result, but the core can start a new
// one every cycle: a single chain of dependent steps, as above, keeps it a third busy. So a
// long buffer is cut into blocks of three parts, and each part is a chain of its own,
// interleaved with the other two. The three CRCs are then joined. A CRC is linear: the CRC of
// A followed by B is A's CRC carried past as many zero bytes as B has, xored with B's CRC
// started from zero. Carrying a CRC past a fixed number of zero bytes is itself linear, so it
// is four table lookups, one per byte of the CRC.
constexpr std::size_t kPartBytes = 1024;  // each chain's part of a block of 3 KiB
constexpr std::size_t kCacheLineBytes = 64;

using ShiftTables = std::array<std::array<std::uint32_t, 256>, 4>;

// tables[k][b]: the CRC register holding b << 8k, after kPartBytes zero bytes. Built once,
// by running the instruction itself over the zeros (about 130,000 of them, well under 1 ms).
__attribute__((target("sse4.2"))) ShiftTables makeShiftTables() {
    ShiftTables tables{};
    for (std::size_t k = 0; k < 4; ++k)
        for (std::uint32_t b = 0; b < 256; ++b) {
            std::uint64_t crc = b << (8 * k);
            for (std::size_t i = 0; i < kPartBytes / 8; ++i) crc = _mm_crc32_u64(crc, 0);
            tables[k][b] = static_cast<std::uint32_t>(crc);
        }
    return tables;
}

std::uint32_t carryPastOnePart(std::uint32_t crc) {
    static const ShiftTables tables = makeShiftTables();
    return tables[0][crc & 0xff] ^ tables[1][(crc >> 8) & 0xff] ^ tables[2][(crc >> 16) & 0xff] ^
           tables[3][crc >> 24];
}

__attribute__((target("sse4.2"))) std::uint32_t sse42ThreeChains(std::uint32_t crc,
                                                                 const std::uint8_t* p,
                                                                 std::size_t n) {
    const auto load = [](const std::uint8_t* at) {
        std::uint64_t word;
        std::memcpy(&word, at, sizeof word);
        return word;
    };
    for (; n >= 3 * kPartBytes; n -= 3 * kPartBytes, p += 3 * kPartBytes) {
        // Ask for the next block (or what is left) while this one is checksummed. The bytes
        // often come from the other core's cache, not memory: the Sender's thread checksums
        // a batch that the thread calling send() has just written, and the hardware
        // prefetcher, following three streams at once, did not hide that (measured in the
        // chapter).
        const std::size_t ahead = std::min(n - 3 * kPartBytes, 3 * kPartBytes);
        for (std::size_t line = 0; line < ahead; line += kCacheLineBytes)
            __builtin_prefetch(p + 3 * kPartBytes + line);
        std::uint64_t first = crc, second = 0, third = 0;
        for (std::size_t i = 0; i < kPartBytes; i += 8) {
            first = _mm_crc32_u64(first, load(p + i));
            second = _mm_crc32_u64(second, load(p + kPartBytes + i));
            third = _mm_crc32_u64(third, load(p + 2 * kPartBytes + i));
        }
        crc = carryPastOnePart(carryPastOnePart(static_cast<std::uint32_t>(first)) ^
                               static_cast<std::uint32_t>(second)) ^
              static_cast<std::uint32_t>(third);
    }
    return sse42Register(crc, p, n);  // what is left, under 3 KiB, in one chain
}
//< ch31 crc32c-three-chains

bool cpuHasSse42() {
    __builtin_cpu_init();  // harmless if done already; needed if we run before main()
    return __builtin_cpu_supports("sse4.2");
}
#endif

}  // namespace

//> ch07 crc32c-dispatch
std::uint32_t Crc32C::update(std::uint32_t crc, std::span<const std::uint8_t> bytes) {
#ifdef KAFKA_CRC32C_SSE42
    /*> ch07-31 crc32c-one-chain
    if (hardwareAccelerated()) return ~sse42Register(~crc, bytes.data(), bytes.size());
    */
    //> ch31
    if (hardwareAccelerated()) return ~sse42ThreeChains(~crc, bytes.data(), bytes.size());
        //< ch31
#endif
    return ~portableRegister(~crc, bytes.data(), bytes.size());
}
//< ch07 crc32c-dispatch

std::uint32_t Crc32C::updatePortable(std::uint32_t crc, std::span<const std::uint8_t> bytes) {
    return ~portableRegister(~crc, bytes.data(), bytes.size());
}

bool Crc32C::hardwareAccelerated() {
#ifdef KAFKA_CRC32C_SSE42
    static const bool hardware = cpuHasSse42();  // asked once, thread-safely
    return hardware;
#else
    return false;
#endif
}

}  // namespace kafka::common::utils
