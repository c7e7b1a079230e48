//@ ch38
#include "kafka/common/compress/Compression.h"

#include <string>

#include "kafka/common/compress/GzipCompression.h"
#include "kafka/common/compress/Lz4Compression.h"
#include "kafka/common/compress/NoCompression.h"
#include "kafka/common/compress/SnappyCompression.h"
#include "kafka/common/compress/ZstdCompression.h"
#include "kafka/common/errors/Exceptions.h"

namespace kafka::common::compress {

std::unique_ptr<Compression> Compression::of(record::CompressionType type,
                                             std::optional<int> level) {
    const auto levels = levelsOf(type);
    // none and snappy have no level to set: a level for them is a caller's mistake (Kafka's
    // builders for them have no level() to call), not something to ignore quietly.
    if (!levels && level)
        throw errors::IllegalArgumentException(std::string(record::name(type)) +
                                               " has no compression levels, but level " +
                                               std::to_string(*level) + " was given");
    const int chosen = level.value_or(levels ? levels->defaultLevel : 0);
    switch (type) {
        case record::CompressionType::kNone:
            return std::make_unique<NoCompression>();
        case record::CompressionType::kGzip:
            return std::make_unique<GzipCompression>(chosen);
        case record::CompressionType::kSnappy:
            return std::make_unique<SnappyCompression>();
        case record::CompressionType::kLz4:
            return std::make_unique<Lz4Compression>(chosen);
        case record::CompressionType::kZstd:
            return std::make_unique<ZstdCompression>(chosen);
    }
    throw errors::IllegalArgumentException("unknown compression type " +
                                           std::to_string(static_cast<int>(type)));
}

std::optional<Levels> levelsOf(record::CompressionType type) {
    switch (type) {
        case record::CompressionType::kGzip:
            return Levels{GzipCompression::kMinLevel, GzipCompression::kMaxLevel,
                          GzipCompression::kDefaultLevel};
        case record::CompressionType::kLz4:
            return Levels{Lz4Compression::kMinLevel, Lz4Compression::kMaxLevel,
                          Lz4Compression::kDefaultLevel};
        case record::CompressionType::kZstd:
            return Levels{ZstdCompression::minLevel(), ZstdCompression::maxLevel(),
                          ZstdCompression::kDefaultLevel};
        case record::CompressionType::kNone:
        case record::CompressionType::kSnappy:
            return std::nullopt;
    }
    return std::nullopt;
}

utils::Bytes& outputScratch(std::size_t size) {
    thread_local utils::Bytes scratch;
    if (scratch.size() < size) scratch.resize(size);
    return scratch;
}

}  // namespace kafka::common::compress
