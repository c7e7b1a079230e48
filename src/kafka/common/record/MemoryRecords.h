//@ ch07
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "kafka/common/record/DefaultRecordBatch.h"

namespace kafka::common::record {

/// A buffer of zero or more record batches, back to back: what a produce request carries for
/// one partition and what a fetch returns (Kafka's MemoryRecords). A view: the bytes belong
/// to the caller and must outlive it and the batches it hands out.
class MemoryRecords {
public:
    /// Kafka's factory name: records to read, as opposed to a builder's records to write.
    static MemoryRecords readableRecords(std::span<const std::uint8_t> bytes) {
        return MemoryRecords(bytes);
    }

    explicit MemoryRecords(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    /// Splits the buffer into batches by their baseOffset and batchLength fields. Throws
    /// CorruptRecordException if a batch is cut short, if its batchLength points past the
    /// end, or if DefaultRecordBatch refuses it (too short, wrong magic). An empty buffer
    /// holds no batch. CRCs are not checked here: call ensureValid() on each batch.
    ///
    /// Stricter than Kafka's consumer, which ignores a partial batch at the end of a fetch
    /// (the broker may cut a fetch response in the middle of a batch); a produce request
    /// must never carry one, and that is what we read.
    std::vector<DefaultRecordBatch> batches() const;

    std::span<const std::uint8_t> buffer() const { return bytes_; }
    int sizeInBytes() const { return static_cast<int>(bytes_.size()); }

private:
    std::span<const std::uint8_t> bytes_;
};

}  // namespace kafka::common::record
