//@ ch02
#include "kafka/clients/producer/internals/Sender.h"

//> ch11
#include <algorithm>
#include <chrono>
#include <iterator>
#include <limits>
#include <string>

#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/protocol/Errors.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/requests/ProduceResponse.h"
//< ch11
//> ch36
#include "kafka/common/requests/InitProducerIdRequest.h"
#include "kafka/common/requests/InitProducerIdResponse.h"
//< ch36

namespace kafka::clients::producer::internals {

/*> ch02-11 sender-shell
Sender::Sender(std::shared_ptr<common::utils::Time> time) : time_(std::move(time)) {}

void Sender::run() {
    while (isRunning()) runOnce();
}

void Sender::runOnce() {
    std::unique_lock lock(mutex_);
    // Nothing to send before chapter 11: wait for a wakeup or a close. Kafka's loop blocks
    // the same way, inside the selector's poll, until there is I/O or someone calls wakeup().
    wakeupCondition_.wait(lock, [this] { return wakeupPending_ || !running_; });
    wakeupPending_ = false;
    ++loops_;
}

void Sender::wakeup() {
    {
        std::lock_guard lock(mutex_);
        wakeupPending_ = true;
    }
    wakeupCondition_.notify_one();
}

void Sender::initiateClose() {
    {
        std::lock_guard lock(mutex_);
        running_ = false;
    }
    wakeupCondition_.notify_one();
}

void Sender::forceClose() {
    // Until there are batches to fail (chapter 11), a forced close is a close.
    initiateClose();
}

bool Sender::isRunning() const {
    std::lock_guard lock(mutex_);
    return running_;
}

std::int64_t Sender::loopCount() const {
    std::lock_guard lock(mutex_);
    return loops_;
}
*/
//> ch11
Sender::Sender(std::shared_ptr<KafkaClient> client, std::shared_ptr<Metadata> metadata,
               std::shared_ptr<RecordAccumulator> accumulator, Settings settings,
               std::shared_ptr<common::utils::Time> time)
    : client_(std::move(client)),
      metadata_(std::move(metadata)),
      accumulator_(std::move(accumulator)),
      settings_(std::move(settings)),
      time_(std::move(time)),
      log_(settings_.logContext.logger("Sender")) {}

//> ch11 run
void Sender::run() {
    // One step failing, whatever it throws, must not end the thread: every batch still needs
    // its outcome, and only this thread gives it.
    auto guarded = [this](auto step) {
        try {
            step();
        } catch (const std::exception& e) {
            log_.error("Uncaught error in kafka producer I/O thread: {}", e.what());
        } catch (...) {
            log_.error("Uncaught error in kafka producer I/O thread: not a std::exception");
        }
    };
    while (running_) guarded([this] { runOnce(); });
    // Closing: unless forced, finish what was accepted, queued or in flight.
    while (!forceClose_ && (accumulator_->hasUndrained() || client_->inFlightRequestCount() > 0))
        guarded([this] { runOnce(); });
    if (forceClose_) guarded([this] { accumulator_->abortIncompleteBatches(); });
    guarded([this] { client_->close(); });
    {
        std::lock_guard lock(terminationMutex_);
        hasTerminated_ = true;
    }
    terminated_.notify_all();
}

void Sender::runOnce() {
    ++loops_;
    //> ch36 run-once-idempotent
    if (const auto& transactions = settings_.transactionManager) {
        transactions->maybeResolveSequences();
        // A fatal error: nothing more can be sent, and what waits fails with its cause.
        if (transactions->hasFatalError()) {
            maybeAbortBatches(transactions->lastError());
            client_->poll(settings_.retryBackoffMs, time_->milliseconds());
            return;
        }
        // A partition asked for a new epoch, or there is no producer id yet.
        transactions->bumpIdempotentEpochAndResetIdIfNeeded();
        if (maybeSendAndPollTransactionalRequest()) return;
    }
    //< ch36 run-once-idempotent
    const std::int64_t nowMs = time_->milliseconds();
    const std::int64_t pollTimeoutMs = sendProducerData(nowMs);
    client_->poll(pollTimeoutMs, nowMs);
    //> ch25
    if (settings_.metrics)
        settings_.metrics->updateRequestsInFlight(client_->inFlightRequestCount());
    //< ch25
}
//< ch11 run

//> ch11 send-producer-data
std::int64_t Sender::sendProducerData(std::int64_t nowMs) {
    const auto cluster = metadata_->fetch();
    // 1. Which brokers lead a partition with a batch that may go?
    auto result = accumulator_->ready(*cluster, nowMs);
    //> ch13 unknown-leaders
    // 2. Batches for a partition without a known leader wait; fresh metadata may name one.
    if (!result.unknownLeaderTopics.empty()) {
        for (const auto& topic : result.unknownLeaderTopics) metadata_->add(topic, nowMs);
        metadata_->requestUpdate();
    }
    //< ch13 unknown-leaders
    // 3. Keep only the brokers the client can send to now; the others start connecting.
    std::int64_t notReadyTimeoutMs = std::numeric_limits<std::int64_t>::max();
    for (auto node = result.readyNodes.begin(); node != result.readyNodes.end();) {
        if (client_->ready(*node, nowMs)) {
            ++node;
            continue;
        }
        //> ch13 not-ready-timeout
        notReadyTimeoutMs = std::min(notReadyTimeoutMs, client_->connectionDelay(*node, nowMs));
        //< ch13 not-ready-timeout
        node = result.readyNodes.erase(node);
    }
    // 4. One request's worth of batches for each of them.
    const BatchesByNode batches =
        accumulator_->drain(*cluster, result.readyNodes, settings_.maxRequestSize, nowMs);
    //> ch20 mute-drained
    // One batch per partition in flight at a time: mute what was drained until it completes.
    if (settings_.guaranteeMessageOrder)
        for (const auto& [node, nodeBatches] : batches)
            for (const auto& batch : nodeBatches)
                accumulator_->mutePartition(batch->topicPartition());
    //< ch20 mute-drained
    //> ch24 in-flight
    // Drained batches are in flight from here on, before anything else can go wrong in this
    // loop: they can be expired, and are failed by a forced close (Kafka's
    // addToInflightBatches).
    for (const auto& [node, nodeBatches] : batches)
        for (const auto& batch : nodeBatches)
            inFlightBatches_[batch->topicPartition()].push_back(batch);
    //< ch24 in-flight
    //> ch24 expire
    // 5. Batches that have waited delivery.timeout.ms fail, queued or in flight.
    for (const auto& batch : accumulator_->expiredBatches(nowMs)) failExpiredBatch(batch, nowMs);
    // A batch that expires in flight keeps its partition muted: its bytes may still be on the
    // wire, and only the request's outcome (an answer, a closed connection) unmutes it, in
    // completeBatch, as in Kafka. Its buffer waits for that outcome too, unless it was drained
    // in this very loop and has not gone out.
    const auto drainedNow = [&batches](const std::shared_ptr<ProducerBatch>& batch) {
        return std::ranges::any_of(batches, [&batch](const auto& entry) {
            return std::ranges::find(entry.second, batch) != entry.second.end();
        });
    };
    for (const auto& batch : expiredInFlightBatches(nowMs))
        failExpiredBatch(batch, nowMs, !drainedNow(batch));
    //< ch24 expire
    // 6. One produce request per broker.
    sendProduceRequests(batches, nowMs);
    // 7. Sleep in poll() until a batch can be ready or a broker worth retrying, unless there
    // is data to send right now (a ready node may have more than one request's worth).
    std::int64_t pollTimeoutMs = std::min(result.nextReadyCheckDelayMs, notReadyTimeoutMs);
    //> ch24 expiry-bounds-the-sleep
    pollTimeoutMs = std::min(pollTimeoutMs,
                             std::max<std::int64_t>(accumulator_->nextExpiryTimeMs() - nowMs, 0));
    //< ch24 expiry-bounds-the-sleep
    if (!result.readyNodes.empty()) pollTimeoutMs = 0;
    return pollTimeoutMs;
}
//< ch11 send-producer-data

//> ch11 produce-request
void Sender::sendProduceRequests(const BatchesByNode& batches, std::int64_t nowMs) {
    for (const auto& [node, nodeBatches] : batches) {
        /*> ch11-24 send-every-drained-batch
        if (!nodeBatches.empty()) sendProduceRequest(nowMs, node, nodeBatches);
        */
        //> ch24 skip-expired
        // A batch drained in this loop may have expired in it too: it is done, and its buffer
        // is back in the pool, so it must not go out.
        std::vector<std::shared_ptr<ProducerBatch>> alive;
        std::ranges::copy_if(nodeBatches, std::back_inserter(alive),
                             [](const auto& batch) { return !batch->isDone(); });
        if (!alive.empty()) sendProduceRequest(nowMs, node, alive);
        //< ch24 skip-expired
    }
}

void Sender::sendProduceRequest(std::int64_t nowMs, std::int32_t destination,
                                const std::vector<std::shared_ptr<ProducerBatch>>& batches) {
    std::map<common::TopicPartition, std::span<const std::uint8_t>> records;
    std::map<common::TopicPartition, std::shared_ptr<ProducerBatch>> batchesByPartition;
    for (const auto& batch : batches) {
        records.emplace(batch->topicPartition(), batch->closeAndBuild());
        batchesByPartition.emplace(batch->topicPartition(), batch);
        log_.debug("Sending a batch of {} record(s) for {} to node {}", batch->recordCount(),
                   batch->topicPartition().toString(), destination);
    }
    ClientRequest request;
    request.destination = std::to_string(destination);
    request.request = std::make_shared<common::requests::ProduceRequest>(
        settings_.acks, settings_.requestTimeoutMs, records);
    request.createdTimeMs = nowMs;
    request.expectResponse = settings_.acks != 0;
    request.requestTimeoutMs = settings_.requestTimeoutMs;
    // The batches ride along in the callback: they are what the answer completes.
    request.callback = [this, batchesByPartition, nowMs](const ClientResponse& response) {
        //> ch25
        if (settings_.metrics)
            settings_.metrics->recordLatency(response.receivedTimeMs() - nowMs, nowMs);
        //< ch25
        handleProduceResponse(response, batchesByPartition);
    };
    //> ch25
    if (settings_.metrics) settings_.metrics->updateProduceRequestMetrics(batches, nowMs);
    //< ch25
    try {
        client_->send(std::move(request), nowMs);
    } catch (const std::exception& e) {
        // The request never left (say the broker speaks no Produce version this client
        // knows): its batches complete now with that error, rather than wait for a timeout,
        // and by the same path as an answer, so that nothing is left behind (a muted
        // partition, chapter 20). Kafka's NetworkClient does so for an unsupported version only:
        // it queues a response that its next poll completes.
        const auto* api = dynamic_cast<const common::errors::ApiException*>(&e);
        const common::requests::ProduceResponse::PartitionResponse failed{
            .error = api ? api->error() : common::protocol::Errors::kUnknownServerError,
            .errorMessage = e.what()};
        for (const auto& [tp, batch] : batchesByPartition) completeBatch(batch, failed);
    }
}
//< ch11 produce-request

//> ch11 handle-produce-response
//> ch11 produce-response-cases
void Sender::handleProduceResponse(
    const ClientResponse& response,
    const std::map<common::TopicPartition, std::shared_ptr<ProducerBatch>>& batches) {
    using common::protocol::Errors;
    using PartitionResponse = common::requests::ProduceResponse::PartitionResponse;
    //> ch25 timed-out-response
    if (response.wasTimedOut()) {
        // Our own timeout closed the connection: the broker may have the records too, but the
        // batch says why it failed, REQUEST_TIMED_OUT, which a callback sees as a
        // TimeoutException (Kafka 3.5+; before, a timeout was a NETWORK_EXCEPTION).
        for (const auto& [tp, batch] : batches)
            completeBatch(batch, PartitionResponse{.error = Errors::kRequestTimedOut,
                                                   .errorMessage = "Disconnected from node " +
                                                                   response.destination() +
                                                                   " due to timeout"});
        return;
    }
    //< ch25 timed-out-response
    if (response.wasDisconnected()) {
        // The broker may or may not have the records. Chapter 23 retries.
        for (const auto& [tp, batch] : batches)
            completeBatch(batch, PartitionResponse{.error = Errors::kNetworkException});
        return;
    }
    const auto produceResponse =
        std::dynamic_pointer_cast<const common::requests::ProduceResponse>(response.responseBody());
    if (!produceResponse) {
        // acks=0: no answer will come. The records were handed to the network, which is all
        // this producer will ever know: they complete without an offset.
        for (const auto& [tp, batch] : batches) completeBatch(batch, PartitionResponse{});
        return;
    }
    for (const auto& [tp, batch] : batches) {
        const auto partition = produceResponse->responses().find(tp);
        if (partition == produceResponse->responses().end()) {
            completeBatch(batch, PartitionResponse{.error = Errors::kUnknownServerError,
                                                   .errorMessage = "The response has no result "
                                                                   "for this partition."});
            continue;
        }
        completeBatch(batch, partition->second);
    }
}
//< ch11 produce-response-cases

void Sender::completeBatch(const std::shared_ptr<ProducerBatch>& batch,
                           const common::requests::ProduceResponse::PartitionResponse& response) {
    using common::protocol::Errors;
    //> ch24
    std::erase(inFlightBatches_[batch->topicPartition()], batch);
    //< ch24
    //> ch20 unmute
    // Retried or done, this partition's batch is no longer in flight: the next may go (a
    // retried batch is at the head of its deque again, so it goes first).
    if (settings_.guaranteeMessageOrder) accumulator_->unmutePartition(batch->topicPartition());
    //< ch20 unmute
    //> ch23 retry-or-complete
    const std::int64_t nowMs = time_->milliseconds();
    // Leadership moved, the topic is unknown, the connection broke: whatever becomes of this
    // batch, the metadata is likely stale, and the next attempt needs fresh metadata.
    if (common::protocol::isInvalidMetadata(response.error)) metadata_->requestUpdate();
    //> ch38 split-too-large
    // Too large for the broker (message.max.bytes), and more than one record: the records go
    // again in smaller batches. Not a retry: no attempt is counted.
    if (response.error == Errors::kMessageTooLarge && batch->recordCount() > 1 &&
        !batch->isDone()) {
        log_.warn(
            "Got error produce response on topic-partition {}, splitting and retrying ({} "
            "attempts left). Error: {}",
            batch->topicPartition().toString(), settings_.retries - batch->attempts(),
            common::protocol::errorName(response.error));
        if (settings_.transactionManager) settings_.transactionManager->removeInFlightBatch(batch);
        accumulator_->splitAndReenqueue(batch);
        accumulator_->deallocate(batch);
        if (settings_.metrics) settings_.metrics->recordBatchSplit(nowMs);
        return;
    }
    //< ch38 split-too-large
    if (response.error != Errors::kNone && canRetry(*batch, response, nowMs)) {
        log_.warn(
            "Got error produce response on topic-partition {}, retrying ({} attempts left). "
            "Error: {}",
            batch->topicPartition().toString(), settings_.retries - batch->attempts() - 1,
            common::protocol::errorName(response.error));
        //> ch25
        if (settings_.metrics) settings_.metrics->recordRetries(batch->recordCount(), nowMs);
        //< ch25
        accumulator_->reenqueue(batch, nowMs);  // its buffer stays with it
        return;
    }
    //< ch23 retry-or-complete
    //> ch36 complete-idempotent
    if (const auto& transactions = settings_.transactionManager) {
        // DUPLICATE_SEQUENCE_NUMBER: the broker stored this batch before, and no longer
        // remembers at which offset. The records are there: a success, without an offset.
        if (response.error == Errors::kDuplicateSequenceNumber)
            return completeBatch(batch, common::requests::ProduceResponse::PartitionResponse{});
        if (response.error == Errors::kNone) {
            transactions->handleCompletedBatch(batch, response);
        } else if (!batch->isDone()) {
            // Failed for good. With retries and time left, the broker refused it: its
            // sequences are free, a gap the epoch bump closes. Out of retries or past its
            // deadline, whether the broker has it is unknown, as for an expired batch: the
            // partition's sequence is unresolved until later answers tell. (Kafka 4.1.1 looks
            // at the retries alone, and may bump and renumber a batch the broker stored.)
            const bool refused =
                batch->attempts() < settings_.retries &&
                !batch->hasReachedDeliveryTimeout(accumulator_->deliveryTimeoutMs(), nowMs);
            transactions->handleFailedBatch(batch, response.error, refused);
            if (!refused && batch->hasSequence()) transactions->markSequenceUnresolved(*batch);
        }
    }
    //< ch36 complete-idempotent
    //> ch11 batch-done-and-deallocated
    const std::exception_ptr error = failure(*batch, response);
    // A batch is done once; only the call that completes it gives its memory back. (From
    // chapter 24 an expired batch's late answer lands here and changes nothing.)
    //> ch25
    // Counted before the futures complete, so that whoever sees the failure sees it counted;
    // a batch already done (expired, then answered late) is not counted again.
    if (error && settings_.metrics && !batch->isDone())
        settings_.metrics->recordErrors(batch->recordCount(), time_->milliseconds());
    //< ch25
    if (!error && !batch->isDone())  // before its futures complete: whoever waits sees it
        log_.debug("The batch of {} record(s) for {} is stored from offset {}",
                   batch->recordCount(), batch->topicPartition().toString(), response.baseOffset);
    //> ch24 deallocate-after-request
    // Expired while this request was out: done already, and its buffer waited for this
    // moment, when the request has ended and nothing reads the bytes any more.
    if (expiredWhileOut_.erase(batch) > 0) return accumulator_->deallocate(batch);
    //< ch24 deallocate-after-request
    if (!batch->done(response.baseOffset, response.logAppendTime, error)) return;
    accumulator_->deallocate(batch);
    //< ch11 batch-done-and-deallocated
}

//> ch11 failure
std::exception_ptr Sender::failure(
    const ProducerBatch& batch,
    const common::requests::ProduceResponse::PartitionResponse& response) {
    if (response.error == common::protocol::Errors::kNone) return nullptr;
    std::string message = "Producing to " + batch.topicPartition().toString() +
                          " failed with error code " +
                          std::to_string(common::protocol::code(response.error)) + " (" +
                          common::protocol::errorName(response.error) + ")";
    if (response.errorMessage) message += ": " + *response.errorMessage;
    /*> ch11-23 failure-as-kafka-exception
    // One exception class for every error, for now: chapter 23 gives each error its own.
    return std::make_exception_ptr(common::errors::KafkaException(message));
    */
    //> ch23 failure-as-api-exception
    // The error's own class (Kafka's error.exception(message)): a callback can tell a
    // retriable failure from a final one by its type.
    return common::protocol::exception(response.error, message);
    //< ch23 failure-as-api-exception
}
//< ch11 failure
//< ch11 handle-produce-response

//> ch23 can-retry
bool Sender::canRetry(const ProducerBatch& batch,
                      const common::requests::ProduceResponse::PartitionResponse& response,
                      std::int64_t nowMs) const {
    /*> ch23-24 no-deadline-yet
    (void)nowMs;  // chapter 24 checks delivery.timeout.ms here
    */
    // A batch that is done (expired while its request was out) is never tried again: its
    // buffer is back in the pool.
    return batch.attempts() < settings_.retries && !batch.isDone() &&
           //> ch24
           !batch.hasReachedDeliveryTimeout(accumulator_->deliveryTimeoutMs(), nowMs) &&
           //< ch24
           /*> ch23-36 retriable-by-class
           common::protocol::isRetriable(response.error);
           */
           //> ch36 retriable-by-sequence
           // The idempotent producer knows more: an out-of-order answer may only mean that an
           // earlier batch is being retried (chapter 36).
           (settings_.transactionManager ? settings_.transactionManager->canRetry(response, batch)
                                         : common::protocol::isRetriable(response.error));
    //< ch36 retriable-by-sequence
}
//< ch23 can-retry

//> ch24 expire-in-flight
std::vector<std::shared_ptr<ProducerBatch>> Sender::expiredInFlightBatches(std::int64_t nowMs) {
    std::vector<std::shared_ptr<ProducerBatch>> expired;
    for (auto& [tp, batches] : inFlightBatches_) {
        // Oldest first, as in the deques: stop at the first one with time left.
        auto firstAlive = batches.begin();
        while (firstAlive != batches.end() &&
               (*firstAlive)->hasReachedDeliveryTimeout(accumulator_->deliveryTimeoutMs(), nowMs))
            expired.push_back(*firstAlive++);
        // The oldest one still alive bounds the Sender's sleep, like the oldest in a deque.
        if (firstAlive != batches.end()) accumulator_->maybeUpdateNextBatchExpiryTime(**firstAlive);
        batches.erase(batches.begin(), firstAlive);
    }
    return expired;
}

void Sender::failExpiredBatch(const std::shared_ptr<ProducerBatch>& batch, std::int64_t nowMs,
                              bool requestOut) {
    const auto error = std::make_exception_ptr(common::errors::TimeoutException(
        "Expiring " + std::to_string(batch->recordCount()) + " record(s) for " +
        batch->topicPartition().toString() + ": " + std::to_string(nowMs - batch->createdMs()) +
        " ms has passed since batch creation"));
    //> ch25
    if (settings_.metrics && !batch->isDone())
        settings_.metrics->recordErrors(batch->recordCount(), nowMs);
    //< ch25
    //> ch36 expire-idempotent
    if (settings_.transactionManager && !batch->isDone()) {
        settings_.transactionManager->handleFailedBatch(
            batch, common::protocol::Errors::kRequestTimedOut, false);
        // Numbered, so perhaps sent: whether the broker has it is unknown until the batches
        // after it are answered.
        if (batch->hasSequence()) settings_.transactionManager->markSequenceUnresolved(*batch);
    }
    //< ch36 expire-idempotent
    if (!batch->done(-1, -1, error)) return;
    // Its callers learn of the timeout now; its buffer may still be lent to a send that a
    // slow socket has not finished (chapter 17). Back in the pool now, it could be a new
    // batch's while the old bytes are written: it goes back when the request ends.
    if (requestOut) {
        expiredWhileOut_.insert(batch);
        return;
    }
    accumulator_->deallocate(batch);
}
//< ch24 expire-in-flight

//> ch36 init-producer-id
bool Sender::maybeSendAndPollTransactionalRequest() {
    auto& transactions = *settings_.transactionManager;
    const std::int64_t nowMs = time_->milliseconds();
    // While the producer id is being asked for, no batch can be numbered: just wait for it.
    if (transactions.hasInFlightRequest()) {
        client_->poll(settings_.retryBackoffMs, nowMs);
        return true;
    }
    if (!transactions.hasPendingInitProducerId()) return false;
    if (nowMs < initProducerIdBackoffUntilMs_) {
        client_->poll(initProducerIdBackoffUntilMs_ - nowMs, nowMs);
        return true;
    }
    // Any broker can hand out an id for an idempotent producer: the least loaded one.
    const auto node = client_->leastLoadedNode(nowMs);
    if (!node) {  // every broker is in its reconnect backoff: wait and look again
        client_->poll(settings_.retryBackoffMs, nowMs);
        return true;
    }
    if (!client_->ready(*node, nowMs)) {  // connecting: poll until it is
        client_->poll(std::min(settings_.retryBackoffMs, client_->connectionDelay(*node, nowMs)),
                      nowMs);
        return true;
    }
    sendInitProducerIdRequest(*node, nowMs);
    client_->poll(settings_.retryBackoffMs, nowMs);
    return true;
}

void Sender::sendInitProducerIdRequest(const common::Node& node, std::int64_t nowMs) {
    ClientRequest request;
    request.destination = std::to_string(node.id());
    request.request = std::make_shared<common::requests::InitProducerIdRequest>();
    request.createdTimeMs = nowMs;
    request.expectResponse = true;
    request.requestTimeoutMs = settings_.requestTimeoutMs;
    request.callback = [this](const ClientResponse& response) {
        handleInitProducerIdResponse(response);
    };
    log_.debug("Sending InitProducerId to node {}", node.id());
    settings_.transactionManager->setInitProducerIdInFlight(true);
    try {
        client_->send(std::move(request), nowMs);
    } catch (const std::exception&) {
        // The broker speaks no InitProducerId version we know: it cannot serve this producer.
        settings_.transactionManager->setInitProducerIdInFlight(false);
        settings_.transactionManager->transitionToFatalError(std::current_exception());
    }
}

void Sender::handleInitProducerIdResponse(const ClientResponse& response) {
    using common::protocol::Errors;
    auto& transactions = *settings_.transactionManager;
    const auto answer = std::dynamic_pointer_cast<const common::requests::InitProducerIdResponse>(
        response.responseBody());
    // No answer (a broken connection, a timeout) is retriable like any network error.
    const Errors error = answer ? answer->error() : Errors::kNetworkException;
    const common::utils::ProducerIdAndEpoch id =
        answer ? common::utils::ProducerIdAndEpoch{answer->producerId(), answer->producerEpoch()}
               : common::utils::ProducerIdAndEpoch{};
    using Outcome = TransactionManager::InitProducerIdOutcome;
    const Outcome outcome = transactions.handleInitProducerIdResponse(error, id);
    if (outcome == Outcome::kDone) return;
    log_.warn("InitProducerId failed with {}; asking again in {} ms",
              common::protocol::errorName(error), settings_.retryBackoffMs);
    initProducerIdBackoffUntilMs_ = time_->milliseconds() + settings_.retryBackoffMs;
    if (outcome == Outcome::kFailBatches)
        maybeAbortBatches(common::protocol::exception(
            error, "InitProducerId failed with " + common::protocol::errorName(error)));
}

void Sender::maybeAbortBatches(const std::exception_ptr& error) {
    if (!accumulator_->hasIncomplete()) return;
    log_.error("Aborting producer batches due to fatal error");
    accumulator_->abortBatches(error);
}
//< ch36 init-producer-id

void Sender::wakeup() {
    client_->wakeup();
}

void Sender::initiateClose() {
    // The accumulator first, so that no append can slip in after the last loop.
    accumulator_->close();
    running_ = false;
    wakeup();
}

void Sender::forceClose() {
    forceClose_ = true;
    initiateClose();
}

bool Sender::isRunning() const {
    return running_;
}

std::int64_t Sender::loopCount() const {
    return loops_;
}

bool Sender::awaitTermination(std::int64_t timeoutMs) {
    std::unique_lock lock(terminationMutex_);
    return terminated_.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                [this] { return hasTerminated_; });
}
//< ch11

}  // namespace kafka::clients::producer::internals
