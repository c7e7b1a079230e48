// Chapter 38: the log takes compressed batches. Each is checked record by record, decompressed,
// and then stored as the producer sent it, its compressed bytes unchanged, unless the topic's
// compression.type names another codec: then the broker compresses it again. Compressed
// batches read back after a restart and a crash, in a search by timestamp, and in a producer's
// state; garbage, a lying count, an unknown codec and a decompression bomb are refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/record/CompressionType.h"
#include "kafka/common/record/CorruptRecordException.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/utils/MockTime.h"
#include "kafka/log/Log.h"
#include "kafka/log/RecordValidationException.h"
#include "support/CompressedBatch.h"
#include "support/LogDirs.h"
#include "support/LogReader.h"

namespace kafka::log {
namespace {

using common::record::CompressionType;
using common::record::DefaultRecordBatch;
using common::record::MemoryRecords;
using common::utils::Bytes;
using test::BatchSpec;
using test::compressedBatch;

constexpr std::int64_t kNow = 1'700'000'000'000;

std::vector<std::string> valuesFrom(int first, int count) {
    std::vector<std::string> values;
    for (int i = first; i < first + count; ++i) values.push_back("value-" + std::to_string(i));
    return values;
}

// The newest segment file in `dir`: the one a crash leaves torn.
std::filesystem::path lastSegmentFile(const std::filesystem::path& dir) {
    std::filesystem::path last;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".log" && entry.path() > last) last = entry.path();
    return last;
}

// The bytes of the batches stored from `offset` on.
Bytes storedFrom(const Log& log, std::int64_t offset) {
    return log.read(offset, 1 << 30, true).records;
}

class LogCompression : public ::testing::Test {
protected:
    Log::Settings settings(bool hadCleanShutdown = false) {
        auto s = test::logSettings({"compressed", 0}, config);
        s.dir = dir;
        s.time = time;
        s.hadCleanShutdown = hadCleanShutdown;
        return s;
    }
    // Every record's offset and value, read back as a consumer reads them (records()
    // decompresses).
    std::vector<std::pair<std::int64_t, std::string>> readBack(const Log& log) const {
        return test::readRecords(log, 0);
    }
    static std::vector<std::pair<std::int64_t, std::string>> expected(int count) {
        std::vector<std::pair<std::int64_t, std::string>> records;
        for (int i = 0; i < count; ++i) records.emplace_back(i, "value-" + std::to_string(i));
        return records;
    }

