//@ ch38
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kafka::common::record {

/// The codec a batch's records are compressed with (Kafka's CompressionType). A batch says
/// which in the low three bits of its attributes; the id is that value, and the name is how
/// compression.type spells it. Ids 5 to 7 are unused: a batch that claims one is corrupt.
enum class CompressionType : std::int8_t {
    kNone = 0,
    kGzip = 1,
    kSnappy = 2,
    kLz4 = 3,
    kZstd = 4,
};

/// Kafka's names, as compression.type spells them.
constexpr std::string_view name(CompressionType type) {
    switch (type) {
        case CompressionType::kNone:
            return "none";
        case CompressionType::kGzip:
            return "gzip";
        case CompressionType::kSnappy:
            return "snappy";
        case CompressionType::kLz4:
            return "lz4";
        case CompressionType::kZstd:
            return "zstd";
    }
    return "unknown";
}

/// The type a name stands for, or nothing for a name Kafka does not know.
constexpr std::optional<CompressionType> compressionTypeForName(std::string_view name) {
    for (auto type : {CompressionType::kNone, CompressionType::kGzip, CompressionType::kSnappy,
                      CompressionType::kLz4, CompressionType::kZstd})
        if (record::name(type) == name) return type;
    return std::nullopt;
}

/// The type of a codec id, as a batch's attributes hold it (DefaultRecordBatch::compressionType),
/// or nothing for an id no codec has (5, 6, 7).
constexpr std::optional<CompressionType> compressionTypeForId(int id) {
    if (id < 0 || id > static_cast<int>(CompressionType::kZstd)) return std::nullopt;
    return static_cast<CompressionType>(id);
}

}  // namespace kafka::common::record
