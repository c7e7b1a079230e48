//@ ch30
#pragma once

#include <cstdint>
//> ch31
#include <limits>

#include "kafka/common/record/TimestampType.h"
//< ch31
//> ch38
#include <optional>

#include "kafka/common/record/CompressionType.h"
//< ch38

namespace kafka::log {

/// The settings of one partition log (Kafka's LogConfig, whose keys a topic can override and
/// whose defaults come from the broker's log.* keys). Each chapter of the log adds the ones
/// it needs.
struct LogConfig {
    /// The largest record batch the log takes: the broker's message.max.bytes (Kafka's
    /// default, 1048588, is a 1 MiB record with its batch's overhead).
    std::int32_t maxMessageBytes = 1048588;
    //> ch31 log-config-write-path
    /// Whose clock stamps the records (message.timestamp.type): the producer's, or the
    /// broker's at the moment of the append.
    common::record::TimestampType messageTimestampType = common::record::TimestampType::kCreateTime;
    /// How far a CreateTime timestamp may lie in the past and in the future of the broker's
    /// clock (message.timestamp.before.max.ms and .after.max.ms, KIP-937, Kafka 3.6; Kafka
    /// 4.0 lowered the second's default from "forever" to one hour).
    std::int64_t messageTimestampBeforeMaxMs = std::numeric_limits<std::int64_t>::max();
    std::int64_t messageTimestampAfterMaxMs = 3600000;
    /// With acks=all, the in-sync replicas an append needs (min.insync.replicas).
    std::int32_t minInSyncReplicas = 1;
    //< ch31 log-config-write-path
    //> ch32 log-config-segments
    /// A segment rolls before it would pass this size (segment.bytes; the broker's
    /// log.segment.bytes, 1 GiB by default, at least 1 MiB in Kafka 4.x).
    std::int32_t segmentBytes = 1024 * 1024 * 1024;
    /// ... or once its records span this long (segment.ms; log.roll.hours, 7 days).
    std::int64_t segmentMs = 7LL * 24 * 60 * 60 * 1000;
    /// An fsync every so many records (flush.messages; log.flush.interval.messages, never by
    /// default: Kafka leaves the page cache to write, and replicas to keep data safe).
    std::int64_t flushIntervalMessages = std::numeric_limits<std::int64_t>::max();
    //< ch32 log-config-segments
    //> ch33 log-config-index
    /// An index entry once this many bytes of batches went in since the last one
    /// (index.interval.bytes; the broker's log.index.interval.bytes, 4 KiB).
    std::int32_t indexIntervalBytes = 4096;
    /// How large each of a segment's indexes may grow (segment.index.bytes; the broker's
    /// log.index.size.max.bytes, 10 MiB): a full index rolls the segment.
    std::int32_t maxIndexSize = 10 * 1024 * 1024;
    //< ch33 log-config-index
    //> ch34 log-config-retention
    /// Segments whose records are all older than this are deleted (retention.ms; the broker's
    /// log.retention.hours, 7 days); -1 keeps them forever.
    std::int64_t retentionMs = 7LL * 24 * 60 * 60 * 1000;
    /// Old segments are deleted while the log is larger than this (retention.bytes; the
    /// broker's log.retention.bytes); -1, the default, sets no bound.
    std::int64_t retentionBytes = -1;
    //< ch34 log-config-retention
    //> ch38 log-config-compression
    /// The codec the log keeps its batches in (compression.type). Unset is Kafka's default,
    /// "producer": each batch stays as its producer compressed it. kNone is "uncompressed". A
    /// batch in any other codec than the one set is compressed again by the broker.
    std::optional<common::record::CompressionType> compressionType;
    /// The level the broker compresses at when it does (KIP-390, Kafka 3.8:
    /// compression.gzip.level, -1 being zlib's default; compression.lz4.level;
    /// compression.zstd.level). Snappy has no levels.
    std::int32_t compressionGzipLevel = -1;
    std::int32_t compressionLz4Level = 9;
    std::int32_t compressionZstdLevel = 3;
    //< ch38 log-config-compression
};

}  // namespace kafka::log
