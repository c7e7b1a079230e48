//@ ch34
#include "kafka/server/checkpoints/OffsetCheckpointFile.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "kafka/common/errors/ApiExceptions.h"

namespace kafka::server::checkpoints {

namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& why) {
    throw common::errors::KafkaStorageException("Error in checkpoint file " + file.string() + ": " +
                                                why);
}

// fsync of a file or a directory, by name.
void sync(const std::filesystem::path& path, bool directory) {
    const int fd =
        ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_WRONLY) | O_CLOEXEC);
    if (fd < 0) fail(path, std::string("cannot open to flush: ") + std::strerror(errno));
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) fail(path, std::string("cannot flush: ") + std::strerror(errno));
}

template <typename Int>
bool parse(const std::string& text, Int& value) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

//> ch34 checkpoint-write
void OffsetCheckpointFile::write(
    const std::map<common::TopicPartition, std::int64_t>& offsets) const {
    const auto temporary = std::filesystem::path(file_.string() + ".tmp");
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << kCurrentVersion << "\n" << offsets.size() << "\n";
        for (const auto& [tp, offset] : offsets)
            out << tp.topic << " " << tp.partition << " " << offset << "\n";
        out.flush();
        if (!out) fail(temporary, "cannot write");
    }
    sync(temporary, false);
    std::error_code error;
    std::filesystem::rename(temporary, file_, error);
    if (error) fail(file_, "cannot rename " + temporary.string() + ": " + error.message());
    sync(file_.parent_path(), true);  // the rename itself on the disk
}
//< ch34 checkpoint-write

std::map<common::TopicPartition, std::int64_t> OffsetCheckpointFile::read() const {
    std::map<common::TopicPartition, std::int64_t> offsets;
    std::ifstream in(file_);
    if (!in) return offsets;
    std::string line;
    int version = -1;
    if (!std::getline(in, line)) return offsets;  // an empty file: nothing checkpointed yet
    if (!parse(line, version) || version != kCurrentVersion)
        fail(file_, "unrecognised version \"" + line + "\"");
    std::size_t expected = 0;
    if (!std::getline(in, line) || !parse(line, expected))
        fail(file_, "malformed entry count \"" + line + "\"");
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string topic, partition, offset, extra;
        common::TopicPartition tp;
        std::int64_t value = 0;
        if (!(fields >> topic >> partition >> offset) || (fields >> extra) ||
            !parse(partition, tp.partition) || !parse(offset, value))
            fail(file_, "malformed line \"" + line + "\"");
        tp.topic = topic;
        offsets[tp] = value;
    }
    if (offsets.size() != expected)
        fail(file_, "expected " + std::to_string(expected) + " entries but found " +
                        std::to_string(offsets.size()));
    return offsets;
}

}  // namespace kafka::server::checkpoints
