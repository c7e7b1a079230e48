//@ ch32
#pragma once

// A log read back as a consumer reads it: fetch, step past the last offset received, fetch
// again, every batch's CRC checked on the way.

#include <cstdint>
//> ch38
#include <optional>
//< ch38
#include <string>
#include <utility>
#include <vector>

#include "kafka/common/record/MemoryRecords.h"
#include "kafka/log/Log.h"

namespace kafka::test {

/// Calls `visit(batch, record)` for every record of `log` from `offset` on, as a consumer reads
/// them: each batch's CRC checked, its records decompressed (from chapter 38).
template <class Visit>
void forEachRecord(const log::Log& log, std::int64_t offset, Visit visit) {
    while (offset < log.logEndOffset()) {
        const auto read = log.read(offset, 1 << 20, true);
        if (read.records.empty()) break;
        for (const auto& batch :
             common::record::MemoryRecords::readableRecords(read.records).batches()) {
            batch.ensureValid();
            for (const auto& record : batch.records())
                if (record.offset() >= offset) visit(batch, record);
            offset = batch.lastOffset() + 1;
        }
    }
}

/// Every record of `log` from `offset` on, as {offset, value}.
inline std::vector<std::pair<std::int64_t, std::string>> readRecords(const log::Log& log,
                                                                     std::int64_t offset) {
    std::vector<std::pair<std::int64_t, std::string>> records;
    forEachRecord(log, offset, [&](const auto&, const auto& record) {
        records.emplace_back(record.offset(),
                             std::string(record.value()->begin(), record.value()->end()));
    });
    return records;
}

//> ch38 stored-records
/// One record as a log keeps it: its offset, key ("-" for none), value, and the codec of the
/// batch that holds it.
struct StoredRecord {
    std::int64_t offset;
    std::string key;
    std::string value;
    int codec;
};

/// Every record of `log`, each batch's CRC checked and its records decompressed.
inline std::vector<StoredRecord> readStoredRecords(const log::Log& log) {
    std::vector<StoredRecord> records;
    auto text = [](const std::optional<common::utils::Bytes>& bytes) {
        return bytes ? std::string(bytes->begin(), bytes->end()) : std::string("-");
    };
    forEachRecord(log, log.logStartOffset(), [&](const auto& batch, const auto& record) {
        records.push_back(
            {record.offset(), text(record.key()), text(record.value()), batch.compressionType()});
    });
    return records;
}
//< ch38 stored-records

}  // namespace kafka::test
