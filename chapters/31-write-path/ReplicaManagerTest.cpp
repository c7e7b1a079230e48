// Chapter 31: the write path. A Produce request's partitions go through the ReplicaManager to
// each Partition and its Log, which validates the batch, gives it its offsets and its
// timestamps, and appends it; each partition is answered on its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "kafka/common/protocol/Errors.h"
#include "kafka/common/record/DefaultRecordBatch.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/utils/ByteUtils.h"
#include "kafka/common/utils/Crc32C.h"
#include "kafka/common/utils/MockTime.h"
#include "kafka/log/LogManager.h"
#include "kafka/server/ReplicaManager.h"
#include "support/LogDirs.h"

namespace kafka::server {
namespace {

using common::TopicPartition;
using common::protocol::Errors;
using common::record::DefaultRecordBatch;
using common::record::MemoryRecords;
using common::record::MemoryRecordsBuilder;
using common::record::TimestampType;
using common::utils::Bytes;

constexpr std::int64_t kNow = 1'700'000'000'000;  // the broker's clock in these tests

// A producer's batch of `values`, the i-th record stamped `timestamps[i]` (or 1000 + i).
Bytes batchOf(const std::vector<std::string>& values, std::vector<std::int64_t> timestamps = {}) {
    MemoryRecordsBuilder builder(1 << 20);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto timestamp =
            i < timestamps.size() ? timestamps[i] : kNow - 1000 + static_cast<std::int64_t>(i);
        builder.append(timestamp, std::nullopt, Bytes(values[i].begin(), values[i].end()));
    }
    return builder.build();
}

class ReplicaManagerTest : public ::testing::Test {
protected:
    // A broker's log layer with `config` for every log and topics "t" (one partition) and
    // "u" (two), on a clock at kNow.
    void makeBroker(log::LogConfig config = {}) {
        auto settings = test::logManagerSettings(config);
        settings.time = time;
        logs = std::make_shared<log::LogManager>(settings);
        logs->createTopic("t", 1);
        logs->createTopic("u", 2);
        replicas = std::make_unique<ReplicaManager>(ReplicaManager::Settings{logs, 0});
    }

    void SetUp() override { makeBroker(); }

    ReplicaManager::PartitionResponse produce(const TopicPartition& tp, const Bytes& batch,
                                              std::int16_t acks = 1) {
        return replicas->appendRecords(acks, {{tp, batch}}).at(tp);
    }

    // The batches in `tp`'s log, as stored.
    std::vector<Bytes> storedBatches(const TopicPartition& tp) {
        const auto read = logs->getLog(tp)->read(0, 1 << 30, true);
        std::vector<Bytes> batches;
        for (const auto& batch : MemoryRecords::readableRecords(read.records).batches())
            batches.emplace_back(batch.bytes().begin(), batch.bytes().end());
        return batches;
    }

