//@ ch14
#include "kafka/common/requests/MetadataRequest.h"

namespace kafka::common::requests {

void MetadataRequest::write(protocol::Writable& out, std::int16_t version) const {
    if (!topics_) {
        out.writeArrayLength(-1);  // null: every topic (v1+)
    } else {
        out.writeArrayLength(static_cast<std::int32_t>(topics_->size()));
        for (const auto& topic : *topics_) out.writeString(topic);
    }
    if (version >= 4) out.writeBoolean(allowAutoTopicCreation_);
    if (version >= 8) {
        out.writeBoolean(false);  // include_cluster_authorized_operations
        out.writeBoolean(false);  // include_topic_authorized_operations
    }
}

}  // namespace kafka::common::requests
