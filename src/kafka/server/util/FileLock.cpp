//@ ch34
#include "kafka/server/util/FileLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kafka/common/errors/Exceptions.h"

namespace kafka::server::util {

FileLock::FileLock(std::filesystem::path file) : file_(std::move(file)) {
    fd_ = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw common::errors::KafkaException("Cannot open the lock file " + file_.string() + ": " +
                                             std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd_);
        throw common::errors::KafkaException(
            "Failed to acquire lock on file " + file_.filename().string() + " in " +
            file_.parent_path().string() +
            (error == EWOULDBLOCK
                 ? ". A Kafka instance in another process or thread is using this directory."
                 : ": " + std::string(std::strerror(error))));
    }
}

FileLock::~FileLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
}

}  // namespace kafka::server::util
