// Chapter 36 demo: the idempotent producer's numbers, step by step. A Sender, an accumulator
// and a TransactionManager run against a scripted broker (the course's MockClient) on a clock
// moved by hand. It shows the InitProducerId that comes before any batch, the producer id,
// epoch and sequence each batch carries on the wire, a retry that carries the same numbers,
// three batches in flight where the first fails and goes again alone, and an epoch bump.
#include <iostream>
#include <memory>
#include <string>

#include "kafka/clients/Metadata.h"
#include "kafka/clients/producer/internals/BufferPool.h"
#include "kafka/clients/producer/internals/RecordAccumulator.h"
#include "kafka/clients/producer/internals/Sender.h"
#include "kafka/clients/producer/internals/TransactionManager.h"
#include "kafka/common/record/MemoryRecords.h"
#include "kafka/common/utils/MockTime.h"
#include "support/MockClient.h"
#include "support/TestUtils.h"

namespace {

using namespace kafka::clients;
using namespace kafka::clients::producer::internals;
using kafka::common::TopicPartition;
using kafka::common::protocol::Errors;
using kafka::common::requests::ProduceResponse;

class Demo {
public:
    Demo() { metadata->update(kafka::test::singletonCluster("orders", 1), time->milliseconds()); }

    void append(const std::string& value) {
        const auto now = time->milliseconds();
        futures.push_back(
            *accumulator
                 ->append(tp, now, std::nullopt,
                          kafka::common::utils::toBytes(value + std::string(100, '.')), {}, nullptr,
                          0, false, now)
                 .future);
        std::cout << "  send(" << value << ")\n";
    }
    // One loop of the Sender; prints every produce request it sent with its batch's numbers.
    void loop() {
        sender->runOnce();
        for (; shown < client->sent().size(); ++shown) {
            const auto request = client->produceRequest(shown);
            const auto batch = kafka::common::record::MemoryRecords::readableRecords(
                                   request->partitionRecords().at(tp))
                                   .batches()
                                   .front();
            std::cout << "  -> Produce #" << shown + 1 << ": producerId=" << batch.producerId()
                      << " epoch=" << batch.producerEpoch()
                      << " baseSequence=" << batch.baseSequence() << " (" << batch.recordsCount()
                      << " record)\n";
        }
    }
    void answer(Errors error, std::int64_t offset = -1) {
        std::cout << "  <- " << kafka::common::protocol::errorName(error)
                  << (offset >= 0 ? " at offset " + std::to_string(offset) : "") << "\n";
        client->respond({{tp, ProduceResponse::PartitionResponse{
                                  .error = error, .baseOffset = offset, .logStartOffset = 0}}});
        loop();
    }
    void wait(std::int64_t ms) {
        time->sleep(ms);
        loop();
    }
    void state() const {
        std::cout << "  producer: " << transactions->producerIdAndEpoch().toString()
                  << ", next sequence of orders-0: " << transactions->sequenceNumber(tp) << "\n";
    }

    std::shared_ptr<kafka::common::utils::MockTime> time =
        std::make_shared<kafka::common::utils::MockTime>();
    std::shared_ptr<TransactionManager> transactions = std::make_shared<TransactionManager>();
    std::shared_ptr<RecordAccumulator> accumulator = std::make_shared<RecordAccumulator>(
        RecordAccumulator::Settings{.batchSize = 128,
                                    .lingerMs = 0,
                                    .retryBackoffMs = 100,
                                    .transactionManager = transactions},
        std::make_shared<BufferPool>(1 << 20, 128, time), time);
    std::shared_ptr<Metadata> metadata = std::make_shared<Metadata>(100, 300'000, 300'000, time);
    std::shared_ptr<kafka::test::MockClient> client = std::make_shared<kafka::test::MockClient>();
    std::unique_ptr<Sender> sender = std::make_unique<Sender>(
        client, metadata, accumulator,
        Sender::Settings{
            .acks = -1, .retries = 10, .transactionManager = transactions, .retryBackoffMs = 100},
        time);
    std::vector<producer::RecordMetadataFuture> futures;
    const TopicPartition tp{"orders", 0};
    std::size_t shown = 0;
};

void title(const std::string& text) {
    std::cout << "\n== " << text << " ==\n";
}

}  // namespace

int main() {
    std::cout << std::unitbuf;  // the producer's log lines (stderr) fall where they happen
    Demo demo;
    title("1. Before any batch: InitProducerId");
    demo.append("a");
    demo.loop();
    std::cout << "  (InitProducerId requests: " << demo.client->initProducerIdRequests() << ")\n";
    demo.state();
    demo.loop();

    title("2. A retry carries the same numbers");
    demo.answer(Errors::kRequestTimedOut);
    demo.wait(200);
    std::cout << "  the broker can tell the copy from a new batch: same id, epoch, sequence\n";
    demo.answer(Errors::kNone, 0);

    title("3. Three in flight, the first refused: it goes again first, alone");
    demo.append("b");
    demo.append("c");
    demo.append("d");
    demo.loop();
    demo.loop();
    demo.loop();
    demo.answer(Errors::kNotLeaderOrFollower);
    std::cout << "  (the broker refuses the next two: their sequences come after a gap)\n";
    demo.answer(Errors::kOutOfOrderSequenceNumber);
    demo.answer(Errors::kOutOfOrderSequenceNumber);
    demo.wait(200);
    demo.answer(Errors::kNone, 1);
    demo.loop();
    demo.answer(Errors::kNone, 2);
    demo.loop();
    demo.answer(Errors::kNone, 3);
    demo.state();

    title("4. The broker forgot this producer: a new epoch, sequences from 0");
    demo.append("e");
    demo.loop();
    demo.answer(Errors::kUnknownProducerId);
    demo.wait(200);
    demo.answer(Errors::kNone, 4);
    demo.state();

    title("What each send() got");
    const char* names = "abcde";
    for (std::size_t i = 0; i < demo.futures.size(); ++i)
        std::cout << "  " << names[i] << " -> offset " << demo.futures[i].get().offset() << "\n";
    std::cout << "\nEach record once, in order: the broker's half (chapter 37) is what uses "
                 "these numbers\nto drop a copy it already has.\n";
}
