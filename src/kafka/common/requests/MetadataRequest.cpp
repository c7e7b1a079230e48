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

//> ch30
std::shared_ptr<const MetadataRequest> MetadataRequest::parse(protocol::Readable& in,
                                                              std::int16_t version) {
    std::optional<std::vector<std::string>> topics;
    if (const auto count = in.readNullableArrayLength("topics", 2)) {
        topics.emplace();
        for (std::int32_t i = 0; i < *count; ++i) topics->push_back(in.readString("topic name"));
    }
    // Version 0 had no null: an empty list asked for every topic.
    if (version == 0 && topics && topics->empty()) topics.reset();
    bool allowAutoTopicCreation = true;
    if (version >= 4) allowAutoTopicCreation = in.readBoolean();
    if (version >= 8) {
        in.readBoolean();  // include_cluster_authorized_operations: no ACLs here
        in.readBoolean();  // include_topic_authorized_operations
    }
    return std::make_shared<const MetadataRequest>(std::move(topics), allowAutoTopicCreation);
}
//< ch30

}  // namespace kafka::common::requests
