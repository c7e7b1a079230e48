// Chapter 37: what a partition's leader remembers of each idempotent producer, on its own. The
// next batch must start right after the last one; an older epoch is refused; a new epoch
// starts again at 0; the last five batches are recognised when they come again; sequences
// wrap; and the snapshot file is Kafka's format, byte for byte, checked by its CRC.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/utils/ByteUtils.h"
#include "kafka/common/utils/Crc32C.h"
#include "kafka/log/CorruptSnapshotException.h"
#include "kafka/log/ProducerStateManager.h"
#include "support/LogDirs.h"

namespace kafka::log {
namespace {

using common::errors::InvalidProducerEpochException;
using common::errors::OutOfOrderSequenceException;
using common::utils::Bytes;
using common::utils::ByteUtils;

constexpr std::int64_t kProducer = 1000;

class ProducerState : public ::testing::Test {
protected:
    // Appends a batch of `count` records with sequences from `firstSeq`, at the next offsets.
    void append(std::int16_t epoch, std::int32_t firstSeq, std::int32_t count = 1) {
        auto info = manager.prepareUpdate(kProducer, AppendOrigin::kClient);
        const std::int32_t lastSeq =
            common::record::DefaultRecordBatch::incrementSequence(firstSeq, count - 1);
        info.appendDataBatch(epoch, firstSeq, lastSeq, 5'000 + nextOffset, nextOffset,
                             nextOffset + count - 1);
        manager.update(info);
        nextOffset += count;
        manager.updateMapEndOffset(nextOffset);
    }
    ProducerStateEntry entry() const { return *manager.lastEntry(kProducer); }

