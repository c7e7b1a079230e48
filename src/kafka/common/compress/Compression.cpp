//@ ch38
#include "kafka/common/compress/Compression.h"

#include <string>
#include <variant>

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

config::ConfigDef::Validator levelValidator(record::CompressionType type) {
    const Levels levels = *levelsOf(type);
    if (type != record::CompressionType::kGzip)
        return config::ConfigDef::between(levels.min, levels.max);
    return [levels](const std::string& name, const config::ConfigValue& value) {
        const auto level = std::get<std::int32_t>(value);
        if (level == levels.defaultLevel || (level >= levels.min && level <= levels.max)) return;
        throw errors::ConfigException(
            "Invalid value " + std::to_string(level) + " for configuration " + name +
            ": Value must be between " + std::to_string(levels.min) + " and " +
            std::to_string(levels.max) + " or equal to " + std::to_string(levels.defaultLevel));
    };
}

utils::Bytes& outputScratch(std::size_t size) {
    thread_local utils::Bytes scratch;
    if (scratch.size() < size) scratch.resize(size);
    return scratch;
}

}  // namespace kafka::common::compress
