//@ ch06
#pragma once

#include <cstdint>
#include <span>
//> ch17
#include <string>

#include "kafka/common/config/ConfigDef.h"
//< ch17
//> ch34
#include <filesystem>
#include <string_view>
//< ch34

namespace kafka::common::utils {

/// Kafka's Utils: the hash that decides which partition a key goes to (and, from chapter 17,
/// the reader of .properties files that the command-line tools share).
struct Utils {
    /// Kafka's murmur2 (MurmurHash2, 32-bit, seed 0x9747b28c), byte for byte as the Java
    /// client computes it, so that a key lands in the same partition whichever client sent it.
    static std::int32_t murmur2(std::span<const std::uint8_t> data);

    //> ch06 to-positive
    /// Clears the sign bit. Not abs(): toPositive(-1) is 2147483647, and toPositive of the
    /// smallest int is 0, where abs() would overflow.
    static std::int32_t toPositive(std::int32_t number) { return number & 0x7fffffff; }
    //< ch06 to-positive
    //> ch17
    /// Reads a Java-style properties file: KEY=VALUE (or KEY:VALUE) lines, blank lines, and
    /// comments starting with # or !. Throws KafkaException naming the file and the line.
    static config::Properties loadProps(const std::string& path);
    //< ch17
    //> ch34
    /// Replaces `file` with `content` so that a crash or a power cut leaves the old file or
    /// the new one, never half of one (chapter 34). Throws KafkaStorageException naming the
    /// file and the system's reason.
    static void atomicWriteFile(const std::filesystem::path& file, std::string_view content);
    //< ch34
};

}  // namespace kafka::common::utils