    std::int64_t logEndOffset(const TopicPartition& tp) { return logs->getLog(tp)->logEndOffset(); }

    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>(kNow);
    std::shared_ptr<log::LogManager> logs;
    std::unique_ptr<ReplicaManager> replicas;
};

// What the COURSE map asks of this chapter: offsets in order across concurrent producers.
TEST_F(ReplicaManagerTest, ConcurrentProducersGetOffsetsWithNoGapAndNoOverlap) {
    constexpr int kThreads = 6;
    constexpr int kBatchesEach = 150;
    struct Appended {
        std::int64_t baseOffset;
        int records;
        std::string firstValue;
    };
    std::vector<std::vector<Appended>> appended(kThreads);
    std::vector<std::thread> producers;
    for (int t = 0; t < kThreads; ++t)
        producers.emplace_back([&, t] {
            for (int b = 0; b < kBatchesEach; ++b) {
                const int count = 1 + (t + b) % 4;
                std::vector<std::string> values;
                for (int r = 0; r < count; ++r)
                    values.push_back(std::to_string(t) + "/" + std::to_string(b) + "/" +
                                     std::to_string(r));
                const auto response = produce({"t", 0}, batchOf(values));
                ASSERT_EQ(response.error, Errors::kNone);
                appended[t].push_back({response.baseOffset, count, values.front()});
            }
        });
    for (auto& producer : producers) producer.join();

    std::map<std::int64_t, Appended> byOffset;
    for (const auto& mine : appended) {
        for (std::size_t i = 1; i < mine.size(); ++i)
            EXPECT_GT(mine[i].baseOffset, mine[i - 1].baseOffset)
                << "one producer's batches keep their order";
        for (const auto& batch : mine)
            EXPECT_TRUE(byOffset.emplace(batch.baseOffset, batch).second);
    }
    std::int64_t next = 0;
    for (const auto& [offset, batch] : byOffset) {
        EXPECT_EQ(offset, next) << "no gap and no overlap";
        next = offset + batch.records;
    }
    EXPECT_EQ(logEndOffset({"t", 0}), next);
    // And the log holds each batch at the offset its producer was told.
    for (const auto& bytes : storedBatches({"t", 0})) {
        const DefaultRecordBatch batch(bytes);
        const auto records = batch.records();
        const auto& expected = byOffset.at(batch.baseOffset());
        ASSERT_EQ(static_cast<int>(records.size()), expected.records);
        EXPECT_EQ(std::string(records.front().value()->begin(), records.front().value()->end()),
                  expected.firstValue);
    }
}

TEST_F(ReplicaManagerTest, TheAppendInfoSaysWhatTheLogDid) {
    const auto first = logs->getLog({"t", 0})->append(batchOf({"a", "b"}, {kNow - 50, kNow - 90}));
    const auto second = logs->getLog({"t", 0})->append(batchOf({"c", "d", "e"}));
    EXPECT_EQ(first.firstOffset, 0);
    EXPECT_EQ(first.lastOffset, 1);
    EXPECT_EQ(first.maxTimestamp, kNow - 50) << "the largest of the records' timestamps";
    EXPECT_EQ(first.logAppendTime, -1) << "CreateTime: the producer's clock";
    EXPECT_EQ(first.recordCount, 2);
    EXPECT_EQ(first.validBytes,
              static_cast<std::int32_t>(batchOf({"a", "b"}, {kNow - 50, kNow - 90}).size()));
    EXPECT_EQ(second.firstOffset, 2);
    EXPECT_EQ(second.lastOffset, 4);
}

TEST_F(ReplicaManagerTest, EachPartitionIsAnsweredOnItsOwn) {
    Bytes corrupt = batchOf({"x"});
    corrupt.back() ^= 0xff;  // the CRC no longer matches
    const auto responses = replicas->appendRecords(
        1, {{{"u", 0}, batchOf({"a"})}, {{"u", 1}, corrupt}, {{"nope", 0}, batchOf({"b"})}});
    EXPECT_EQ(responses.at({"u", 0}).error, Errors::kNone);
    EXPECT_EQ(responses.at({"u", 1}).error, Errors::kCorruptMessage);
    EXPECT_EQ(responses.at({"nope", 0}).error, Errors::kUnknownTopicOrPartition);
    EXPECT_EQ(logEndOffset({"u", 0}), 1);
    EXPECT_EQ(logEndOffset({"u", 1}), 0) << "the refused batch left its log unchanged";
}

TEST_F(ReplicaManagerTest, AcksOtherThanZeroOneOrAllRefuseEveryPartition) {
    const auto responses =
        replicas->appendRecords(2, {{{"u", 0}, batchOf({"a"})}, {{"u", 1}, batchOf({"b"})}});
    for (const auto& [tp, response] : responses)
        EXPECT_EQ(response.error, Errors::kInvalidRequiredAcks);
    EXPECT_EQ(logEndOffset({"u", 0}), 0);
    EXPECT_EQ(logEndOffset({"u", 1}), 0);
}

// On one broker the ISR is one replica: acks=all cannot be promised to a topic that wants two.
TEST_F(ReplicaManagerTest, AcksAllIsRefusedWhenTheIsrIsBelowMinInSyncReplicas) {
    log::LogConfig config;
    config.minInSyncReplicas = 2;
    makeBroker(config);
    const auto all = produce({"t", 0}, batchOf({"a"}), -1);
    EXPECT_EQ(all.error, Errors::kNotEnoughReplicas);
    EXPECT_NE(all.errorMessage.value_or("").find("min.isr"), std::string::npos);
    EXPECT_EQ(logEndOffset({"t", 0}), 0) << "refused before anything was written";
    EXPECT_EQ(produce({"t", 0}, batchOf({"a"}), 1).error, Errors::kNone)
        << "acks=1 asks nothing of followers";
    EXPECT_EQ(produce({"t", 0}, batchOf({"b"}), 0).error, Errors::kNone);
    EXPECT_EQ(replicas->getPartition({"t", 0})->inSyncReplicaIds(), std::vector<std::int32_t>{0});
}

TEST_F(ReplicaManagerTest, LogAppendTimeStampsTheBatchWithTheBrokersClock) {
    log::LogConfig config;
    config.messageTimestampType = TimestampType::kLogAppendTime;
    makeBroker(config);
    const auto response = produce({"t", 0}, batchOf({"a", "b"}, {1000, 2000}));
    ASSERT_EQ(response.error, Errors::kNone);
    EXPECT_EQ(response.logAppendTime, kNow) << "the producer hears the broker's time";
    const auto batches = storedBatches({"t", 0});
    const DefaultRecordBatch stored(batches.at(0));
    EXPECT_NO_THROW(stored.ensureValid()) << "the CRC was computed again";
    EXPECT_TRUE(stored.isLogAppendTime());
    EXPECT_EQ(stored.maxTimestamp(), kNow);
    for (const auto& record : stored.records()) EXPECT_EQ(record.timestamp(), kNow);
}

TEST_F(ReplicaManagerTest, WithCreateTimeTheBatchKeepsTheProducersTimestamps) {
    ASSERT_EQ(produce({"t", 0}, batchOf({"a", "b"}, {kNow - 7, kNow - 3})).error, Errors::kNone);
    const auto batches = storedBatches({"t", 0});
    const DefaultRecordBatch stored(batches.at(0));
    EXPECT_FALSE(stored.isLogAppendTime());
    EXPECT_EQ(stored.maxTimestamp(), kNow - 3);
    EXPECT_EQ(stored.records()[0].timestamp(), kNow - 7);
}

TEST_F(ReplicaManagerTest, ATimestampOutOfBoundsRefusesTheBatchAndNamesTheRecordsAtFault) {
    log::LogConfig config;
    config.messageTimestampBeforeMaxMs = 60'000;
    makeBroker(config);
    const auto old =
        produce({"t", 0}, batchOf({"ok", "old", "ok", "future"},
                                  {kNow, kNow - 60'001, kNow - 60'000, kNow + 3'600'001}));
    EXPECT_EQ(old.error, Errors::kInvalidTimestamp);
    ASSERT_EQ(old.recordErrors.size(), 2u);
    EXPECT_EQ(old.recordErrors[0].batchIndex, 1);
    EXPECT_EQ(old.recordErrors[1].batchIndex, 3) << "after.max.ms: one hour, Kafka 4.0's default";
    EXPECT_NE(old.recordErrors[0].message.value_or("").find(std::to_string(kNow - 60'000)),
              std::string::npos)
        << "the message gives the bounds";
    EXPECT_EQ(logEndOffset({"t", 0}), 0);
    EXPECT_EQ(produce({"t", 0}, batchOf({"none"}, {-1})).error, Errors::kNone)
        << "-1, no timestamp, is let through";
}

// The timestamp type is the broker's to set: a producer's batch that claims LogAppendTime is
// refused, whatever the topic's type.
TEST_F(ReplicaManagerTest, AProducerMayNotClaimLogAppendTime) {
    log::LogConfig config;
    config.messageTimestampType = TimestampType::kLogAppendTime;
    makeBroker(config);
    Bytes claimed = batchOf({"a"});
    DefaultRecordBatch::setMaxTimestamp(claimed, TimestampType::kLogAppendTime, 5);
    const auto response = produce({"t", 0}, claimed);
    EXPECT_EQ(response.error, Errors::kInvalidTimestamp);
    ASSERT_EQ(response.recordErrors.size(), 1u);
    EXPECT_EQ(logEndOffset({"t", 0}), 0);
}

TEST_F(ReplicaManagerTest, TheStoredBatchCarriesTheLeaderEpoch) {
    const Bytes sent = batchOf({"a"});
    ASSERT_EQ(DefaultRecordBatch(sent).partitionLeaderEpoch(), -1) << "what a producer sends";
    ASSERT_EQ(produce({"t", 0}, sent).error, Errors::kNone);
    const auto batches = storedBatches({"t", 0});
    const DefaultRecordBatch stored(batches.at(0));
    EXPECT_EQ(stored.partitionLeaderEpoch(), replicas->getPartition({"t", 0})->leaderEpoch());
    EXPECT_NO_THROW(stored.ensureValid()) << "the epoch lies outside the CRC";
}

TEST_F(ReplicaManagerTest, TheHighWatermarkMovesWithTheLogEndOnTheOnlyReplica) {
    const auto partition = replicas->getPartition({"u", 1});
    ASSERT_NE(partition, nullptr);
    EXPECT_EQ(partition->highWatermark(), 0);
    produce({"u", 1}, batchOf({"a", "b", "c"}));
    EXPECT_EQ(partition->highWatermark(), 3);
    EXPECT_EQ(replicas->getPartition({"u", 2}), nullptr) << "no such partition";
    EXPECT_EQ(replicas->getPartition({"u", 1}), partition) << "one Partition object per partition";
}

}  // namespace
}  // namespace kafka::server
