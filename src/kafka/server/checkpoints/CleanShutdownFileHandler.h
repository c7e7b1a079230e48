//@ ch34
#pragma once

#include <cstdint>
#include <filesystem>

namespace kafka::server::checkpoints {

/// The clean-shutdown marker of a log directory (Kafka's CleanShutdownFileHandler): a file
/// `.kafka_cleanshutdown` that a broker writes last when it shuts down in order, after every
/// log is flushed and every checkpoint written, and deletes when it has loaded the logs again.
/// Found at startup, it says the files need no recovery; missing, that the broker stopped
/// without saying so (a crash, SIGKILL, a power cut). Its content is Kafka's JSON,
/// {"version":0,"brokerEpoch":-1}, with no broker epoch here: no controller registers us.
class CleanShutdownFileHandler {
public:
    static constexpr const char* kCleanShutdownFileName = ".kafka_cleanshutdown";

    explicit CleanShutdownFileHandler(const std::filesystem::path& logDir)
        : file_(logDir / kCleanShutdownFileName) {}

    bool hasFile() const { return std::filesystem::exists(file_); }
    /// Writes the marker and puts it on the disk. Throws KafkaStorageException naming it.
    void write(std::int64_t brokerEpoch = -1) const;
    void remove() const;

private:
    std::filesystem::path file_;
};

}  // namespace kafka::server::checkpoints
