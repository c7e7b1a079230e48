//@ ch36
#include "kafka/coordinator/transaction/ProducerIdManager.h"

//> ch37
#include <fstream>
#include <string>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/utils/Utils.h"
//< ch37

namespace kafka::coordinator::transaction {

//> ch37 durable-blocks
ProducerIdManager::ProducerIdManager(std::filesystem::path blockFile)
    : blockFile_(std::move(blockFile)) {
    // Where the last block ended: every id below it may have been handed out. A file that
    // is there but does not say so is not a reason to start again from 0, which would hand
    // out ids that live producers still use.
    if (!std::filesystem::exists(blockFile_)) return;
    std::ifstream in(blockFile_);
    std::int64_t recordedEnd = 0;
    if (!(in >> recordedEnd) || recordedEnd <= 0)
        throw common::errors::KafkaStorageException(
            "The producer id block file " + blockFile_.string() +
            " does not hold a positive number: refusing to hand out ids that may be in use");
    nextProducerId_ = blockEnd_ = recordedEnd;
}

void ProducerIdManager::allocateNewBlock() {
    const std::int64_t end = nextProducerId_ + kBlockSize;
    // Written down, and on the disk, before the first id of the block is handed out.
    common::utils::Utils::atomicWriteFile(blockFile_, std::to_string(end) + "\n");
    blockEnd_ = end;
}
//< ch37 durable-blocks

std::int64_t ProducerIdManager::generateProducerId() {
    std::scoped_lock lock(mutex_);
    /*> ch36-37 counter-blocks
    if (nextProducerId_ == blockEnd_) blockEnd_ += kBlockSize;  // blocks, kept in memory
    */
    //> ch37
    if (nextProducerId_ == blockEnd_) allocateNewBlock();
    //< ch37
    return nextProducerId_++;
}

}  // namespace kafka::coordinator::transaction
