//@ ch34
#include "kafka/server/checkpoints/OffsetCheckpointFile.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

#include "kafka/common/errors/ApiExceptions.h"
#include "kafka/common/utils/Utils.h"

namespace kafka::server::checkpoints {

namespace {

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& why) {
    throw common::errors::KafkaStorageException("Error in checkpoint file " + file.string() + ": " +
                                                why);
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
    std::ostringstream text;
    text << kCurrentVersion << "\n" << offsets.size() << "\n";
    for (const auto& [tp, offset] : offsets)
        text << tp.topic << " " << tp.partition << " " << offset << "\n";
    // A crash leaves the old checkpoint or the new one, never half of one.
    common::utils::Utils::atomicWriteFile(file_, text.str());
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
