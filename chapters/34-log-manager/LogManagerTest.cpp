// Chapter 34: the LogManager locks its directories, loads every log in them at startup, writes
// the recovery points and log start offsets in Kafka's checkpoint format, leaves the
// clean-shutdown marker last, and runs retention; the scheduler that runs it keeps time.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/record/MemoryRecordsBuilder.h"
#include "kafka/common/utils/MockTime.h"
#include "kafka/log/LogManager.h"
#include "kafka/log/LogSegment.h"
#include "kafka/server/checkpoints/OffsetCheckpointFile.h"
#include "kafka/server/util/KafkaScheduler.h"
#include "support/LogDirs.h"

namespace kafka::log {
namespace {

using common::record::MemoryRecordsBuilder;
using common::utils::Bytes;
using server::checkpoints::OffsetCheckpointFile;

constexpr std::int64_t kNow = 1'700'000'000'000;

Bytes batchOf(int count) {
    MemoryRecordsBuilder builder(1 << 20);
    for (int i = 0; i < count; ++i) builder.append(kNow, std::nullopt, Bytes(10, 'v'));
    return builder.build();
}

std::string fileText(const std::filesystem::path& file) {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class LogManagerTest : public ::testing::Test {
protected:
    LogManager::Settings settings() {
        LogManager::Settings s;
        s.logDirs = {dir};
        s.time = time;
        return s;
    }

    std::filesystem::path dir = test::scratchDir();
    std::shared_ptr<common::utils::MockTime> time = std::make_shared<common::utils::MockTime>(kNow);
};

TEST_F(LogManagerTest, EveryLogIsLoadedAgainAtStartupWithItsOffsets) {
    {
        LogManager manager(settings());
        manager.createTopic("orders", 2);
        manager.createTopic("audit", 1);
        for (int b = 0; b < 3; ++b) manager.getLog({"orders", 0})->append(batchOf(5));
        manager.getLog({"audit", 0})->append(batchOf(2));
        manager.shutdown();
    }
    LogManager reloaded(settings());
    EXPECT_EQ(reloaded.topics(),
              (std::map<std::string, std::int32_t>{{"audit", 1}, {"orders", 2}}));
    EXPECT_EQ(reloaded.getLog({"orders", 0})->logEndOffset(), 15);
    EXPECT_EQ(reloaded.getLog({"orders", 1})->logEndOffset(), 0);
    EXPECT_EQ(reloaded.getLog({"audit", 0})->logEndOffset(), 2);
    EXPECT_EQ(reloaded.getLog({"orders", 0})->append(batchOf(1)).firstOffset, 15);
}

// What the COURSE map asks: checkpoints in Kafka's format, the marker last.
TEST_F(LogManagerTest, AShutdownWritesKafkasCheckpointsThenTheCleanShutdownMarker) {
    LogManager manager(settings());
    manager.createTopic("orders", 2);
    for (int b = 0; b < 3; ++b) manager.getLog({"orders", 0})->append(batchOf(5));
    EXPECT_FALSE(std::filesystem::exists(dir / ".kafka_cleanshutdown"));
    manager.shutdown();
    EXPECT_EQ(fileText(dir / "recovery-point-offset-checkpoint"),
              "0\n2\norders 0 15\norders 1 0\n");
    EXPECT_EQ(fileText(dir / "log-start-offset-checkpoint"), "0\n2\norders 0 0\norders 1 0\n");
    EXPECT_EQ(fileText(dir / ".kafka_cleanshutdown"), "{\"version\":0,\"brokerEpoch\":-1}");
    EXPECT_FALSE(std::filesystem::exists(dir / "recovery-point-offset-checkpoint.tmp"));
}

TEST_F(LogManagerTest, TheMarkerIsRemovedOnceTheLogsAreLoaded) {
    { LogManager(settings()).shutdown(); }
    ASSERT_TRUE(std::filesystem::exists(dir / ".kafka_cleanshutdown"));
    const LogManager reloaded(settings());
    EXPECT_FALSE(std::filesystem::exists(dir / ".kafka_cleanshutdown"))
        << "from here on, a crash must be seen as one";
}

TEST_F(LogManagerTest, ASecondLogManagerCannotTakeALockedDirectory) {
    const LogManager first(settings());
    try {
        const LogManager second(settings());
        FAIL() << "two LogManagers on one directory";
    } catch (const common::errors::KafkaException& e) {
        EXPECT_NE(std::string(e.what()).find(".lock"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(dir.string()), std::string::npos) << e.what();
    }
}

// A log start offset written down above the first segment (as DeleteRecords would leave it) is
// where the log starts again.
TEST_F(LogManagerTest, TheLogStartOffsetCheckpointIsWhereALogStartsAgain) {
    {
        LogManager manager(settings());
        manager.createTopic("orders", 1);
        for (int b = 0; b < 4; ++b) manager.getLog({"orders", 0})->append(batchOf(5));
        manager.shutdown();
    }
    OffsetCheckpointFile(dir / "log-start-offset-checkpoint").write({{{"orders", 0}, 7}});
    const LogManager reloaded(settings());
    EXPECT_EQ(reloaded.getLog({"orders", 0})->logStartOffset(), 7);
}

// A missing or unreadable checkpoint is no reason to fail: every log is recovered from its
// start instead, which finds a torn tail.
TEST_F(LogManagerTest, AnUnreadableCheckpointMeansRecoveryFromTheStart) {
    std::filesystem::path segment;
    {
        LogManager manager(settings());
        manager.createTopic("orders", 1);
        for (int b = 0; b < 4; ++b) manager.getLog({"orders", 0})->append(batchOf(5));
        segment = LogSegment::logFile(manager.getLog({"orders", 0})->dir(), 0);
        manager.checkpointLogRecoveryOffsets();
    }  // no shutdown: a crash
    std::ofstream(dir / "recovery-point-offset-checkpoint") << "0\n1\norders zero 20\n";
    const auto size = std::filesystem::file_size(segment);
    std::ofstream(segment, std::ios::app) << std::string(100, '\x01');
    const LogManager reloaded(settings());
    EXPECT_EQ(std::filesystem::file_size(segment), size);
    EXPECT_EQ(reloaded.getLog({"orders", 0})->logEndOffset(), 20);
}

TEST_F(LogManagerTest, ADirectoryThatIsNotAPartitionIsSkipped) {
    std::filesystem::create_directories(dir / "lost+found");
    std::filesystem::create_directories(dir / "no_partition_number");
    const LogManager manager(settings());
    EXPECT_TRUE(manager.topics().empty());
    EXPECT_EQ(LogManager::parseTopicPartitionName("orders-12"),
              (common::TopicPartition{"orders", 12}));
    EXPECT_EQ(LogManager::parseTopicPartitionName("my-topic-0"),
              (common::TopicPartition{"my-topic", 0}));
    EXPECT_FALSE(LogManager::parseTopicPartitionName("orders-"));
    EXPECT_FALSE(LogManager::parseTopicPartitionName("-3"));
}

TEST_F(LogManagerTest, RetentionRunsOverEveryLog) {
    auto s = settings();
    s.defaultConfig.segmentBytes = 2 * static_cast<std::int32_t>(batchOf(5).size());
    s.defaultConfig.retentionMs = 1000;
    LogManager manager(s);
    manager.createTopic("orders", 2);
    for (const int p : {0, 1})
        for (int b = 0; b < 5; ++b) manager.getLog({"orders", p})->append(batchOf(5));
    EXPECT_EQ(manager.cleanupLogs(), 0);
    time->sleep(1001);
    EXPECT_EQ(manager.cleanupLogs(), 6) << "3 segments a log, the active one rolled first";
    EXPECT_EQ(manager.getLog({"orders", 1})->logStartOffset(), 25);
}

TEST(OffsetCheckpointFile, ReadsWhatItWritesAndNamesTheFileAndTheLineItCannotRead) {
    const auto file = test::scratchDir() / "recovery-point-offset-checkpoint";
    const OffsetCheckpointFile checkpoint(file);
    EXPECT_TRUE(checkpoint.read().empty()) << "no file yet";
    const std::map<common::TopicPartition, std::int64_t> offsets{{{"a", 0}, 5}, {{"b-c", 3}, 0}};
    checkpoint.write(offsets);
    EXPECT_EQ(checkpoint.read(), offsets);
    std::ofstream(file) << "0\n1\nb-c three 0\n";
    try {
        checkpoint.read();
        FAIL() << "a malformed line was read";
    } catch (const common::errors::KafkaException& e) {
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("b-c three 0"), std::string::npos) << e.what();
    }
    std::ofstream(file) << "1\n0\n";
    EXPECT_THROW(checkpoint.read(), common::errors::KafkaException) << "an unknown version";
    std::ofstream(file) << "0\n2\na 0 5\n";
    EXPECT_THROW(checkpoint.read(), common::errors::KafkaException) << "fewer entries than said";
}

TEST(KafkaScheduler, APeriodicTaskRunsAgainAndOneThatThrowsKeepsItsSchedule) {
    server::util::KafkaScheduler scheduler;
    std::mutex mutex;
    std::condition_variable ran;
    int steady = 0, throwing = 0;
    scheduler.schedule(
        "steady",
        [&] {
            std::scoped_lock lock(mutex);
            ++steady;
            ran.notify_all();
        },
        0, 1);
    scheduler.schedule(
        "throwing",
        [&] {
            {
                std::scoped_lock lock(mutex);
                ++throwing;
                ran.notify_all();
            }
            throw std::runtime_error("a task that fails");
        },
        0, 1);
    scheduler.schedule(
        "never", [] { FAIL() << "scheduled after shutdown"; }, 3'600'000);
    scheduler.startup();
    std::unique_lock lock(mutex);
    EXPECT_TRUE(
        ran.wait_for(lock, std::chrono::seconds(30), [&] { return steady >= 5 && throwing >= 5; }));
    lock.unlock();
    scheduler.shutdown();
    const int after = steady;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(steady, after) << "nothing runs after shutdown";
}

}  // namespace
}  // namespace kafka::log
