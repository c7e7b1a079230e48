//@ ch30
#include "kafka/server/KafkaApis.h"

#include <algorithm>
#include <tuple>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/errors/Exceptions.h"
#include "kafka/common/protocol/ApiKeys.h"
#include "kafka/common/protocol/Errors.h"
#include "kafka/common/record/CorruptRecordException.h"
#include "kafka/common/requests/ApiVersionsResponse.h"
#include "kafka/common/requests/FetchRequest.h"
#include "kafka/common/requests/FetchResponse.h"
//> ch36
#include "kafka/common/requests/InitProducerIdRequest.h"
#include "kafka/common/requests/InitProducerIdResponse.h"
//< ch36
#include "kafka/common/requests/ListOffsetsRequest.h"
#include "kafka/common/requests/ListOffsetsResponse.h"
#include "kafka/common/requests/MetadataRequest.h"
#include "kafka/common/requests/MetadataResponse.h"
#include "kafka/common/requests/ProduceRequest.h"
#include "kafka/common/requests/ProduceResponse.h"
#include "kafka/common/requests/ResponseHeader.h"
#include "kafka/server/DelayedFetch.h"
//> ch38
#include "kafka/common/record/CompressionType.h"
#include "kafka/common/record/DefaultRecordBatch.h"
//< ch38

