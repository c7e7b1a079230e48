// Chapter 1 demo: the producer's public API in one page, before any of it sends anything.
// A record is made, its key and value become bytes, and a callback learns the record's fate.
#include <cstdio>
#include <iostream>

#include "kafka/clients/producer/Callback.h"
#include "kafka/clients/producer/ProducerRecord.h"
#include "kafka/common/serialization/IntegerSerializer.h"
#include "kafka/common/serialization/StringSerializer.h"

using namespace kafka::clients::producer;
using namespace kafka::common;

namespace {

void printBytes(const char* what, const std::optional<utils::Bytes>& bytes) {
    std::printf("  %-6s", what);
    if (!bytes) {
        std::printf(" null\n");
        return;
    }
    for (auto b : *bytes) std::printf(" %02x", b);
    std::printf("   (%zu bytes)\n", bytes->size());
}

}  // namespace

int main() {
    const ProducerRecord<std::int32_t, std::string> record("orders", 42, std::string("espresso"));
    std::cout << "A record for topic '" << record.topic() << "', no partition chosen yet, "
              << "no timestamp yet.\n\nWhat the serializers make of it:\n";
    serialization::IntegerSerializer keySerializer;
    serialization::StringSerializer valueSerializer;
    printBytes("key", keySerializer.serialize(record.topic(), record.key()));
    printBytes("value", valueSerializer.serialize(record.topic(), record.value()));

    std::cout << "\nWhat a callback hears once the broker has answered:\n";
    const Callback callback = [](const RecordMetadata& metadata, std::exception_ptr error) {
        if (error) {
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                std::cout << "  failed: " << e.what() << "\n";
            }
            return;
        }
        std::cout << "  stored in " << metadata.topic() << "-" << metadata.partition()
                  << " at offset " << metadata.offset() << "\n";
    };
    // The broker says: the batch starts at offset 1000; our record is the batch's third.
    callback(RecordMetadata({"orders", 1}, 1000, 2, 1700000000000, 4, 8), nullptr);
    callback(RecordMetadata({"orders", 1}, -1, 0, -1, 4, 8),
             std::make_exception_ptr(errors::TimeoutException(
                 "Expiring 1 record(s) for orders-1: 120000 ms has passed since batch creation")));

    std::cout << "\nA record without a topic never gets this far:\n";
    try {
        ProducerRecord<std::int32_t, std::string>("", std::string("lost"));
    } catch (const std::exception& e) {
        std::cout << "  " << e.what() << "\n";
    }
    return 0;
}
