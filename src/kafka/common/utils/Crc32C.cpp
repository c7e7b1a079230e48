//@ ch07
#include "kafka/common/utils/Crc32C.h"

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

bool cpuHasSse42() {
    __builtin_cpu_init();  // harmless if done already; needed if we run before main()
    return __builtin_cpu_supports("sse4.2");
}
#endif

}  // namespace

//> ch07 crc32c-dispatch
std::uint32_t Crc32C::update(std::uint32_t crc, std::span<const std::uint8_t> bytes) {
#ifdef KAFKA_CRC32C_SSE42
    if (hardwareAccelerated()) return ~sse42Register(~crc, bytes.data(), bytes.size());
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