namespace kafka::server {

using common::TopicPartition;
using common::protocol::ApiKeys;
using common::protocol::Errors;
using common::protocol::Readable;
using common::protocol::Writable;
namespace requests = common::requests;

namespace {

//> ch38
// Whether `records` start with a record batch v2 whose attributes name zstd.
bool isZstdBatch(std::span<const std::uint8_t> records) {
    using common::record::DefaultRecordBatch;
    if (records.size() < DefaultRecordBatch::kRecordBatchOverhead ||
        records[DefaultRecordBatch::kMagicOffset] != DefaultRecordBatch::kMagic)
        return false;
    const int attributes = records[DefaultRecordBatch::kAttributesOffset + 1];  // the low byte
    return common::record::compressionTypeForId(attributes &
                                                DefaultRecordBatch::kCompressionCodecMask) ==
           common::record::CompressionType::kZstd;
}
//< ch38

//> ch30 broker-versions
// The versions this broker serves: those our code speaks (ApiKeys.h), and Metadata v0 too.
// kafka-python's version probe sends a Metadata v0 right behind its ApiVersions request, and
// a broker that closes the connection on it can lose the ApiVersions answer with it. Kafka
// 4.x still serves Metadata v0.
common::protocol::VersionRange brokerVersions(ApiKeys api) {
    auto versions = common::protocol::supportedVersions(api);
    if (api == ApiKeys::kMetadata) versions.min = 0;
    return versions;
}
//< ch30 broker-versions

//> ch38 listed-versions
// The versions ApiVersions lists: those served, and Produce from v0 although v0 to v2 are
// refused, as Kafka 4.0 lists them (KAFKA-18659). librdkafka before 2.11.1 takes gzip and
// snappy for supported only by a broker that lists Produce v0, where they arrived, and sends
// them uncompressed otherwise (its issue #4956). It then uses the highest version both know.
common::protocol::VersionRange listedVersions(ApiKeys api) {
    auto versions = brokerVersions(api);
    if (api == ApiKeys::kProduce) versions.min = 0;
    return versions;
}
//< ch38 listed-versions

// The APIs this broker serves, in the order ApiVersions lists them.
std::vector<ApiKeys> servedApis() {
    std::vector<ApiKeys> apis{ApiKeys::kProduce, ApiKeys::kFetch, ApiKeys::kListOffsets,
                              ApiKeys::kMetadata, ApiKeys::kApiVersions};
    //> ch36
    apis.push_back(ApiKeys::kInitProducerId);  // the idempotent producer's id (chapter 36)
    //< ch36
    return apis;
}

// The error Kafka answers for an exception thrown while appending or reading (Kafka's
// Errors.forException): an ApiException knows its error; anything else is unexpected.
Errors errorFor(const std::exception& e) {
    if (const auto* api = dynamic_cast<const common::errors::ApiException*>(&e))
        return api->error();
    return Errors::kUnknownServerError;
}

// The local address of the connection the request came on ("localIp:localPort-remote..."):
// an address the client can certainly reach, for a broker listening on every interface.
std::string localHostOf(const std::string& connectionId) {
    const auto dash = connectionId.find('-');
    const std::string local = connectionId.substr(0, dash);
    return local.substr(0, local.rfind(':'));
}

}  // namespace

KafkaApis::KafkaApis(Settings settings) : settings_(std::move(settings)) {}

KafkaApis::~KafkaApis() {
    shutdown();
}

void KafkaApis::shutdown() {
    fetchPurgatory_.shutdown();
}

//> ch30 handle
void KafkaApis::handle(const std::shared_ptr<const Request>& request) {
    const auto& header = request->header;
    try {
        const auto versions = brokerVersions(header.apiKey);
        if (header.apiKey == ApiKeys::kApiVersions) return handleApiVersionsRequest(request);
        if (header.apiVersion < versions.min || header.apiVersion > versions.max)
            throw common::errors::UnsupportedVersionException(
                common::protocol::name(header.apiKey) + " v" + std::to_string(header.apiVersion) +
                " is not supported (this broker speaks v" + std::to_string(versions.min) + " to v" +
                std::to_string(versions.max) + ")");
        switch (header.apiKey) {
            case ApiKeys::kMetadata:
                return handleMetadataRequest(request);
            case ApiKeys::kProduce:
                return handleProduceRequest(request);
            case ApiKeys::kListOffsets:
                return handleListOffsetsRequest(request);
            case ApiKeys::kFetch:
                return handleFetchRequest(request);
            //> ch36
            case ApiKeys::kInitProducerId:
                return handleInitProducerIdRequest(request);
            //< ch36
            case ApiKeys::kApiVersions:
                break;
        }
        throw common::errors::InvalidRequestException("No handler for " +
                                                      common::protocol::name(header.apiKey));
    } catch (const std::exception& e) {
        // A body that does not parse, a version we do not speak: there is no telling what the
        // client would make of an answer, so, as Kafka does, close its connection.
        log_.warn("Error handling {} v{} (correlation id {}) from connection {}: {}",
                  common::protocol::name(header.apiKey), header.apiVersion, header.correlationId,
                  request->connectionId, e.what());
        closeConnection(request);
    }
}
//< ch30 handle

template <typename Response>
void KafkaApis::sendResponse(const std::shared_ptr<const Request>& request,
                             const Response& response) {
    network::RequestChannel::Response out{request,
                                          network::RequestChannel::Response::Action::kSend};
    Writable writable(out.frame);
    requests::ResponseHeader{request->header.correlationId}.write(writable);
    response.write(writable, request->header.apiVersion);
    settings_.requestChannel->sendResponse(std::move(out));
}

void KafkaApis::sendNoOpResponse(const std::shared_ptr<const Request>& request) {
    settings_.requestChannel->sendResponse(
        {request, network::RequestChannel::Response::Action::kNoOp});
}

void KafkaApis::closeConnection(const std::shared_ptr<const Request>& request) {
    settings_.requestChannel->sendResponse(
        {request, network::RequestChannel::Response::Action::kClose});
}

//> ch30 api-versions
void KafkaApis::handleApiVersionsRequest(const std::shared_ptr<const Request>& request) {
    std::vector<requests::ApiVersionsResponse::ApiVersion> apis;
    for (const auto api : servedApis()) {
        /*> ch30-38 listed-as-served
        const auto versions = brokerVersions(api);
        */
        //> ch38
        const auto versions = listedVersions(api);
        //< ch38
        apis.push_back({static_cast<std::int16_t>(api), versions.min, versions.max});
    }
    const auto supported = common::protocol::supportedVersions(ApiKeys::kApiVersions);
    if (request->header.apiVersion > supported.max) {
        // A newer client (librdkafka starts with v3, Java clients with v3 or v4): answer in v0,
        // which every client reads, with UNSUPPORTED_VERSION and our range; it asks again in v2.
        network::RequestChannel::Response out{request,
                                              network::RequestChannel::Response::Action::kSend};
        Writable writable(out.frame);
        requests::ResponseHeader{request->header.correlationId}.write(writable);
        requests::ApiVersionsResponse(Errors::kUnsupportedVersion, apis).write(writable, 0);
        settings_.requestChannel->sendResponse(std::move(out));
        return;
    }
    sendResponse(request, requests::ApiVersionsResponse(Errors::kNone, std::move(apis)));
}
//< ch30 api-versions

//> ch30 metadata
void KafkaApis::handleMetadataRequest(const std::shared_ptr<const Request>& request) {
    Readable in(request->body(), "Metadata request");
    const auto metadata = requests::MetadataRequest::parse(in, request->header.apiVersion);
    const KafkaConfig& config = settings_.config;
    const std::int32_t brokerId = config.brokerId();
    // A listener on every interface ("", "0.0.0.0", "::") has no address a client could use:
    // the broker gives the one this client reached it on (Kafka refuses to advertise those).
    const bool everyInterface =
        config.host().empty() || config.host() == "0.0.0.0" || config.host() == "::";
    std::string host = everyInterface ? localHostOf(request->connectionId) : config.host();
    int port = settings_.port;
    // Clients that reach this broker by another address (advertised.listeners) are told that.
    if (const auto& advertised = config.advertisedListener()) std::tie(host, port) = *advertised;

    std::vector<std::string> names;
    if (metadata->topics())
        names = *metadata->topics();
    else
        for (const auto& [topic, partitions] : settings_.logManager->topics())
            names.push_back(topic);

    std::vector<requests::MetadataResponse::TopicMetadata> topics;
    for (const auto& name : names) {
        requests::MetadataResponse::TopicMetadata topic;
        topic.name = name;
        std::int32_t partitions = settings_.logManager->partitionCount(name);
        if (partitions == 0 && !log::LogManager::isValidTopicName(name)) {
            topic.error = Errors::kInvalidTopicException;
        } else if (partitions == 0 && config.autoCreateTopicsEnable() &&
                   metadata->allowAutoTopicCreation()) {
            // Kafka creates the topic in the background and answers LEADER_NOT_AVAILABLE
            // until it exists; with one broker and logs in memory it exists at once.
            partitions = settings_.logManager->createTopic(name, config.numPartitions());
        } else if (partitions == 0) {
            topic.error = Errors::kUnknownTopicOrPartition;
        }
        for (std::int32_t p = 0; p < partitions; ++p)
            topic.partitions.push_back({Errors::kNone, p, brokerId, 0, {brokerId}, {brokerId}, {}});
        topics.push_back(std::move(topic));
    }
    sendResponse(request,
                 requests::MetadataResponse({common::Node(brokerId, host, port)},
                                            std::string(kClusterId), brokerId, std::move(topics)));
}
//< ch30 metadata

//> ch30 produce
void KafkaApis::handleProduceRequest(const std::shared_ptr<const Request>& request) {
    Readable in(request->body(), "Produce request");
    const auto produce = requests::ProduceRequest::parse(in, request->header.apiVersion);
    /*> ch30-31 produce-append
    const bool validAcks = produce->acks() == 0 || produce->acks() == 1 || produce->acks() == -1;

    std::map<TopicPartition, requests::ProduceResponse::PartitionResponse> responses;
    for (const auto& [tp, records] : produce->partitionRecords()) {
        requests::ProduceResponse::PartitionResponse response;
        if (!validAcks) {
            response.error = Errors::kInvalidRequiredAcks;
        } else if (const auto log = settings_.logManager->getLog(tp); !log) {
            response.error = Errors::kUnknownTopicOrPartition;
        } else {
            try {
                response.baseOffset = log->append(records).firstOffset;
            } catch (const std::exception& e) {
                response.error = errorFor(e);
                response.errorMessage = e.what();
            }
        }
        responses.insert_or_assign(tp, std::move(response));
    }
    */
    /*> ch31-38 produce-through-replica-manager
    auto responses =
        settings_.replicaManager->appendRecords(produce->acks(), produce->partitionRecords());
    */
    //> ch38 produce-zstd-needs-v7
    // zstd came with Produce v7 (Kafka 2.1, KIP-110): a client that sends a zstd batch in an
    // older request cannot know that the broker reads it. Kafka refuses that partition
    // (ProduceRequest.validateRecords) and appends the others.
    auto partitionRecords = produce->partitionRecords();
    std::map<TopicPartition, requests::ProduceResponse::PartitionResponse> refused;
    if (request->header.apiVersion < 7)
        std::erase_if(partitionRecords, [&](const auto& entry) {
            if (!isZstdBatch(entry.second)) return false;
            refused[entry.first].error = Errors::kUnsupportedCompressionType;
            return true;
        });
    auto responses = settings_.replicaManager->appendRecords(produce->acks(), partitionRecords);
    responses.merge(refused);
    //< ch38 produce-zstd-needs-v7
    const bool anyError = std::any_of(responses.begin(), responses.end(), [](const auto& entry) {
        return entry.second.error != Errors::kNone;
    });
    // Consumers waiting at the end of these logs: only the fetches watching them are tried.
    for (const auto& [tp, response] : responses)
        if (response.error == Errors::kNone) fetchPurgatory_.checkAndComplete(tp);

    if (produce->acks() == 0) {
        // No response at all. An error can only be told by closing the connection: the
        // producer notices a disconnect and refreshes its metadata.
        if (anyError)
            closeConnection(request);
        else
            sendNoOpResponse(request);
        return;
    }
    // One broker is the whole in-sync replica set: acks=all is satisfied as soon as acks=1.
    sendResponse(request, requests::ProduceResponse(std::move(responses)));
}
//< ch30 produce

void KafkaApis::handleListOffsetsRequest(const std::shared_ptr<const Request>& request) {
    Readable in(request->body(), "ListOffsets request");
    const auto listOffsets = requests::ListOffsetsRequest::parse(in, request->header.apiVersion);
    std::map<TopicPartition, requests::ListOffsetsResponse::PartitionData> partitions;
    for (const auto& [tp, asked] : listOffsets->partitions()) {
        requests::ListOffsetsResponse::PartitionData data;
        if (const auto log = settings_.logManager->getLog(tp); !log) {
            data.error = Errors::kUnknownTopicOrPartition;
        } else if (asked.timestamp == requests::ListOffsetsRequest::kEarliestTimestamp) {
            data.offset = log->logStartOffset();
        } else if (asked.timestamp == requests::ListOffsetsRequest::kLatestTimestamp) {
            data.offset = log->logEndOffset();
        } else {
            std::tie(data.offset, data.timestamp) = log->offsetForTimestamp(asked.timestamp);
        }
        if (data.error == Errors::kNone) data.leaderEpoch = 0;
        partitions.insert_or_assign(tp, data);
    }
    sendResponse(request, requests::ListOffsetsResponse(std::move(partitions)));
}

//> ch30 fetch
//> ch30 fetch-handler
void KafkaApis::handleFetchRequest(const std::shared_ptr<const Request>& request) {
    Readable in(request->body(), "Fetch request");
    const std::shared_ptr<const requests::FetchRequest> fetch =
        requests::FetchRequest::parse(in, request->header.apiVersion);
    // The broker's fetch.max.bytes caps what a request may ask for (Kafka's KafkaApis).
    const std::int32_t maxBytes = std::min(fetch->maxBytes(), settings_.config.fetchMaxBytes());
    const std::int32_t minBytes = std::min(fetch->minBytes(), maxBytes);

    // Answer at once when the client would not wait, when there is enough, or an error: an
    // error is news the consumer should have now; an empty log is not.
    auto result = readFromLog(*fetch, maxBytes);
    if (fetch->maxWaitMs() <= 0 || fetch->partitions().empty() || result.bytes >= minBytes ||
        result.anyError) {
        sendResponse(request, requests::FetchResponse(std::move(result.partitions)));
        return;
    }
    // Too little: wait in the purgatory, watched under each partition, and read again then.
    std::map<TopicPartition, DelayedFetch::PartitionStatus> statuses;
    std::vector<TopicPartition> keys;
    for (const auto& [tp, asked] : fetch->partitions()) {
        statuses[tp] = {asked.fetchOffset, std::min(asked.partitionMaxBytes, maxBytes)};
        keys.push_back(tp);
    }
    auto respond = [this, request, fetch, maxBytes] {
        try {
            sendResponse(request,
                         requests::FetchResponse(readFromLog(*fetch, maxBytes).partitions));
        } catch (const std::exception& e) {
            // No answer can be built (no memory for it): the consumer must not wait on a
            // muted connection for ever.
            log_.error("Closing connection {}: its fetch cannot be answered: {}",
                       request->connectionId, e.what());
            closeConnection(request);
        }
    };
    fetchPurgatory_.tryCompleteElseWatch(
        std::make_shared<DelayedFetch>(fetch->maxWaitMs(), minBytes, std::move(statuses),
                                       settings_.logManager, std::move(respond)),
        keys);
}
//< ch30 fetch-handler

//> ch30 read-from-log
// Reads each partition in turn. max_bytes bounds the whole response: each partition gets
// what is left of it, at most its own partition_max_bytes; only the first partition that
// finds data may return a batch larger than that (KIP-74), so a consumer is never stuck.
KafkaApis::LogReadResult KafkaApis::readFromLog(const requests::FetchRequest& fetch,
                                                std::int32_t maxBytes) const {
    LogReadResult result;
    std::int64_t limitBytes = maxBytes;  // may be negative: each read then refuses it
    bool minOneMessage = true;
    for (const auto& [tp, asked] : fetch.partitions()) {
        requests::FetchResponse::PartitionData data;
        if (const auto log = settings_.logManager->getLog(tp); !log) {
            data.error = Errors::kUnknownTopicOrPartition;
        } else {
            data.highWatermark = log->logEndOffset();
            data.logStartOffset = log->logStartOffset();
            try {
                const auto adjusted = static_cast<std::int32_t>(
                    std::min<std::int64_t>(asked.partitionMaxBytes, limitBytes));
                auto found = log->read(asked.fetchOffset, adjusted, minOneMessage);
                data.highWatermark = found.highWatermark;
                data.records = std::move(found.records);
            } catch (const std::exception& e) {
                log_.debug("Error reading {} from offset {}: {}", tp.toString(), asked.fetchOffset,
                           e.what());
                data.error = errorFor(e);
            }
        }
        const auto size = static_cast<std::int64_t>(data.records.size());
        if (size > 0) minOneMessage = false;
        limitBytes = std::max<std::int64_t>(0, limitBytes - size);
        result.bytes += size;
        result.anyError = result.anyError || data.error != Errors::kNone;
        result.partitions.insert_or_assign(tp, std::move(data));
    }
    return result;
}
//< ch30 read-from-log
//< ch30 fetch

//> ch36 init-producer-id
void KafkaApis::handleInitProducerIdRequest(const std::shared_ptr<const Request>& request) {
    Readable in(request->body(), "InitProducerId request");
    const auto init = requests::InitProducerIdRequest::parse(in, request->header.apiVersion);
    if (init->transactionalId()) {
        // A transactional producer needs a transaction coordinator, which this broker is not.
        log_.warn(
            "Refusing InitProducerId for transactional id '{}': this broker does not "
            "support transactions",
            *init->transactionalId());
        return sendResponse(request,
                            requests::InitProducerIdResponse(Errors::kInvalidRequest, -1, -1));
    }
    // An idempotent producer: a fresh id, at epoch 0. (Kafka's TransactionCoordinator does the
    // same for a null transactional id, from its ProducerIdManager.)
    const std::int64_t producerId = producerIdManager_.generateProducerId();
    log_.info("Handing out producer id {} to {}", producerId,
              request->header.clientId.value_or(""));
    sendResponse(request, requests::InitProducerIdResponse(Errors::kNone, producerId, 0));
}
//< ch36 init-producer-id

}  // namespace kafka::server
