//@ ch36
#include "kafka/common/requests/InitProducerIdResponse.h"

namespace kafka::common::requests {

void InitProducerIdResponse::write(protocol::Writable& out, std::int16_t /*version*/) const {
    out.writeInt32(throttleTimeMs_);
    out.writeInt16(protocol::code(error_));
    out.writeInt64(producerId_);
    out.writeInt16(producerEpoch_);
}

std::shared_ptr<const InitProducerIdResponse> InitProducerIdResponse::parse(protocol::Readable& in,
                                                                            std::int16_t) {
    const std::int32_t throttleTimeMs = in.readInt32();
    const auto error = static_cast<protocol::Errors>(in.readInt16());
    const std::int64_t producerId = in.readInt64();
    const std::int16_t producerEpoch = in.readInt16();
    return std::make_shared<const InitProducerIdResponse>(error, producerId, producerEpoch,
                                                          throttleTimeMs);
}

}  // namespace kafka::common::requests
