// Chapter 7 demo: a record batch v2 under a magnifying glass. Builds a small batch the way
// a producer does (MemoryRecordsBuilder), prints every header field and every record byte by
// byte with its meaning, then reads the batch back and shows what the CRC protects.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/utils/ByteUtils.h"
#include "kafka/common/utils/Crc32C.h"

using namespace kafka::common;
using record::DefaultRecordBatch;
using utils::Bytes;
using utils::ByteUtils;

namespace {

std::span<const std::uint8_t> whole;  // the batch being shown

// One line: where, the bytes (in hex), a label and a decoded value.
void line(std::size_t at, std::size_t size, const std::string& label, const std::string& value) {
    std::string hex;
    char digits[4];
    for (std::size_t i = 0; i < size; ++i) {
        if (hex.size() >= 27) {  // long values: the first bytes and an ellipsis
            hex += "..";
            break;
        }
        std::snprintf(digits, sizeof digits, "%02x", whole[at + i]);
        hex += digits;
    }
    std::printf("  %4zu  %-30s %-22s %s\n", at, hex.c_str(), label.c_str(), value.c_str());
}

template <typename Int>
void field(std::size_t at, const std::string& label, const std::string& note = "") {
    const auto value = ByteUtils::readBigEndian<Int>(whole, at);
    std::string text = std::to_string(value);
    if (!note.empty()) text += "  (" + note + ")";
    line(at, sizeof(Int), label, text);
}

std::string quoted(const std::optional<Bytes>& bytes) {
    return bytes ? "\"" + utils::toString(*bytes) + "\"" : "null";
}

// Walks one record's fields, printing each varint with its zigzag decoding.
std::size_t showRecord(std::size_t at, int index) {
    std::printf("  -- record %d\n", index);
    auto varint = [&](const std::string& label, bool isLong = false) {
        const std::size_t start = at;
        const std::int64_t value =
            isLong ? ByteUtils::readVarlong(whole, at) : ByteUtils::readVarint(whole, at);
        line(start, at - start, label, std::to_string(value));
        return value;
    };
    auto bytes = [&](const std::string& label, std::int64_t size) {
        if (size < 0) return;
        const auto text = std::string(whole.begin() + static_cast<std::ptrdiff_t>(at),
                                      whole.begin() + static_cast<std::ptrdiff_t>(at + size));
        line(at, static_cast<std::size_t>(size), label, "\"" + text + "\"");
        at += static_cast<std::size_t>(size);
    };
    varint("length");
    line(at, 1, "attributes", std::to_string(whole[at]));
    ++at;
    varint("timestampDelta", true);
    varint("offsetDelta");
    bytes("key", varint("keyLength"));
    bytes("value", varint("valueLength"));
    const auto headers = varint("headersCount");
    for (std::int64_t h = 0; h < headers; ++h) {
        bytes("header key", varint("headerKeyLength"));
        bytes("header value", varint("headerValueLength"));
    }
    return at;
}

}  // namespace

int main() {
    constexpr std::int64_t t0 = 1700000000000;
    record::MemoryRecordsBuilder builder(16384);
    builder.append(t0, utils::toBytes("k"), utils::toBytes("v1"));
    builder.append(t0 + 5, std::nullopt, utils::toBytes("v2"));
    builder.append(t0 + 2, utils::toBytes("user-42"), utils::toBytes("clicked"),
                   {{"trace-id", utils::toBytes("abc")}, {"empty", std::nullopt}});
    const Bytes& built = builder.build();
    whole = built;

    std::printf("A record batch v2 of %zu bytes: 3 records, the third with 2 headers.\n\n",
                built.size());
    std::printf("  %4s  %-30s %-22s %s\n", "at", "bytes", "field", "value");
    field<std::int64_t>(DefaultRecordBatch::kBaseOffsetOffset, "baseOffset", "broker assigns");
    field<std::int32_t>(DefaultRecordBatch::kLengthOffset, "batchLength", "bytes after this");
    field<std::int32_t>(DefaultRecordBatch::kPartitionLeaderEpochOffset, "partitionLeaderEpoch",
                        "not in the CRC");
    field<std::int8_t>(DefaultRecordBatch::kMagicOffset, "magic");
    char crc[32];
    std::snprintf(crc, sizeof crc, "0x%08x",
                  ByteUtils::readBigEndian<std::uint32_t>(whole, DefaultRecordBatch::kCrcOffset));
    line(DefaultRecordBatch::kCrcOffset, 4, "crc", std::string(crc) + "  (CRC-32C of [21, end))");
    field<std::int16_t>(DefaultRecordBatch::kAttributesOffset, "attributes",
                        "no compression, CreateTime");
    field<std::int32_t>(DefaultRecordBatch::kLastOffsetDeltaOffset, "lastOffsetDelta");
    field<std::int64_t>(DefaultRecordBatch::kBaseTimestampOffset, "baseTimestamp");
    field<std::int64_t>(DefaultRecordBatch::kMaxTimestampOffset, "maxTimestamp", "t0 + 5");
    field<std::int64_t>(DefaultRecordBatch::kProducerIdOffset, "producerId", "not idempotent");
    field<std::int16_t>(DefaultRecordBatch::kProducerEpochOffset, "producerEpoch");
    field<std::int32_t>(DefaultRecordBatch::kBaseSequenceOffset, "baseSequence");
    field<std::int32_t>(DefaultRecordBatch::kRecordsCountOffset, "recordsCount");
    std::size_t at = DefaultRecordBatch::kRecordsOffset;
    for (int i = 0; at < built.size(); ++i) at = showRecord(at, i);

    std::printf("\nRead back through MemoryRecords:\n");
    for (const auto& batch : record::MemoryRecords::readableRecords(built).batches()) {
        batch.ensureValid();
        for (const auto& r : batch.records()) {
            std::printf("  offset %lld  timestamp t0%+lld  key %-9s value %-9s headers %zu\n",
                        static_cast<long long>(r.offset()),
                        static_cast<long long>(r.timestamp() - t0), quoted(r.key()).c_str(),
                        quoted(r.value()).c_str(), r.headers().size());
        }
    }

    Bytes copy = built;
    copy[DefaultRecordBatch::kPartitionLeaderEpochOffset + 3] = 7;  // what a broker does
    std::printf("\nThe broker sets partitionLeaderEpoch to 7: CRC still valid? %s\n",
                DefaultRecordBatch(copy).isValid() ? "yes" : "no");
    const std::string clicked = "clicked";
    const auto value = std::search(copy.begin(), copy.end(), clicked.begin(), clicked.end());
    *value ^= 0x20;  // one bit of the third record's value: "clicked" becomes "Clicked"
    std::printf("One bit of a value flipped on the way:    CRC still valid? %s\n",
                DefaultRecordBatch(copy).isValid() ? "yes" : "no");
    try {
        DefaultRecordBatch(copy).ensureValid();
    } catch (const std::exception& e) {
        std::printf("  ensureValid(): %s\n", e.what());
    }
    std::printf("\nCRC-32C on this machine: %s\n", utils::Crc32C::hardwareAccelerated()
                                                       ? "SSE4.2 crc32 instruction"
                                                       : "portable slicing-by-8 tables");
    return 0;
}
