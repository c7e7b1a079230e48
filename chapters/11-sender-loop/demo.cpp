// Chapter 11 demo: a producer whose I/O thread runs the Sender's loop against a pretend broker
// (a KafkaClient written here, standing in for the network until chapter 14). Every produce
// request the loop builds is printed, answered with offsets, and the callbacks show them.
#include <condition_variable>
#include <iostream>
#include <map>
#include <mutex>
#include <string>

#include "kafka/clients/KafkaClient.h"
#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/requests/ProduceResponse.h"
#include "kafka/common/serialization/StringSerializer.h"
#include "kafka/common/utils/Time.h"

using namespace kafka;
using clients::ClientRequest;
using clients::ClientResponse;
using common::requests::ProduceRequest;
using common::requests::ProduceResponse;

namespace {

// Always ready; answers each produce request on the next poll, giving each partition's
// batch the next offsets of that partition's log.
class PretendBroker final : public clients::KafkaClient {
public:
    bool isReady(const common::Node&, std::int64_t) override { return true; }
    bool ready(const common::Node&, std::int64_t) override { return true; }
    std::int64_t connectionDelay(const common::Node&, std::int64_t) override { return 0; }

    void send(ClientRequest request, std::int64_t) override {
        std::lock_guard lock(mutex_);
        const auto& produce = dynamic_cast<const ProduceRequest&>(*request.request);
        std::cout << "[io]   produce request #" << nextCorrelationId_ << " to node "
                  << request.destination << ", acks=" << produce.acks() << ":\n";
        std::map<common::TopicPartition, ProduceResponse::PartitionResponse> answer;
        for (const auto& [tp, records] : produce.partitionRecords()) {
            // The record count sits at bytes 57-60 of a record batch v2 header (chapter 7).
            const int count =
                (records[57] << 24) | (records[58] << 16) | (records[59] << 8) | records[60];
            std::cout << "[io]     " << tp << ": one batch, " << records.size() << " bytes, "
                      << count << " records\n";
            answer[tp] = ProduceResponse::PartitionResponse{.baseOffset = logEnd_[tp]};
            logEnd_[tp] += count;
        }
        completed_.emplace_back(request.destination, nextCorrelationId_++,
                                std::move(request.callback), 0, false,
                                std::make_shared<ProduceResponse>(std::move(answer)));
        wake_.notify_one();
    }

    std::vector<ClientResponse> poll(std::int64_t timeoutMs, std::int64_t) override {
        std::vector<ClientResponse> done;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, std::chrono::milliseconds(std::min<std::int64_t>(timeoutMs, 1000)),
                           [this] { return !completed_.empty() || woken_; });
            woken_ = false;
            done.swap(completed_);
        }
        for (const auto& response : done) response.onComplete();
        return done;
    }

    int inFlightRequestCount() const override {
        std::lock_guard lock(mutex_);
        return static_cast<int>(completed_.size());
    }
    void wakeup() override {
        std::lock_guard lock(mutex_);
        woken_ = true;
        wake_.notify_one();
    }
    void close() override { std::cout << "[io]   client closed\n"; }

private:
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<ClientResponse> completed_;
    std::map<common::TopicPartition, std::int64_t> logEnd_;
    std::int32_t nextCorrelationId_ = 0;
    bool woken_ = false;
};

}  // namespace

int main() {
    auto metadata =
        std::make_shared<clients::Metadata>(100, 300'000, 300'000, common::utils::Time::system());
    const common::Node broker(1, "localhost", 9092);
    metadata->update(
        std::make_shared<common::Cluster>(
            "demo", std::vector<common::Node>{broker},
            std::vector<common::PartitionInfo>{{"orders", 0, broker, {broker}, {broker}},
                                               {"orders", 1, broker, {broker}, {broker}}}),
        0);
    clients::producer::KafkaProducer<std::string, std::string> producer(
        clients::producer::ProducerConfig(
            {{"bootstrap.servers", "localhost:9092"}, {"linger.ms", "50"}, {"acks", "1"}}),
        std::make_unique<common::serialization::StringSerializer>(),
        std::make_unique<common::serialization::StringSerializer>(),
        {.metadata = metadata, .client = std::make_shared<PretendBroker>()});

    std::cout << "[main] six records to orders-0 and orders-1, faster than the I/O thread loops\n";
    for (int i = 0; i < 6; ++i) {
        producer.send({"orders", i % 2, std::nullopt, "order " + std::to_string(i)},
                      [i](const clients::producer::RecordMetadata& m, std::exception_ptr error) {
                          if (error) return;
                          std::cout << "[cb]   order " << i << " is " << m.topic() << "-"
                                    << m.partition() << " at offset " << m.offset() << '\n';
                      });
    }
    std::cout << "[main] send() returned six times; now close(), which waits for the answers\n";
    producer.close();
    std::cout << "[main] closed\n";
    return 0;
}
