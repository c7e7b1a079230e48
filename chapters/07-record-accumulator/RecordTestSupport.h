// Chapter 7 tests' shared helpers: bytes from and to hex, and re-sealing a batch's CRC after a
// test has changed a field on purpose (to reach the checks that come after the CRC's).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/utils/ByteUtils.h"
#include "kafka/common/utils/Bytes.h"
#include "kafka/common/utils/Crc32C.h"
#include "support/Peers.h"

namespace kafka::common::record::test {

/// Hex digits to bytes; spaces and newlines are ignored, so vectors can be laid out by field.
inline utils::Bytes fromHex(std::string_view hex) {
    utils::Bytes out;
    int high = -1;
    for (char c : hex) {
        int digit;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else
            continue;
        if (high < 0) {
            high = digit;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | digit));
            high = -1;
        }
    }
    return out;
}

using kafka::test::toHex;

/// Recomputes the CRC of the batch at the front of `batch`, as a writer would have.
inline void reseal(utils::Bytes& batch) {
    const auto crc = utils::Crc32C::compute(
        std::span<const std::uint8_t>(batch).subspan(DefaultRecordBatch::kAttributesOffset));
    utils::ByteUtils::writeBigEndian(std::span<std::uint8_t>(batch), DefaultRecordBatch::kCrcOffset,
                                     crc);
}

/// The two known-answer batches of the course's reference (section P.4): produced
/// independently by a fresh encoder and by kafkajs 2.2.4, byte for byte the same.
constexpr std::int64_t kBaseTimestamp = 1700000000000;  // 0x18BCFE56800

inline utils::Bytes testVector1() {
    return fromHex(
        "0000000000000000 0000003a ffffffff 02 bbcc4115 0000 00000000"
        "0000018bcfe56800 0000018bcfe56800 ffffffffffffffff ffff ffffffff 00000001"
        "10 00 00 00 01 04 6869 00");
}

inline utils::Bytes testVector2() {
    return fromHex(
        "000000000000000000000044ffffffff02ca881a9a0000000000010000018bcfe568000000018bcfe56805"
        "ffffffffffffffffffffffffffff0000000212000000026b0476310010000a020104763200");
}

}  // namespace kafka::common::record::test