    std::filesystem::path dir = test::scratchDir();
    ProducerStateManager manager{{"t", 0}, dir};
    std::int64_t nextOffset = 0;
};

TEST_F(ProducerState, ANewProducerMayStartAtAnySequence) {
    // Its earlier batches may have been deleted by retention: the partition cannot tell.
    append(0, 42, 3);
    EXPECT_EQ(entry().lastSeq(), 44);
    EXPECT_EQ(entry().producerEpoch(), 0);
}

TEST_F(ProducerState, TheNextBatchMustStartRightAfterTheLastOne) {
    append(0, 0, 5);
    append(0, 5, 2);
    EXPECT_THROW(append(0, 8), OutOfOrderSequenceException) << "7 is missing";
    EXPECT_THROW(append(0, 3), OutOfOrderSequenceException) << "behind, and not a known batch";
    EXPECT_EQ(entry().lastSeq(), 6) << "a refused batch changes nothing";
}

TEST_F(ProducerState, AnOlderEpochIsRefusedANewOneStartsAtZero) {
    append(1, 0, 3);
    EXPECT_THROW(append(0, 3), InvalidProducerEpochException);
    EXPECT_THROW(append(2, 3), OutOfOrderSequenceException) << "a new epoch starts at 0";
    append(2, 0, 2);
    EXPECT_EQ(entry().producerEpoch(), 2);
    EXPECT_EQ(entry().batchMetadata().size(), 1u) << "the old epoch's batches are forgotten";
}

TEST_F(ProducerState, TheLastFiveBatchesAreRecognised) {
    for (int b = 0; b < 6; ++b) append(0, 2 * b, 2);  // sequences 0-1, 2-3, ..., 10-11
    const auto producer = entry();
    EXPECT_FALSE(producer.findDuplicateBatch(0, 0, 1)) << "the sixth-last is forgotten";
    for (int b = 1; b < 6; ++b) {
        const auto found = producer.findDuplicateBatch(0, 2 * b, 2 * b + 1);
        ASSERT_TRUE(found) << "batch " << b;
        EXPECT_EQ(found->firstOffset(), 2 * b);
        EXPECT_EQ(found->lastOffset, 2 * b + 1);
    }
    EXPECT_FALSE(producer.findDuplicateBatch(0, 2, 2)) << "only the exact range is a copy";
    EXPECT_FALSE(producer.findDuplicateBatch(1, 10, 11)) << "nor in another epoch";
}

TEST_F(ProducerState, SequencesWrapFromTheLargestIntToZero) {
    append(0, INT32_MAX - 1, 2);
    EXPECT_EQ(entry().lastSeq(), INT32_MAX);
    append(0, 0, 1);
    EXPECT_EQ(entry().lastSeq(), 0);
    EXPECT_THROW(append(0, 2), OutOfOrderSequenceException) << "after 0 comes 1";
}

TEST_F(ProducerState, ASnapshotIsKafkasFormatAndReadsBackTheSame) {
    append(3, 0, 4);
    manager.takeSnapshot();
    const auto file = ProducerStateManager::snapshotFile(dir, 4);
    EXPECT_EQ(file.filename(), "00000000000000000004.snapshot");
    std::ifstream in(file, std::ios::binary);
    const Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_EQ(bytes.size(), 2u + 4 + 4 + 46);
    EXPECT_EQ(ByteUtils::readBigEndian<std::int16_t>(bytes, 0), 1) << "version";
    EXPECT_EQ(ByteUtils::readBigEndian<std::uint32_t>(bytes, 2),
              common::utils::Crc32C::compute(std::span(bytes).subspan(6)));
    EXPECT_EQ(ByteUtils::readBigEndian<std::int32_t>(bytes, 6), 1) << "one producer";
    EXPECT_EQ(ByteUtils::readBigEndian<std::int64_t>(bytes, 10), kProducer);
    EXPECT_EQ(ByteUtils::readBigEndian<std::int16_t>(bytes, 18), 3) << "epoch";
    EXPECT_EQ(ByteUtils::readBigEndian<std::int32_t>(bytes, 20), 3) << "last sequence";
    EXPECT_EQ(ByteUtils::readBigEndian<std::int64_t>(bytes, 24), 3) << "last offset";
    EXPECT_EQ(ByteUtils::readBigEndian<std::int32_t>(bytes, 32), 3) << "offset delta";
    EXPECT_EQ(ByteUtils::readBigEndian<std::int64_t>(bytes, 36), 5'000) << "timestamp";
    EXPECT_EQ(ByteUtils::readBigEndian<std::int32_t>(bytes, 44), -1) << "coordinator epoch";
    EXPECT_EQ(ByteUtils::readBigEndian<std::int64_t>(bytes, 48), -1) << "no transaction";

    const auto read = ProducerStateManager::readSnapshot(file);
    ASSERT_EQ(read.size(), 1u);
    EXPECT_EQ(read[0].producerId(), kProducer);
    EXPECT_EQ(read[0].producerEpoch(), 3);
    EXPECT_TRUE(read[0].findDuplicateBatch(3, 0, 3));
}

TEST_F(ProducerState, ASnapshotKeepsEveryRememberedBatchOneEntryEach) {
    for (int b = 0; b < 7; ++b) append(0, 2 * b, 2);  // five remembered: sequences 4-5 to 12-13
    manager.takeSnapshot();
    const auto file = ProducerStateManager::snapshotFile(dir, 14);
    EXPECT_EQ(std::filesystem::file_size(file), 2u + 4 + 4 + 5 * 46);
    ProducerStateManager reloaded({"t", 0}, dir);
    reloaded.truncateAndReload(0, 14);
    const auto producer = reloaded.lastEntry(kProducer);
    ASSERT_TRUE(producer);
    EXPECT_EQ(producer->batchMetadata().size(), 5u);
    for (int b = 2; b < 7; ++b) {
        const auto found = producer->findDuplicateBatch(0, 2 * b, 2 * b + 1);
        ASSERT_TRUE(found) << "batch " << b;
        EXPECT_EQ(found->firstOffset(), 2 * b);
    }
    EXPECT_EQ(producer->lastSeq(), 13);
}

TEST_F(ProducerState, ACorruptOrShortSnapshotIsRefusedNotBelieved) {
    append(0, 0, 2);
    manager.takeSnapshot();
    const auto file = ProducerStateManager::snapshotFile(dir, 2);
    std::ifstream in(file, std::ios::binary);
    Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    auto rewrite = [&](const Bytes& content) {
        std::ofstream(file, std::ios::binary | std::ios::trunc)
            .write(reinterpret_cast<const char*>(content.data()),
                   static_cast<std::streamsize>(content.size()));
    };
    Bytes flipped = bytes;
    flipped[20] ^= 0x01;  // inside the entry: the CRC no longer matches
    rewrite(flipped);
    EXPECT_THROW(ProducerStateManager::readSnapshot(file), CorruptSnapshotException);
    rewrite(Bytes(bytes.begin(), bytes.begin() + 30));
    EXPECT_THROW(ProducerStateManager::readSnapshot(file), CorruptSnapshotException);
    Bytes version = bytes;
    version[1] = 2;
    rewrite(version);
    EXPECT_THROW(ProducerStateManager::readSnapshot(file), CorruptSnapshotException);
}

}  // namespace
}  // namespace kafka::log
