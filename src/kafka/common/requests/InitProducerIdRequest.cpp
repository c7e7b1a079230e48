//@ ch36
#include "kafka/common/requests/InitProducerIdRequest.h"

namespace kafka::common::requests {

void InitProducerIdRequest::write(protocol::Writable& out, std::int16_t /*version*/) const {
    out.writeNullableString(transactionalId_);
    out.writeInt32(transactionTimeoutMs_);
}

std::shared_ptr<const InitProducerIdRequest> InitProducerIdRequest::parse(protocol::Readable& in,
                                                                          std::int16_t) {
    auto transactionalId = in.readNullableString("transactional_id");
    const std::int32_t transactionTimeoutMs = in.readInt32();
    return std::make_shared<const InitProducerIdRequest>(std::move(transactionalId),
                                                         transactionTimeoutMs);
}

}  // namespace kafka::common::requests
