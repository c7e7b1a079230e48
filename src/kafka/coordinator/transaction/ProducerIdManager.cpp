//@ ch36
#include "kafka/coordinator/transaction/ProducerIdManager.h"

//> ch37
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "kafka/common/errors/ApiExceptions.h"
//< ch37

namespace kafka::coordinator::transaction {

//> ch37 durable-blocks
ProducerIdManager::ProducerIdManager(std::filesystem::path blockFile)
    : blockFile_(std::move(blockFile)) {
    // Where the last block ended: every id below it may have been handed out.
    std::ifstream in(blockFile_);
    std::int64_t recordedEnd = 0;
    if (in >> recordedEnd && recordedEnd > 0) nextProducerId_ = blockEnd_ = recordedEnd;
}

void ProducerIdManager::allocateNewBlock() {
    const std::int64_t end = nextProducerId_ + kBlockSize;
    // Written down, and on the disk, before the first id of the block is handed out.
    const auto temporary = blockFile_.string() + ".tmp";
    const int fd = ::open(temporary.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
    const std::string text = std::to_string(end) + "\n";
    const bool written =
        fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
        ::fsync(fd) == 0;
    const int error = errno;
    if (fd >= 0) ::close(fd);
    std::error_code renameError;
    if (written) std::filesystem::rename(temporary, blockFile_, renameError);
    if (!written || renameError)
        throw common::errors::KafkaStorageException(
            "Cannot record the producer id block in " + blockFile_.string() + ": " +
            (written ? renameError.message() : std::string(std::strerror(error))));
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
