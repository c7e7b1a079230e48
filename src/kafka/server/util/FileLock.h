//@ ch34
#pragma once

#include <filesystem>

namespace kafka::server::util {

/// An exclusive lock on a file, held while the object lives (Kafka's FileLock). A broker locks
/// `.lock` in each of its log directories, so that a second broker, in another process or in
/// this one, cannot open the same logs. The lock is flock(2)'s: the kernel drops it when the
/// process dies, so a killed broker never leaves a directory locked.
class FileLock {
public:
    /// Creates `file` if needed and locks it, without waiting. Throws KafkaException naming
    /// the file if another holder has it.
    explicit FileLock(std::filesystem::path file);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    int fd_ = -1;
};

}  // namespace kafka::server::util
