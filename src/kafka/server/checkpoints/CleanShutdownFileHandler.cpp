//@ ch34
#include "kafka/server/checkpoints/CleanShutdownFileHandler.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "kafka/common/errors/ApiExceptions.h"

namespace kafka::server::checkpoints {

void CleanShutdownFileHandler::write(std::int64_t brokerEpoch) const {
    const std::string content =
        "{\"version\":0,\"brokerEpoch\":" + std::to_string(brokerEpoch) + "}";
    const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const bool written =
        fd >= 0 &&
        ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
        ::fsync(fd) == 0;
    const int error = errno;
    if (fd >= 0) ::close(fd);
    if (!written)
        throw common::errors::KafkaStorageException("Cannot write " + file_.string() + ": " +
                                                    std::strerror(error));
}

void CleanShutdownFileHandler::remove() const {
    std::error_code ignored;
    std::filesystem::remove(file_, ignored);
}

}  // namespace kafka::server::checkpoints