    LogConfig config;
    std::filesystem::path dir = test::scratchDir() / "compressed-0";
    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>(kNow);
};

TEST_F(LogCompression, EachCodecsBatchIsStoredWithItsCompressedBytesUnchanged) {
    for (const auto type : test::kCodecs) {
        SCOPED_TRACE(std::string(name(type)));
        Log log(test::logSettings({std::string(name(type)), 0}));
        log.append(compressedBatch({.values = valuesFrom(0, 2)}));  // offsets 0 and 1
        const Bytes sent = compressedBatch({.type = type, .values = valuesFrom(2, 5)});
        const auto info = log.append(sent);
        EXPECT_EQ(info.firstOffset, 2);
        EXPECT_EQ(info.lastOffset, 6);
        EXPECT_EQ(log.logEndOffset(), 7);

        const Bytes stored = storedFrom(log, 2);
        const DefaultRecordBatch batch(stored);
        EXPECT_NO_THROW(batch.ensureValid());
        EXPECT_EQ(batch.baseOffset(), 2) << "offsets assigned";
        EXPECT_EQ(batch.partitionLeaderEpoch(), 0);
        EXPECT_EQ(batch.compressionType(), static_cast<int>(type));
        ASSERT_EQ(stored.size(), sent.size());
        EXPECT_TRUE(std::equal(stored.begin() + DefaultRecordBatch::kRecordsOffset, stored.end(),
                               sent.begin() + DefaultRecordBatch::kRecordsOffset))
            << "the compressed records are the producer's, byte for byte";
        EXPECT_EQ(readBack(log), expected(7));
    }
}

TEST_F(LogCompression, CompressedBatchesReadBackAfterACleanRestartAndAfterACrash) {
    const Bytes one = compressedBatch({.type = CompressionType::kZstd, .values = valuesFrom(0, 4)});
    config.segmentBytes = static_cast<std::int32_t>(2 * one.size());  // a roll every two batches
    {
        Log log(settings());
        for (int b = 0; b < 5; ++b)
            log.append(
                compressedBatch({.type = test::kCodecs[b % 4], .values = valuesFrom(4 * b, 4)}));
        log.close();
    }
    {
        Log log(settings(/*hadCleanShutdown=*/true));
        EXPECT_EQ(log.logEndOffset(), 20);
        EXPECT_GT(log.segmentBaseOffsets().size(), 1u);
        EXPECT_EQ(readBack(log), expected(20));
        log.append(compressedBatch({.type = CompressionType::kLz4, .values = valuesFrom(20, 4)}));
        // No close: a crash, which tears the next batch in the middle of its compressed bytes.
    }
    const Bytes torn =
        compressedBatch({.type = CompressionType::kGzip, .values = valuesFrom(24, 4)});
    std::ofstream(lastSegmentFile(dir), std::ios::binary | std::ios::app)
        .write(reinterpret_cast<const char*>(torn.data()),
               static_cast<std::streamsize>(torn.size() - 5));
    Log log(settings());
    EXPECT_EQ(log.logEndOffset(), 24) << "the torn batch is cut, the whole ones stay";
    EXPECT_EQ(readBack(log), expected(24));
}

TEST_F(LogCompression, ASearchByTimestampFindsTheRecordInsideACompressedBatch) {
    Log log(settings());
    log.append(compressedBatch({.type = CompressionType::kSnappy,
                                .values = valuesFrom(0, 3),
                                .firstTimestamp = kNow - 300,
                                .timestampStep = 10}));
    log.append(compressedBatch({.type = CompressionType::kGzip,
                                .values = valuesFrom(3, 5),
                                .firstTimestamp = kNow - 100,
                                .timestampStep = 10}));
    // Chapter 32 answered with the batch's first offset and its max timestamp; the record
    // itself is at offset 5, stamped kNow - 80.
    EXPECT_EQ(log.offsetForTimestamp(kNow - 85), std::make_pair(std::int64_t{5}, kNow - 80));
    EXPECT_EQ(log.offsetForTimestamp(kNow - 290), std::make_pair(std::int64_t{1}, kNow - 290));
    EXPECT_EQ(log.offsetForTimestamp(kNow - 59),
              std::make_pair(std::int64_t{-1}, std::int64_t{-1}));
}

TEST_F(LogCompression, AProducersCompressedBatchesAreRememberedAcrossACrash) {
    auto idempotent = [](std::int32_t firstSeq, CompressionType type) {
        return compressedBatch({.type = type,
                                .values = valuesFrom(firstSeq, 3),
                                .producerId = 7,
                                .producerEpoch = 0,
                                .baseSequence = firstSeq});
    };
    {
        Log log(settings());
        log.append(idempotent(0, CompressionType::kLz4));
        log.append(idempotent(3, CompressionType::kZstd));
        // No close: the producer's state is rebuilt from the batches' headers.
    }
    Log log(settings());
    ASSERT_TRUE(log.producerState(7));
    EXPECT_EQ(log.producerState(7)->lastSeq(), 5);
    EXPECT_EQ(log.append(idempotent(3, CompressionType::kZstd)).firstOffset, 3)
        << "a retry of the last batch is answered with its first offsets";
    EXPECT_THROW(log.append(idempotent(9, CompressionType::kGzip)),
                 common::errors::OutOfOrderSequenceException);
    EXPECT_EQ(log.logEndOffset(), 6);
}

// The topic's codec wins: the records go into a new batch with it, and come back the same.
TEST_F(LogCompression, ATopicsCompressionTypeCompressesTheBatchAgainWithItsCodec) {
    struct Case {
        std::optional<CompressionType> topic;
        CompressionType sent;
        CompressionType stored;
    };
    for (const auto& [topic, sent, stored] :
         {Case{CompressionType::kZstd, CompressionType::kGzip, CompressionType::kZstd},
          Case{CompressionType::kLz4, CompressionType::kNone, CompressionType::kLz4},
          Case{CompressionType::kNone, CompressionType::kSnappy, CompressionType::kNone},
          Case{std::nullopt, CompressionType::kSnappy, CompressionType::kSnappy}}) {
        SCOPED_TRACE(std::string(name(sent)) + " to " +
                     (topic ? std::string(name(*topic)) : "producer"));
        LogConfig topicConfig;
        topicConfig.compressionType = topic;
        Log log(test::logSettings({"recompressed", 0}, topicConfig));
        const BatchSpec spec{.type = sent,
                             .values = valuesFrom(0, 20),
                             .firstTimestamp = kNow - 1000,
                             .timestampStep = 3,
                             .producerId = 11,
                             .producerEpoch = 2,
                             .baseSequence = 0};
        log.append(compressedBatch({.values = {"before"}}));
        EXPECT_EQ(log.append(compressedBatch(spec)).firstOffset, 1);

        const Bytes bytes = storedFrom(log, 1);
        const DefaultRecordBatch batch(bytes);
        const Bytes sentBytes = compressedBatch(spec);
        const DefaultRecordBatch original(sentBytes);
        EXPECT_NO_THROW(batch.ensureValid());
        EXPECT_EQ(batch.compressionType(), static_cast<int>(stored));
        EXPECT_EQ(batch.baseOffset(), 1);
        EXPECT_EQ(batch.partitionLeaderEpoch(), 0);
        EXPECT_EQ(batch.lastOffsetDelta(), 19);
        EXPECT_EQ(batch.recordsCount(), 20);
        EXPECT_EQ(batch.producerId(), 11);
        EXPECT_EQ(batch.producerEpoch(), 2);
        EXPECT_EQ(batch.baseSequence(), 0);
        EXPECT_EQ(batch.baseTimestamp(), kNow - 1000);
        EXPECT_EQ(batch.maxTimestamp(), kNow - 1000 + 19 * 3);
        const auto records = batch.records();
        const auto sentRecords = original.records();
        ASSERT_EQ(records.size(), sentRecords.size());
        for (std::size_t i = 0; i < records.size(); ++i) {
            EXPECT_EQ(records[i].offset(), sentRecords[i].offset() + 1);
            EXPECT_EQ(records[i].timestamp(), sentRecords[i].timestamp());
            EXPECT_EQ(records[i].key(), sentRecords[i].key());
            EXPECT_EQ(records[i].value(), sentRecords[i].value());
            EXPECT_EQ(records[i].headers(), sentRecords[i].headers());
        }
        if (stored == sent) {
            EXPECT_EQ(bytes.size(), original.bytes().size()) << "kept as it came";
        }
    }
}

TEST_F(LogCompression, TheBrokersLevelIsTheOneItCompressesAt) {
    const BatchSpec spec{.values = std::vector<std::string>(200, std::string(100, 'a') + "bcd")};
    std::map<int, std::size_t> sizes;
    for (const int level : {1, 9}) {
        LogConfig topicConfig;
        topicConfig.compressionType = CompressionType::kGzip;
        topicConfig.compressionGzipLevel = level;
        Log log(test::logSettings({"gzip-" + std::to_string(level), 0}, topicConfig));
        log.append(compressedBatch(spec));
        sizes[level] = storedFrom(log, 0).size();
    }
    EXPECT_LT(sizes[9], sizes[1]) << "gzip -9 is smaller than gzip -1";
}

TEST_F(LogCompression, ABatchCompressedAgainMustStillFitUnderMaxMessageBytes) {
    // 64 KiB of one letter: a few hundred bytes with gzip, all of it without.
    const BatchSpec spec{.type = CompressionType::kGzip,
                         .values = std::vector<std::string>(64, std::string(1024, 'x'))};
    config.maxMessageBytes = 16 * 1024;
    config.compressionType = CompressionType::kNone;
    Log log(settings());
    EXPECT_THROW(log.append(compressedBatch(spec)), common::errors::RecordTooLargeException);
    EXPECT_EQ(log.logEndOffset(), 0);
}

TEST_F(LogCompression, GarbageInPlaceOfCompressedRecordsIsAnInvalidRecord) {
    for (const auto type : test::kCodecs) {
        SCOPED_TRACE(std::string(name(type)));
        Log log(test::logSettings({std::string(name(type)), 0}));
        const Bytes garbage(300, 0x5a);
        // The CRC is right: the bytes left the producer as they are.
        const Bytes batch = test::batchAround(garbage, {.type = type}, 3);
        EXPECT_NO_THROW(DefaultRecordBatch(batch).ensureValid());
        // Not retriable: the producer sent it so, and would send it so again.
        EXPECT_THROW(log.append(batch), common::errors::InvalidRecordException);
        EXPECT_EQ(log.logEndOffset(), 0);
    }
}

// Two counts can lie: the header's against its own last offset delta, which Kafka answers
// INVALID_RECORD ("Inconsistent batch offset range"), and the header's against the records the
// compressed bytes hold, INVALID_RECORD too, as in Kafka (an uncompressed batch's gets chapter
// 7's CORRUPT_MESSAGE).
TEST_F(LogCompression, ACountThatDisagreesIsRefused) {
    Log log(settings());
    EXPECT_THROW(
        log.append(compressedBatch(
            {.type = CompressionType::kGzip, .values = valuesFrom(0, 3), .recordsCount = 4})),
        common::errors::InvalidRecordException);
    EXPECT_THROW(log.append(compressedBatch({.type = CompressionType::kGzip,
                                             .values = valuesFrom(0, 3),
                                             .recordsCount = 4,
                                             .lastOffsetDelta = 3})),
                 common::errors::InvalidRecordException)
        << "a million claimed would have moved the log end a million offsets";
    EXPECT_THROW(log.append(compressedBatch({.type = CompressionType::kZstd,
                                             .values = valuesFrom(0, 3),
                                             .recordsCount = 2,
                                             .lastOffsetDelta = 1})),
                 common::errors::InvalidRecordException);
    EXPECT_EQ(log.logEndOffset(), 0);
}

// Chapter 30's rule, for compressed batches too: the inner offset deltas become the log's
// offsets, so they run 0 to n-1. (Kafka builds such a batch again instead of refusing it, for
// the sake of old clients that numbered the records of their v1 message sets wrongly.)
TEST_F(LogCompression, InnerOffsetsThatDoNotRunFromZeroAreRefused) {
    Log log(settings());
    EXPECT_THROW(log.append(compressedBatch({.type = CompressionType::kSnappy,
                                             .values = valuesFrom(0, 3),
                                             .offsetDeltas = {0, 2, 1}})),
                 common::errors::InvalidRecordException);
    EXPECT_EQ(log.logEndOffset(), 0);
}

// Chapter 31's timestamp rules read the records inside the compressed bytes.
TEST_F(LogCompression, ATimestampOutOfBoundsInsideACompressedBatchIsRefused) {
    config.messageTimestampAfterMaxMs = 1000;
    Log log(settings());
    try {
        log.append(compressedBatch({.type = CompressionType::kLz4,
                                    .values = valuesFrom(0, 3),
                                    .firstTimestamp = kNow,
                                    .timestampStep = 900}));  // the last is 1800 ms ahead
        ADD_FAILURE() << "stored";
    } catch (const RecordValidationException& e) {
        EXPECT_EQ(e.error(), common::protocol::Errors::kInvalidTimestamp);
        ASSERT_EQ(e.recordErrors().size(), 1u);
        EXPECT_EQ(e.recordErrors()[0].batchIndex, 2);
    }
    EXPECT_EQ(log.logEndOffset(), 0);
}

// message.max.bytes bounds a batch as it travels and is stored: compressed.
TEST_F(LogCompression, MaxMessageBytesBoundsTheCompressedSize) {
    config.maxMessageBytes = 4096;
    Log log(settings());
    const BatchSpec spec{.type = CompressionType::kZstd,
                         .values = std::vector<std::string>(20, std::string(1000, 'z'))};
    ASSERT_GT(compressedBatch({.values = spec.values}).size(), 4096u) << "uncompressed";
    ASSERT_LT(compressedBatch(spec).size(), 4096u);
    EXPECT_EQ(log.append(compressedBatch(spec)).lastOffset, 19);
}

// With LogAppendTime the broker's clock goes into the header, which gets a new CRC; the
// compressed records stay the producer's bytes, and read back with the broker's timestamp.
TEST_F(LogCompression, LogAppendTimeChangesTheHeaderOnly) {
    config.messageTimestampType = common::record::TimestampType::kLogAppendTime;
    Log log(settings());
    const Bytes sent = compressedBatch({.type = CompressionType::kGzip,
                                        .values = valuesFrom(0, 3),
                                        .firstTimestamp = kNow - 5000});
    const auto info = log.append(sent);
    EXPECT_EQ(info.logAppendTime, kNow);
    const Bytes stored = storedFrom(log, 0);
    const DefaultRecordBatch batch(stored);
    EXPECT_NO_THROW(batch.ensureValid());
    EXPECT_TRUE(batch.isLogAppendTime());
    EXPECT_EQ(batch.maxTimestamp(), kNow);
    EXPECT_TRUE(std::equal(stored.begin() + DefaultRecordBatch::kRecordsOffset, stored.end(),
                           sent.begin() + DefaultRecordBatch::kRecordsOffset, sent.end()));
    for (const auto& record : batch.records()) EXPECT_EQ(record.timestamp(), kNow);
}

TEST_F(LogCompression, AnUnknownCodecIdIsRefused) {
    Log log(settings());
    for (const int id : {5, 6, 7}) {
        const BatchSpec spec{.type = static_cast<CompressionType>(id), .values = {"x"}};
        const Bytes batch = test::batchAround(test::plainRecords(spec), spec, 1);
        EXPECT_THROW(log.append(batch), common::errors::UnsupportedCompressionTypeException) << id;
        EXPECT_THROW(DefaultRecordBatch(batch).records(), common::record::CorruptRecordException)
            << "a reader names the codec id that no codec has";
    }
    EXPECT_EQ(log.logEndOffset(), 0);
}

// One record a little larger than the bound, of zeros: a few kilobytes with zstd, a valid batch
// in every other respect. Refused before it is all decompressed; a large honest batch is not.
TEST_F(LogCompression, ADecompressionBombIsRefusedAndTheLogGoesOn) {
    config.maxMessageBytes = 8 << 20;  // so that snappy's bomb, the largest, gets to be read
    Log log(settings());
    const std::string zeros(DefaultRecordBatch::kMaxUncompressedRecordsBytes + (1 << 20), '\0');
    for (const auto type : test::kCodecs) {
        SCOPED_TRACE(std::string(name(type)));
        const Bytes bomb = compressedBatch({.type = type, .values = {zeros}});
        ASSERT_LT(bomb.size(), static_cast<std::size_t>(config.maxMessageBytes));
        try {
            log.append(bomb);
            ADD_FAILURE() << "a batch of " << zeros.size() << " bytes once decompressed was stored";
        } catch (const common::errors::InvalidRecordException& e) {
            EXPECT_NE(std::string(e.what()).find(name(type)), std::string::npos) << e.what();
        }
    }
    const std::string large(8 << 20, 'y');
    EXPECT_EQ(
        log.append(compressedBatch({.type = CompressionType::kLz4, .values = {large}})).firstOffset,
        0);
    EXPECT_EQ(log.logEndOffset(), 1);
}

}  // namespace
}  // namespace kafka::log
