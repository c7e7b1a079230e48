// Chapter 38 against a peer: kafka-python's codecs (kafka.codec, with Debian's python3-snappy,
// python3-lz4 and python3-zstandard under it), which nobody here wrote. It reads everything
// our four codecs write, at several levels, and we read everything it writes: gzip with its
// own header (a modification time, level 9), xerial snappy and librdkafka-style raw snappy,
// LZ4 frames with a content size, zstd frames with a content size.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kafka/common/compress/Compression.h"
#include "kafka/common/compress/SnappyCompression.h"
#include "kafka/common/utils/Bytes.h"
#include "support/Peers.h"

namespace kafka::common::compress {
namespace {

using record::CompressionType;
using test::toHex;
using utils::Bytes;
using utils::toBytes;

constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

Bytes fromHex(const std::string& hex) {
    Bytes bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

Bytes compress(const Compression& codec, const Bytes& input) {
    Bytes out;
    auto stream = codec.wrapForOutput();
    stream->write(input, out);
    stream->close(out);
    return out;
}

/// Nothing, one byte, a sentence, text of several blocks (three snappy blocks and two lz4
/// ones) and bytes that do not compress.
std::vector<Bytes> sampleInputs() {
    std::string text;
    for (int i = 0; text.size() < 100 * 1024; ++i)
        text +=
            "record " + std::to_string(i) + ": value " + std::to_string((i * 7919) % 1000) + "\n";
    Bytes noise(40 * 1024);
    std::mt19937 random(38);
    for (auto& b : noise) b = static_cast<std::uint8_t>(random());
    return {{},
            toBytes("a"),
            toBytes("Kafka compresses a batch's records as one stream."),
            toBytes(text),
            noise};
}

/// Runs the helper on `inputs` (one hex line each); its output lines, or kPeerMissing.
struct PythonRun {
    int exitCode;
    std::vector<Bytes> outputs;
    std::string raw;
};

PythonRun runPython(const std::string& mode, const std::string& codec,
                    const std::vector<Bytes>& inputs) {
    const auto file =
        std::filesystem::temp_directory_path() /
        ("course-codec-" + std::to_string(getpid()) + "-" + mode + "-" + codec + ".txt");
    {
        std::ofstream lines(file);
        for (const auto& input : inputs) lines << (input.empty() ? "-" : toHex(input)) << "\n";
    }
    const auto result = test::runPython(std::string(COURSE_CHAPTER_DIR) + "/kafka_python_codec.py",
                                        mode + " " + codec + " " + file.string());
    std::filesystem::remove(file);
    PythonRun run{result.exitCode, {}, result.output};
    std::istringstream lines(result.output);
    for (std::string line; std::getline(lines, line);)
        run.outputs.push_back(line == "-" ? Bytes{} : fromHex(line));
    return run;
}

#define SKIP_WITHOUT_KAFKA_PYTHON(run)                                                            \
    if ((run).exitCode == test::kPeerMissing)                                                     \
    GTEST_SKIP() << "SKIPPED: kafka-python (python3-kafka) or its codec module (python3-snappy, " \
                    "python3-lz4, python3-zstandard) is not installed, so our codecs were not "   \
                    "compared with a peer's"

struct Case {
    CompressionType type;
    std::optional<int> level;
    std::string peerCodec;  // the helper's name for it
};

std::string label(const Case& c) {
    return std::string(record::name(c.type)) + " level " +
           (c.level ? std::to_string(*c.level) : "default");
}

TEST(KafkaPythonCodec, ReadsWhatOurCodecsWrite) {
    for (const auto& c : std::vector<Case>{{CompressionType::kGzip, {}, "gzip"},
                                           {CompressionType::kGzip, 1, "gzip"},
                                           {CompressionType::kSnappy, {}, "snappy"},
                                           {CompressionType::kLz4, {}, "lz4"},
                                           {CompressionType::kLz4, 1, "lz4"},
                                           {CompressionType::kLz4, 17, "lz4"},
                                           {CompressionType::kZstd, {}, "zstd"},
                                           {CompressionType::kZstd, -5, "zstd"},
                                           {CompressionType::kZstd, 19, "zstd"}}) {
        auto inputs = sampleInputs();
        // kafka-python 2.0.2 takes xerial's framing only when more than the 16-byte header is
        // there, so it cannot read the header-only stream that snappy-java (and we) write for
        // nothing. A batch always holds a record, so neither client ever meets it.
        if (c.type == CompressionType::kSnappy) inputs.erase(inputs.begin());
        const auto codec = Compression::of(c.type, c.level);
        std::vector<Bytes> ours;
        for (const auto& input : inputs) ours.push_back(compress(*codec, input));
        const auto run = runPython("decode", c.peerCodec, ours);
        SKIP_WITHOUT_KAFKA_PYTHON(run);
        ASSERT_EQ(run.exitCode, 0) << label(c) << ": " << run.raw;
        ASSERT_EQ(run.outputs.size(), inputs.size()) << label(c);
        for (std::size_t i = 0; i < inputs.size(); ++i)
            EXPECT_EQ(run.outputs[i], inputs[i])
                << label(c) << ", input of " << inputs[i].size() << " bytes";
    }
}

TEST(KafkaPythonCodec, WritesWhatOurCodecsRead) {
    const auto inputs = sampleInputs();
    for (const auto& [type, peerCodec] : std::vector<std::pair<CompressionType, std::string>>{
             {CompressionType::kGzip, "gzip"},
             {CompressionType::kSnappy, "snappy"},
             {CompressionType::kSnappy, "snappy-raw"},
             {CompressionType::kLz4, "lz4"},
             {CompressionType::kZstd, "zstd"}}) {
        const auto run = runPython("encode", peerCodec, inputs);
        SKIP_WITHOUT_KAFKA_PYTHON(run);
        ASSERT_EQ(run.exitCode, 0) << peerCodec << ": " << run.raw;
        ASSERT_EQ(run.outputs.size(), inputs.size()) << peerCodec;
        const auto codec = Compression::of(type);
        for (std::size_t i = 0; i < inputs.size(); ++i)
            EXPECT_EQ(codec->decompress(run.outputs[i], kNoLimit), inputs[i])
                << "kafka-python's " << peerCodec << " of " << inputs[i].size() << " bytes";
    }
}

TEST(KafkaPythonCodec, FramesSnappyBlocksAsWeDo) {
    // Both cut the input into 32 KiB blocks behind xerial's header and compress each with the
    // same libsnappy, so the streams are the same bytes (the empty one aside, see above).
    auto inputs = sampleInputs();
    inputs.erase(inputs.begin());
    const auto run = runPython("encode", "snappy", inputs);
    SKIP_WITHOUT_KAFKA_PYTHON(run);
    ASSERT_EQ(run.exitCode, 0) << run.raw;
    ASSERT_EQ(run.outputs.size(), inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i)
        EXPECT_EQ(toHex(run.outputs[i]), toHex(compress(SnappyCompression(), inputs[i])))
            << inputs[i].size() << " bytes";
}

}  // namespace
}  // namespace kafka::common::compress
