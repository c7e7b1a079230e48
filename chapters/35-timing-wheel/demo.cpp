// Chapter 35 demo: the timing wheel at work. First a request timeout of 30 s followed through
// the wheels, bucket by bucket, on a clock moved by hand; then a broker whose consumers wait in
// the fetch purgatory: one answered at its max.wait.ms by the timer, one answered early by a
// produce; last, 100,000 delayed operations added and completed, and nothing left behind.
#include <atomic>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kafka/common/protocol/ApiKeys.h"
#include "kafka/common/requests/FetchRequest.h"
#include "kafka/common/requests/MetadataRequest.h"
#include "kafka/common/utils/MockTime.h"
#include "kafka/server/DelayedOperationPurgatory.h"
#include "kafka/server/util/timer/TimerTaskEntry.h"
#include "kafka/server/util/timer/TimingWheel.h"
#include "support/BrokerClient.h"
#include "support/DemoBroker.h"

namespace {

namespace timer = kafka::server::util::timer;
using Clock = std::chrono::steady_clock;
using kafka::common::protocol::ApiKeys;
namespace requests = kafka::common::requests;

class NamedTask : public timer::TimerTask {
public:
    NamedTask(std::string name, std::int64_t delayMs) : TimerTask(delayMs), name(std::move(name)) {}
    void run() override {}
    const std::string name;
};

// What SystemTimer::advanceClock does, step by step and out loud: the earliest bucket
// expires, the wheels' clocks move to it, and each entry is added again, to a finer wheel or,
// if its time has come, to the tasks to run.
void followThroughTheWheels() {
    auto time = std::make_shared<kafka::common::utils::MockTime>(0);
    std::atomic<int> taskCounter = 0;
    timer::DelayQueue queue(time);
    timer::TimingWheel wheel(1, 20, 0, taskCounter, queue);

    std::vector<std::shared_ptr<NamedTask>> tasks{
        std::make_shared<NamedTask>("a fetch wait of 5 ms", 5),
        std::make_shared<NamedTask>("a fetch wait of 500 ms", 500),
        std::make_shared<NamedTask>("a request timeout of 30 s", 30'000)};
    std::cout << "1. Three tasks in a timer of 1-ms ticks and 20 buckets a wheel (Kafka's):\n";
    for (const auto& task : tasks) {
        auto entry = std::make_shared<timer::TimerTaskEntry>(task, task->delayMs());
        task->setTimerTaskEntry(entry);
        wheel.add(entry);
    }
    int levels = 0;
    for (const auto* level = &wheel; level != nullptr; level = level->overflowWheel()) ++levels;
    std::cout << "   " << levels << " wheels now exist, spanning 20 ms, 400 ms, 8 s and 160 s; "
              << queue.size() << " buckets are queued, one per task here.\n";

    std::cout << "   The clock jumps from bucket to bucket (nobody ticks each millisecond):\n";
    while (taskCounter > 0) {
        time->setCurrentTimeMs(1'000'000);  // far ahead, so the earliest bucket is "due"
        timer::TimerTaskList* bucket = queue.poll(0);
        const std::int64_t at = bucket->expiration();
        wheel.advanceClock(at);
        bucket->flush([&](std::shared_ptr<timer::TimerTaskEntry> entry) {
            const auto& name = static_cast<const NamedTask&>(*entry->timerTask()).name;
            std::cout << "   at " << std::setw(6) << at << " ms: ";
            if (wheel.add(entry)) {
                std::cout << name << " falls into a finer bucket\n";
            } else {
                std::cout << name << " runs\n";
            }
        });
    }
}

// A broker, and a consumer at the end of an empty partition: min.bytes=1, max.wait.ms=500.
void fetchesInThePurgatory() {
    auto broker = kafka::test::startDemoBroker();
    kafka::test::BrokerClient consumer(broker->boundPort());
    consumer.send(ApiKeys::kMetadata, 8, 1,
                  requests::MetadataRequest(std::vector<std::string>{"news"}));
    consumer.readFrame();
    const requests::FetchRequest fetch(500, 1, 1 << 20, {{{"news", 0}, {0, 1 << 20, -1, -1}}});

    std::cout << "\n2. A consumer fetches from an empty partition, max.wait.ms=500, min.bytes=1.\n";
    auto sent = Clock::now();
    consumer.send(ApiKeys::kFetch, 11, 2, fetch);
    consumer.readFrame();
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent);
    std::cout << "   Nothing came; the timer answered it after " << waited.count()
              << " ms (on its thread executor-Fetch).\n";

    std::cout << "   It fetches again; 150 ms later a producer writes one record.\n";
    sent = Clock::now();
    consumer.send(ApiKeys::kFetch, 11, 3, fetch);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    auto producer = kafka::test::demoProducerFor(*broker);
    producer->send({"news", "hello"}).get();
    consumer.readFrame();
    waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent);
    std::cout << "   The produce completed the waiting fetch: answered after " << waited.count()
              << " ms,\n   and its timer task was cancelled, not left to expire.\n";
    producer->close();
}

class Waiting : public kafka::server::DelayedOperation {
public:
    Waiting() : DelayedOperation(30'000) {}
    bool tryComplete() override { return ready && forceComplete(); }
    bool ready = false;

private:
    void onComplete() override {}
};

void aHundredThousandOperations() {
    kafka::server::DelayedOperationPurgatory purgatory("Demo");
    std::vector<std::shared_ptr<Waiting>> operations(100'000);
    const auto start = Clock::now();
    for (std::size_t i = 0; i < operations.size(); ++i) {
        operations[i] = std::make_shared<Waiting>();
        purgatory.tryCompleteElseWatch(operations[i], {{"t", static_cast<int>(i % 100)}});
    }
    const auto added = Clock::now();
    std::cout << "\n3. 100,000 operations of 30 s wait in the purgatory: numDelayed() = "
              << purgatory.numDelayed() << ".\n";
    for (auto& operation : operations) operation->ready = true;
    for (int p = 0; p < 100; ++p) purgatory.checkAndComplete({"t", p});
    const auto completed = Clock::now();
    const auto perOperationNs = [&](Clock::duration d) {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count() / 100'000;
    };
    std::cout << "   Data arrives for all of them: numDelayed() = " << purgatory.numDelayed()
              << " at once.\n   Watching and adding to the timer took about "
              << perOperationNs(added - start) << " ns an operation; completing (and cancelling) "
              << perOperationNs(completed - added) << " ns.\n"
              << std::flush;
}

}  // namespace

int main() {
    followThroughTheWheels();
    fetchesInThePurgatory();
    aHundredThousandOperations();
}
