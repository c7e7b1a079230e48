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

namespace {

// Writes `text` to `file` so that it is there, whole, after a crash or a power loss: a
// temporary file on the disk, renamed over the old one, and the directory's new entry on the
// disk too (Kafka's Utils.atomicMoveWithFallback does the same).
void writeDurably(const std::filesystem::path& file, const std::string& text) {
    const auto temporary = file.string() + ".tmp";
    const auto fail = [&](const std::string& what) {
        return common::errors::KafkaStorageException("Cannot " + what + " " + file.string() + ": " +
                                                     std::strerror(errno));
    };
    const int fd = ::open(temporary.c_str(), O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw fail("create the temporary file of");
    const bool written =
        ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
        ::fsync(fd) == 0;
    ::close(fd);
    if (!written) throw fail("write");
    if (::rename(temporary.c_str(), file.c_str()) != 0) throw fail("rename over");
    const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const bool synced = dir >= 0 && ::fsync(dir) == 0;
    if (dir >= 0) ::close(dir);
    if (!synced) throw fail("sync the directory of");
}

}  // namespace

void ProducerIdManager::allocateNewBlock() {
    const std::int64_t end = nextProducerId_ + kBlockSize;
    // Written down, and on the disk, before the first id of the block is handed out.
    writeDurably(blockFile_, std::to_string(end) + "\n");
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
