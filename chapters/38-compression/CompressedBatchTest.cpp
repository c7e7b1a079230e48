// Chapter 38: the producer's side of compression. compression.type and its levels, checked as
// Kafka checks them; a batch whose records go through the codec as they are appended, with the
// codec's id in its attributes and the header (producer fields, CRC) outside the compressed
// part; how many records fit, judged at the estimated ratio; and the estimate itself, slow to
// trust and quick to doubt.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "kafka/clients/producer/ProducerConfig.h"
#include "kafka/common/compress/Compression.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/record/CompressionRatioEstimator.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"

namespace kafka::common::record {
namespace {

using clients::producer::ProducerConfig;
using compress::Compression;
using utils::Bytes;
using utils::toBytes;
using utils::toString;
using C = ProducerConfig;

constexpr std::int64_t kTimestamp = 1'700'000'000'000;
constexpr CompressionType kCodecs[] = {CompressionType::kGzip, CompressionType::kSnappy,
                                       CompressionType::kLz4, CompressionType::kZstd};

// A line of a log file: compresses well, as real payloads tend to.
std::string logLine(int i) {
    return "2026-12-04 12:00:" + std::to_string(10 + i % 50) +
           " INFO [Producer clientId=producer-1] Sent batch " + std::to_string(i) +
           " to broker localhost:9092 (topic orders, partition " + std::to_string(i % 3) + ")";
}

// Bytes no codec can shrink.
Bytes randomBytes(std::size_t size, unsigned seed) {
    std::mt19937 random(seed);
    Bytes bytes(size);
    for (auto& byte : bytes) byte = static_cast<std::uint8_t>(random());
    return bytes;
}

MemoryRecordsBuilder builderFor(CompressionType type, int writeLimit = 1 << 20) {
    return MemoryRecordsBuilder(Bytes{}, Compression::of(type), writeLimit);
}

std::string configError(const std::string& key, const std::string& value) {
    try {
        ProducerConfig(config::Properties{{C::kBootstrapServers, "localhost:9092"}, {key, value}});
    } catch (const errors::ConfigException& e) {
        return e.what();
    }
    return "no error";
}

TEST(CompressionConfig, TakesKafkasCodecsAndLevels) {
    const ProducerConfig defaults(config::Properties{{C::kBootstrapServers, "localhost:9092"}});
    EXPECT_EQ(defaults.getString(C::kCompressionType), "none");
    EXPECT_EQ(defaults.getInt(C::kCompressionGzipLevel), -1);
    EXPECT_EQ(defaults.getInt(C::kCompressionLz4Level), 9);
    EXPECT_EQ(defaults.getInt(C::kCompressionZstdLevel), 3);
    for (const auto* codec : {"none", "gzip", "snappy", "lz4", "zstd"})
        EXPECT_EQ(configError(C::kCompressionType, codec), "no error") << codec;
    EXPECT_EQ(configError(C::kCompressionGzipLevel, "9"), "no error");
    EXPECT_EQ(configError(C::kCompressionZstdLevel, "-5"), "no error");
}

TEST(CompressionConfig, RefusesAnUnknownCodecOrLevelNamingKeyAndValue) {
    const auto codec = configError(C::kCompressionType, "brotli");
    EXPECT_NE(codec.find("brotli"), std::string::npos) << codec;
    EXPECT_NE(codec.find("compression.type"), std::string::npos) << codec;
    const auto gzip = configError(C::kCompressionGzipLevel, "0");
    EXPECT_NE(gzip.find("Invalid value 0 for configuration compression.gzip.level"),
              std::string::npos)
        << gzip;
    EXPECT_NE(gzip.find("or equal to -1"), std::string::npos) << gzip;
    const auto lz4 = configError(C::kCompressionLz4Level, "18");
    EXPECT_NE(lz4.find("18"), std::string::npos) << lz4;
    EXPECT_NE(lz4.find("compression.lz4.level"), std::string::npos) << lz4;
    const auto zstd = configError(C::kCompressionZstdLevel, "23");
    EXPECT_NE(zstd.find("compression.zstd.level"), std::string::npos) << zstd;
}

class CompressedBatch : public ::testing::TestWithParam<CompressionType> {};

TEST_P(CompressedBatch, CarriesItsCodecInTheAttributesAndReadsBack) {
    auto builder = builderFor(GetParam());
    for (int i = 0; i < 200; ++i)
        builder.append(kTimestamp + i, toBytes("key-" + std::to_string(i)), toBytes(logLine(i)));
    const DefaultRecordBatch batch(builder.build());
    EXPECT_TRUE(batch.isValid());
    EXPECT_EQ(batch.compressionType(), static_cast<int>(GetParam()));
    EXPECT_EQ(batch.recordsCount(), 200);
    EXPECT_EQ(batch.lastOffsetDelta(), 199);
    EXPECT_EQ(batch.maxTimestamp(), kTimestamp + 199);
    const auto records = batch.records();  // decompressed by the reader
    ASSERT_EQ(records.size(), 200u);
    for (int i = 0; i < 200; ++i) {
        EXPECT_EQ(records[i].offset(), i);
        EXPECT_EQ(records[i].timestamp(), kTimestamp + i);
        EXPECT_EQ(toString(*records[i].key()), "key-" + std::to_string(i));
        EXPECT_EQ(toString(*records[i].value()), logLine(i));
    }
}

TEST_P(CompressedBatch, IsSmallerThanItsRecordsAndKnowsItsRatio) {
    auto plain = builderFor(CompressionType::kNone);
    auto compressed = builderFor(GetParam());
    for (int i = 0; i < 200; ++i) {
        plain.append(kTimestamp, std::nullopt, toBytes(logLine(i)));
        compressed.append(kTimestamp, std::nullopt, toBytes(logLine(i)));
    }
    EXPECT_EQ(compressed.uncompressedRecordsSizeInBytes(), plain.uncompressedRecordsSizeInBytes());
    const auto plainSize = plain.build().size();
    const auto compressedSize = compressed.build().size();
    EXPECT_LT(compressedSize * 3, plainSize) << "log lines compress at least threefold";
    const float expected = static_cast<float>(compressedSize - 61) /
                           static_cast<float>(compressed.uncompressedRecordsSizeInBytes());
    EXPECT_FLOAT_EQ(compressed.compressionRatio(), expected);
    EXPECT_FLOAT_EQ(plain.compressionRatio(), 1.0F);
}

TEST_P(CompressedBatch, HeaderRewriteLeavesTheCompressedRecordsAlone) {
    // An epoch bump renumbers a batch already built (chapter 36): only the header changes,
    // because the producer fields sit outside the compressed part, inside the CRC.
    auto builder = builderFor(GetParam());
    for (int i = 0; i < 20; ++i) builder.append(kTimestamp, std::nullopt, toBytes(logLine(i)));
    builder.setProducerState(7, 0, 0);
    const Bytes before = builder.build();
    builder.reopenAndRewriteProducerState(7, 1, 40);
    const Bytes& after = builder.build();
    ASSERT_EQ(before.size(), after.size());
    EXPECT_TRUE(std::equal(before.begin() + 61, before.end(), after.begin() + 61));
    const DefaultRecordBatch batch(after);
    EXPECT_TRUE(batch.isValid());
    EXPECT_EQ(batch.producerEpoch(), 1);
    EXPECT_EQ(batch.baseSequence(), 40);
    EXPECT_EQ(batch.records().size(), 20u);
}

TEST_P(CompressedBatch, FitsMoreRecordsTheBetterTheEstimatedRatio) {
    // How many 100-byte records does a 4 KiB batch take? Without a codec about 40; at an
    // estimated ratio of 0.25, four times as many (the 5 % margin aside).
    const auto fill = [](MemoryRecordsBuilder builder) {
        const Bytes value(100, 'x');
        int count = 0;
        while (builder.hasRoomFor(kTimestamp, std::nullopt, value)) {
            builder.append(kTimestamp, std::nullopt, value);
            ++count;
        }
        EXPECT_TRUE(builder.isFull() || count > 0);
        return count;
    };
    const int plain = fill(builderFor(CompressionType::kNone, 4096));
    auto atOne = builderFor(GetParam(), 4096);  // the estimate starts at 1: no more than plain
    const int estimatedAtOne = fill(std::move(atOne));
    auto hopeful = builderFor(GetParam(), 4096);
    hopeful.setEstimatedCompressionRatio(0.25F);
    const int estimatedAtQuarter = fill(std::move(hopeful));
    EXPECT_LE(estimatedAtOne, plain);
    EXPECT_GE(estimatedAtOne, plain * 9 / 10) << "1.05 × the records' size, no worse";
    EXPECT_GE(estimatedAtQuarter, plain * 35 / 10);
    EXPECT_LE(estimatedAtQuarter, plain * 4 + 1);
}

TEST_P(CompressedBatch, StaysInTheBufferThePoolGaveIt) {
    // A batch of batch.size from the pool (chapter 10) must not outgrow it while the codec
    // works: a buffer that grows is a new allocation, and the pool cannot take it back. The
    // codecs compress into a scratch buffer and append only what came out.
    Bytes pooled;
    pooled.reserve(16384);
    MemoryRecordsBuilder builder(std::move(pooled), Compression::of(GetParam()), 16384);
    for (int i = 0; builder.hasRoomFor(kTimestamp, std::nullopt, toBytes(logLine(i))); ++i)
        builder.append(kTimestamp, std::nullopt, toBytes(logLine(i)));
    builder.close();
    EXPECT_LT(builder.estimatedSizeInBytes(), 16384);
    EXPECT_EQ(builder.releaseBuffer().capacity(), 16384u);
}

TEST_P(CompressedBatch, ClosingForAppendsFinishesTheCodecAtOnce) {
    // The thread whose record did not fit compresses the rest and frees the codec, as Kafka's
    // closeForRecordAppends does: a full batch waiting in its deque holds compressed bytes
    // only, not a codec's state (a zstd context is some MiB).
    auto builder = builderFor(GetParam(), 16384);
    for (int i = 0; builder.hasRoomFor(kTimestamp, std::nullopt, toBytes(logLine(i))); ++i)
        builder.append(kTimestamp, std::nullopt, toBytes(logLine(i)));
    builder.closeForRecordAppends();
    EXPECT_TRUE(builder.isFull());
    EXPECT_FALSE(builder.isClosed()) << "the header waits for the Sender's thread";
    EXPECT_LT(builder.compressionRatio(), 0.5F) << "the ratio is known: the records are compressed";
    MemoryRecordsBuilder copy = builder;  // no codec state left to copy
    EXPECT_EQ(copy.build(), builder.build());
    EXPECT_EQ(DefaultRecordBatch(builder.build()).records().size(),
              static_cast<std::size_t>(builder.numRecords()));
}

TEST_P(CompressedBatch, AnOpenBatchCannotBeCopiedAClosedOneCan) {
    auto builder = builderFor(GetParam());
    builder.append(kTimestamp, std::nullopt, toBytes("v"));
    EXPECT_THROW({ MemoryRecordsBuilder copy = builder; }, errors::IllegalStateException);
    builder.close();
    MemoryRecordsBuilder copy = builder;
    EXPECT_EQ(copy.build(), builder.build());
}

INSTANTIATE_TEST_SUITE_P(EachCodec, CompressedBatch, ::testing::ValuesIn(kCodecs),
                         [](const auto& info) { return std::string(name(info.param)); });

TEST(CompressedRandomBytes, ComeOutNoSmaller) {
    auto builder = builderFor(CompressionType::kLz4);
    for (unsigned i = 0; i < 20; ++i)
        builder.append(kTimestamp, std::nullopt, randomBytes(1000, i));
    builder.close();
    EXPECT_GE(builder.compressionRatio(), 0.99F);
}

TEST(CompressionRatioEstimator, StartsAtOneAndLearnsSlowlyButDoubtsQuickly) {
    const std::string topic = "estimator-test";
    CompressionRatioEstimator::removeEstimation(topic);
    EXPECT_FLOAT_EQ(CompressionRatioEstimator::estimation(topic, CompressionType::kLz4), 1.0F);
    // Better than guessed: 0.005 a batch, however good the batch.
    EXPECT_FLOAT_EQ(CompressionRatioEstimator::updateEstimation(topic, CompressionType::kLz4, 0.2F),
                    0.995F);
    EXPECT_FLOAT_EQ(CompressionRatioEstimator::updateEstimation(topic, CompressionType::kLz4, 0.2F),
                    0.99F);
    // Only as far as the observed ratio.
    CompressionRatioEstimator::setEstimation(topic, CompressionType::kLz4, 0.302F);
    EXPECT_FLOAT_EQ(CompressionRatioEstimator::updateEstimation(topic, CompressionType::kLz4, 0.3F),
                    0.3F);
    // Worse: at least 0.05 up, or straight to the observed ratio if that is higher.
    EXPECT_FLOAT_EQ(
        CompressionRatioEstimator::updateEstimation(topic, CompressionType::kLz4, 0.31F), 0.35F);
    EXPECT_FLOAT_EQ(CompressionRatioEstimator::updateEstimation(topic, CompressionType::kLz4, 0.9F),
                    0.9F);
    // Each codec has its own estimate; a reset puts them all back to 1.
    EXPECT_FLOAT_EQ(CompressionRatioEstimator::estimation(topic, CompressionType::kGzip), 1.0F);
    CompressionRatioEstimator::resetEstimation(topic);
    EXPECT_FLOAT_EQ(CompressionRatioEstimator::estimation(topic, CompressionType::kLz4), 1.0F);
}

}  // namespace
}  // namespace kafka::common::record
