//@ ch14
#include <string>

#include "kafka/common/requests/AbstractRequest.h"
//> ch16
#include "kafka/common/requests/ApiVersionsResponse.h"
//< ch16
//> ch36
#include "kafka/common/requests/InitProducerIdResponse.h"
//< ch36
#include "kafka/common/requests/MetadataResponse.h"
#include "kafka/common/requests/ProduceResponse.h"

namespace kafka::common::requests {

std::shared_ptr<const AbstractResponse> AbstractResponse::parse(protocol::ApiKeys api,
                                                                protocol::Readable& in,
                                                                std::int16_t version) {
    switch (api) {
        case protocol::ApiKeys::kProduce:
            return ProduceResponse::parse(in, version);
        case protocol::ApiKeys::kMetadata:
            return MetadataResponse::parse(in, version);
        //> ch16
        case protocol::ApiKeys::kApiVersions:
            return ApiVersionsResponse::parse(in, version);
        //< ch16
        //> ch36
        case protocol::ApiKeys::kInitProducerId:
            return InitProducerIdResponse::parse(in, version);
        //< ch36
        default:
            break;
    }
    throw errors::SchemaException("No parser for responses to " + protocol::name(api));
}

}  // namespace kafka::common::requests
