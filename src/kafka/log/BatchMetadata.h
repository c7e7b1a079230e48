//@ ch37
#pragma once

#include <cstdint>

#include "kafka/common/record/DefaultRecordBatch.h"

namespace kafka::log {

/// What a broker remembers of one batch a producer appended (Kafka's BatchMetadata): enough to
/// recognise the batch if it comes again, and to answer it with the offsets it got the first
/// time. The first sequence and offset follow from the last ones and the batch's length.
struct BatchMetadata {
    std::int32_t lastSeq = -1;
    std::int64_t lastOffset = -1;
    std::int32_t offsetDelta = 0;  // lastOffset - firstOffset (and lastSeq - firstSeq)
    std::int64_t timestamp = -1;   // the batch's max timestamp

    std::int32_t firstSeq() const {
        return common::record::DefaultRecordBatch::decrementSequence(lastSeq, offsetDelta);
    }
    std::int64_t firstOffset() const { return lastOffset - offsetDelta; }
};

}  // namespace kafka::log
