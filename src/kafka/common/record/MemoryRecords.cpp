//@ ch07
#include "kafka/common/record/MemoryRecords.h"

#include <string>

#include "kafka/common/record/CorruptRecordException.h"
#include "kafka/common/utils/ByteUtils.h"

namespace kafka::common::record {

//> ch07 split-batches
std::vector<DefaultRecordBatch> MemoryRecords::batches() const {
    constexpr auto kLogOverhead = DefaultRecordBatch::kLogOverhead;
    std::vector<DefaultRecordBatch> batches;
    std::size_t position = 0;
    while (position < bytes_.size()) {
        const std::size_t remaining = bytes_.size() - position;
        // Every format starts with baseOffset (8 bytes) and a length (4 bytes): enough to
        // find where this batch ends before knowing anything else about it.
        if (remaining < kLogOverhead)
            throw CorruptRecordException(
                "Record batch at position " + std::to_string(position) +
                " is truncated: " + std::to_string(remaining) + " bytes left, fewer than the " +
                std::to_string(kLogOverhead) + " bytes of its baseOffset and batchLength");
        const auto batchLength = utils::ByteUtils::readBigEndian<std::int32_t>(
            bytes_, position + DefaultRecordBatch::kLengthOffset);
        if (batchLength < 0)
            throw CorruptRecordException("Record batch at position " + std::to_string(position) +
                                         " has a negative batchLength " +
                                         std::to_string(batchLength));
        if (static_cast<std::size_t>(batchLength) > remaining - kLogOverhead)
            throw CorruptRecordException("Record batch at position " + std::to_string(position) +
                                         " is truncated: its batchLength says " +
                                         std::to_string(batchLength) +
                                         " bytes follow the length field, but only " +
                                         std::to_string(remaining - kLogOverhead) + " do");
        const std::size_t size = kLogOverhead + static_cast<std::size_t>(batchLength);
        batches.emplace_back(bytes_.subspan(position, size));  // checks size and magic
        position += size;
    }
    return batches;
}
//< ch07 split-batches

}  // namespace kafka::common::record
