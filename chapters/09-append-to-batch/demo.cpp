// Chapter 9 demo: records from two threads land in one partition's batches; each batch fills
// up to batch.size; a record larger than batch.size gets a batch of its own size.
#include <iostream>
#include <string>
#include <thread>

#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/common/utils/Time.h"

using kafka::clients::producer::internals::RecordAccumulator;
using kafka::common::TopicPartition;
using kafka::common::utils::Bytes;
using kafka::common::utils::Time;
using kafka::common::utils::toBytes;
using kafka::common::utils::toString;

namespace {

void append(RecordAccumulator& accumulator, const TopicPartition& tp, const Bytes& value) {
    const auto now = Time::system()->milliseconds();
    const auto result =
        accumulator.append(tp, now, std::nullopt, value, {}, nullptr, 60'000, false, now);
    if (result.newBatchCreated)
        std::cout << "  a new batch for " << tp.topic << "-" << tp.partition << " (record of "
                  << value.size() << " bytes)\n";
}

void show(const RecordAccumulator& accumulator, const TopicPartition& tp, int batchSize) {
    int index = 0;
    for (const auto& batch : accumulator.batches(tp)) {
        std::cout << "  batch " << index++ << ": " << batch->recordCount() << " records, "
                  << batch->estimatedSizeInBytes() << " of " << batchSize << " bytes, buffer "
                  << batch->initialCapacity() << " bytes" << (batch->isFull() ? ", full" : "")
                  << "\n    ";
        for (const auto& record : batch->records()) std::cout << toString(*record.value) << ' ';
        std::cout << '\n';
    }
}

}  // namespace

int main() {
    constexpr int kBatchSize = 200;
    RecordAccumulator accumulator({.batchSize = kBatchSize}, Time::system());
    const TopicPartition tp{"clicks", 0};

    std::cout << "Two threads, A and B, append ten records each to " << tp.topic << "-"
              << tp.partition << " (batch.size " << kBatchSize << "):\n";
    auto writer = [&](char name) {
        for (int i = 0; i < 10; ++i) append(accumulator, tp, toBytes(name + std::to_string(i)));
    };
    std::thread a(writer, 'A');
    std::thread b(writer, 'B');
    a.join();
    b.join();
    show(accumulator, tp, kBatchSize);
    std::cout << "However the threads interleave, A0..A9 and B0..B9 are each in order: the\n"
                 "partition's lock orders the appends.\n\n";

    std::cout << "A record of 500 bytes, larger than batch.size, then a small one:\n";
    append(accumulator, tp, Bytes(500, 'x'));
    append(accumulator, tp, toBytes("after"));
    const auto batches = accumulator.batches(tp);
    const auto& large = *batches.at(batches.size() - 2);
    std::cout << "  the large record's batch: " << large.recordCount() << " record, buffer of "
              << large.initialCapacity() << " bytes (its own size, not batch.size)\n";
    return 0;
}
