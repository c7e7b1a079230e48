//@ ch32
#pragma once

// A log read back as a consumer reads it: fetch, step past the last offset received, fetch
// again, every batch's CRC checked on the way.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "kafka/common/record/MemoryRecords.h"
#include "kafka/log/Log.h"

namespace kafka::test {

/// Every record of `log` from `offset` on, as {offset, value}.
inline std::vector<std::pair<std::int64_t, std::string>> readRecords(const log::Log& log,
                                                                     std::int64_t offset) {
    std::vector<std::pair<std::int64_t, std::string>> records;
    while (offset < log.logEndOffset()) {
        const auto read = log.read(offset, 1 << 20, true);
        if (read.records.empty()) break;
        for (const auto& batch :
             common::record::MemoryRecords::readableRecords(read.records).batches()) {
            batch.ensureValid();
            for (const auto& record : batch.records())
                if (record.offset() >= offset)
                    records.emplace_back(record.offset(), std::string(record.value()->begin(),
                                                                      record.value()->end()));
            offset = batch.lastOffset() + 1;
        }
    }
    return records;
}

}  // namespace kafka::test
