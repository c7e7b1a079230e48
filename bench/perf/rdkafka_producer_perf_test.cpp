//@ ch25
// rdkafka-producer-perf-test: Kafka's kafka-producer-perf-test (ProducerPerformance), driving
// librdkafka's C API instead of the Java client. Our own producer has a tool with the same flags
// and the same output, so the two can be run side by side against the same broker and compared
// figure for figure; librdkafka is the yardstick of what a mature C client reaches.
//
//   rdkafka-producer-perf-test --topic T --num-records N --record-size S --throughput R
//       [--producer-props KEY=VALUE ...] [--producer.config FILE] [--print-metrics]
//       [--bench-json FILE]
//
// Kafka's setting names are translated to librdkafka's where they differ, so one command line
// serves both tools; librdkafka's own names pass through untouched.
//> ch38
//
// Kafka's --payload-file FILE [--payload-delimiter TEXT] stand in for --record-size as in our
// tool: the values are FILE's payloads, one picked at random for each record, so that codecs
// meet data like real data (chapter 38). With --print-metrics, librdkafka's statistics are
// turned on and what they tell of the batches is printed under Kafka's names: how far the
// codec shrank them (compression-rate-avg) and their size (batch-size-avg).
//< ch38
//
// Where it must differ from Kafka's tool:
// - Delivery reports are served by rd_kafka_poll on the sending thread, not by an I/O thread,
//   so the loop polls every thousand records and, when throttled, waits by polling rather than
//   sleeping; otherwise reports would sit in the queue and the latencies would include our
//   own sleep.
// - Latencies are measured in microseconds; the text lines keep Kafka's formats (whole
//   milliseconds for the percentiles), the JSON keeps the precision.
// - The rate counts from the first send to the last delivery report, so producer start-up
//   and shutdown do not dilute it.
// - The topic's metadata is fetched before the clock starts. librdkafka asks for it only once
//   its bootstrap connection is up, and a first send that races the connection waits for the
//   next one-second topic scan: about one run in several would carry a second's stall that
//   says nothing about sending. Kafka's producer fetches it inside the first send(), in a few
//   milliseconds on a local broker, so leaving it out of the timing costs the comparison little.

// The type-checking variants of RD_KAFKA_V_* use GCC statement expressions, which -Wpedantic
// rejects in C++; the checks add nothing the compiler does not already check here.
#define LIBRDKAFKA_TYPECHECKS 0

#include <librdkafka/rdkafka.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
//> ch38
#include <filesystem>
//< ch38
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tools/ToolMain.h"

namespace {

using kafka::tools::UsageError;

constexpr const char* kProgram = "rdkafka-producer-perf-test";

constexpr kafka::tools::Usage kUsage{
    kProgram,
    /*> ch25-38
    "--topic TOPIC --num-records N --record-size BYTES --throughput N --producer-props "
    "KEY=VALUE...",
    */
    //> ch38
    "--topic TOPIC --num-records N (--record-size BYTES | --payload-file FILE) --throughput N "
    "--producer-props KEY=VALUE...",
    //< ch38
    R"(Sends records as fast as asked to a topic with librdkafka and reports throughput and latency,
like Kafka's kafka-producer-perf-test.

Required:
  --topic TOPIC                     the topic to produce to
  --num-records N                   how many records to send
  --record-size BYTES               each record's value size (random uppercase letters)
)"
    //> ch38
    R"(  or --payload-file FILE            each value one of FILE's payloads, picked at random
  --payload-delimiter TEXT          what separates FILE's payloads (default: \n, a new line)
)"
    //< ch38
    R"(  --throughput RECORDS_PER_SEC      the rate to hold; -1 for as fast as possible
And at least one of:
  --producer-props KEY=VALUE ...    producer settings (Kafka's or librdkafka's names)
  --producer.config FILE            producer settings from a properties file
Optional:
)"
    /*> ch25-38
    R"(  --print-metrics                   accepted for Kafka's sake; librdkafka has other metrics
)"
    */
    //> ch38
    R"(  --print-metrics                   what librdkafka's statistics tell of the batches, by
                                    Kafka's names (turns statistics.interval.ms on)
)"
    //< ch38
    R"(  --bench-json FILE                 also write the run's figures to FILE as JSON
  --help                            this text
--producer-props wins over --producer.config.
)"};

/// Anything else that stops the run: exit code 1.
struct RunError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

using Settings = std::vector<std::pair<std::string, std::string>>;  // in order: later wins

struct Options {
    std::string topic;
    std::int64_t numRecords = -1;
    std::int64_t recordSize = -1;
    std::optional<double> throughput;
    Settings producerProps;
    std::optional<std::string> producerConfig;
    bool printMetrics = false;
    std::optional<std::string> benchJson;
    //> ch38
    std::optional<std::string> payloadFile;
    std::string payloadDelimiter = "\n";
    //< ch38
};

std::int64_t parseCount(const std::string& flag, const std::string& value, std::int64_t min) {
    std::size_t used = 0;
    std::int64_t number = 0;
    try {
        number = std::stoll(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != value.size())
        throw UsageError(flag + " expects a whole number, got '" + value + "'");
    if (number < min)
        throw UsageError(flag + " must be at least " + std::to_string(min) + ", got '" + value +
                         "'");
    return number;
}

double parseRate(const std::string& flag, const std::string& value) {
    std::size_t used = 0;
    double rate = 0;
    try {
        rate = std::stod(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != value.size())
        throw UsageError(flag + " expects records per second, got '" + value + "'");
    // Kafka's throttler would wait forever at 0; a run that never ends is never what was meant.
    if (rate == 0)
        throw UsageError(flag + " must be positive, or -1 for unthrottled, got '" + value + "'");
    return rate;
}

std::pair<std::string, std::string> splitKeyValue(const std::string& text,
                                                  const std::string& where) {
    const auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0)
        throw UsageError(where + " expects KEY=VALUE, got '" + text + "'");
    return {text.substr(0, equals), text.substr(equals + 1)};
}

Options parseArguments(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    Options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") throw UsageError("");
        if (flag == "--print-metrics") {
            options.printMetrics = true;
            continue;
        }
        if (flag == "--producer-props") {
            // Like Kafka's argparse nargs('+'): everything up to the next flag.
            const std::size_t first = i + 1;
            while (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0)
                options.producerProps.push_back(splitKeyValue(args[++i], flag));
            if (i + 1 == first) throw UsageError("--producer-props expects at least one KEY=VALUE");
            continue;
        }
        if (i + 1 >= args.size()) throw UsageError("Missing value for " + flag);
        const std::string& value = args[++i];
        if (flag == "--topic") {
            if (value.empty()) throw UsageError("--topic may not be empty");
            options.topic = value;
        } else if (flag == "--num-records") {
            options.numRecords = parseCount(flag, value, 1);
        } else if (flag == "--record-size") {
            options.recordSize = parseCount(flag, value, 0);
        } else if (flag == "--throughput") {
            options.throughput = parseRate(flag, value);
        } else if (flag == "--producer.config") {
            options.producerConfig = value;
        } else if (flag == "--bench-json") {
            options.benchJson = value;
            //> ch38
        } else if (flag == "--payload-file") {
            options.payloadFile = value;
        } else if (flag == "--payload-delimiter") {
            // Kafka shows its default as \n, and those two characters mean a new line there.
            if (value.empty()) throw UsageError("--payload-delimiter may not be empty");
            options.payloadDelimiter = value == "\\n" ? "\n" : value;
            //< ch38
        } else {
            throw UsageError("Unknown option " + flag);
        }
    }
    if (options.topic.empty()) throw UsageError("Missing required option: --topic");
    if (options.numRecords < 0) throw UsageError("Missing required option: --num-records");
    /*> ch25-38
    if (options.recordSize < 0) throw UsageError("Missing required option: --record-size");
    */
    //> ch38
    // One of the two, as Kafka's mutually exclusive group has it.
    if (options.recordSize < 0 && !options.payloadFile)
        throw UsageError("Missing required option: --record-size or --payload-file");
    if (options.recordSize >= 0 && options.payloadFile)
        throw UsageError("--record-size and --payload-file cannot be used together");
    //< ch38
    if (!options.throughput) throw UsageError("Missing required option: --throughput");
    if (options.producerProps.empty() && !options.producerConfig)
        throw UsageError("Either --producer-props or --producer.config must be specified");
    return options;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// The subset of Java's properties format that producer configs use: KEY=VALUE lines,
/// blank lines and # or ! comments.
Settings loadProperties(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw RunError("--producer.config: cannot read '" + path + "'");
    Settings settings;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        const std::string text = trim(line);
        if (text.empty() || text[0] == '#' || text[0] == '!') continue;
        const auto equals = text.find('=');
        if (equals == std::string::npos || equals == 0)
            throw RunError("--producer.config " + path + " line " + std::to_string(number) +
                           ": expected KEY=VALUE, got '" + text + "'");
        settings.emplace_back(trim(text.substr(0, equals)), trim(text.substr(equals + 1)));
    }
    return settings;
}

//> ch38 payload-file
/// Kafka's --payload-file, as our tool reads it: the file cut at every `delimiter` (plain
/// text; Kafka's is a Java regular expression), the empty payloads at its end dropped as Java's
/// String.split drops them. A missing file, an empty one, or delimiters only, are errors.
std::vector<std::string> readPayloadFile(const std::string& path, const std::string& delimiter) {
    std::printf("Reading payloads from: %s\n", std::filesystem::absolute(path).c_str());
    std::error_code error;
    if (!std::filesystem::exists(path, error))
        throw RunError("--payload-file " + path + ": no such file");
    if (!std::filesystem::is_regular_file(path, error))
        throw RunError("--payload-file " + path + ": not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw RunError("--payload-file " + path + ": cannot read it");
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (text.empty()) throw RunError("--payload-file " + path + " is empty");
    std::vector<std::string> payloads;
    for (std::size_t start = 0;;) {
        const std::size_t end = std::min(text.find(delimiter, start), text.size());
        payloads.push_back(text.substr(start, end - start));
        if (end == text.size()) break;
        start = end + delimiter.size();
    }
    while (!payloads.empty() && payloads.back().empty()) payloads.pop_back();
    if (payloads.empty()) throw RunError("--payload-file " + path + " holds delimiters only");
    std::printf("Number of messages read: %zu\n", payloads.size());
    return payloads;
}
//< ch38 payload-file

struct ConfDeleter {
    void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
struct KafkaDeleter {
    void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
struct TopicDeleter {
    void operator()(rd_kafka_topic_t* rkt) const { rd_kafka_topic_destroy(rkt); }
};
struct MetadataDeleter {
    void operator()(const rd_kafka_metadata_t* metadata) const {
        rd_kafka_metadata_destroy(metadata);
    }
};
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using KafkaPtr = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using TopicPtr = std::unique_ptr<rd_kafka_topic_t, TopicDeleter>;
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

/// One librdkafka setting, with where it came from for the error message.
struct Translated {
    std::string key;
    std::string value;
    std::string origin;  // "KEY=VALUE" as the user wrote it
};

/// Kafka's names to librdkafka's. Names not listed go through as they are, so librdkafka's own
/// names work, and a name neither knows fails in rd_kafka_conf_set with the user's spelling.
std::vector<Translated> translate(const Settings& settings) {
    static const std::vector<std::pair<std::string, std::string>> kRenamed = {
        {"max.in.flight.requests.per.connection", "max.in.flight"},
        {"delivery.timeout.ms", "message.timeout.ms"},
    };
    std::vector<Translated> out;
    for (const auto& setting : settings) {
        const std::string& key = setting.first;  // not bound: Clang < 16 cannot capture bindings
        const std::string& value = setting.second;
        const std::string origin = key + "=" + value;
        if (key == "buffer.memory") {
            // librdkafka bounds its queue in kilobytes and, separately, in messages; Kafka
            // bounds it in bytes only, so the message bound is lifted out of the way.
            std::size_t used = 0;
            long long bytes = -1;
            try {
                bytes = std::stoll(value, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != value.size() || bytes < 1024)
                throw RunError("Producer setting " + origin +
                               ": expected a number of bytes of at least 1024");
            out.push_back({"queue.buffering.max.kbytes", std::to_string(bytes / 1024), origin});
            out.push_back({"queue.buffering.max.messages", "10000000", origin});
            continue;
        }
        const auto renamed = std::find_if(kRenamed.begin(), kRenamed.end(),
                                          [&](const auto& entry) { return entry.first == key; });
        out.push_back({renamed != kRenamed.end() ? renamed->second : key, value, origin});
    }
    return out;
}

void setOrThrow(rd_kafka_conf_t* conf, const Translated& setting) {
    char error[512];
    if (rd_kafka_conf_set(conf, setting.key.c_str(), setting.value.c_str(), error, sizeof error) ==
        RD_KAFKA_CONF_OK)
        return;
    std::string message = "Producer setting " + setting.origin + " rejected by librdkafka";
    if (setting.origin != setting.key + "=" + setting.value)
        message += " (as " + setting.key + "=" + setting.value + ")";
    throw RunError(message + ": " + error);
}

//> ch38 batch-statistics
/// What librdkafka's statistics (its STATISTICS.md) tell of the batches it built, summed over
/// the run, and what Kafka's producer metrics batch-size-avg and compression-rate-avg come to
/// from them. A topic's batchsize and batchcnt are windows that start again at every emission,
/// so each emission's sums are added up; the totals are whole once an emission made after the
/// last batch has been read. Fed on the thread that calls rd_kafka_poll, as Stats is.
class BatchStatistics {
public:
    /// One emission of librdkafka's statistics, as its JSON text.
    void onStatistics(const std::string& json) {
        const auto ts = numberAfter(json, "ts", 0, json.size());
        if (!ts) return;
        lastEmissionUs_ = *ts;
        const auto clientId = json.find("\"client_id\": \"");
        if (clientId != std::string::npos) {
            const auto from = clientId + 14;
            clientId_ = json.substr(from, json.find('"', from) - from);
        }
        // Every topic the producer knows (this tool produces to one); brokers come first.
        const auto topics = json.find("\"topics\":");
        if (topics == std::string::npos) return;
        for (auto at = json.find("\"batchsize\":", topics); at != std::string::npos;
             at = json.find("\"batchsize\":", at + 1)) {
            const auto end = json.find('}', at);
            batchBytes_ += numberAfter(json, "sum", at, end).value_or(0);
            batches_ += numberAfter(json, "cnt", at, end).value_or(0);
        }
        for (auto at = json.find("\"batchcnt\":", topics); at != std::string::npos;
             at = json.find("\"batchcnt\":", at + 1))
            batchedRecords_ += numberAfter(json, "sum", at, json.find('}', at)).value_or(0);
    }

    /// A record the broker took, with a value of `valueBytes` bytes and no key.
    void onDelivered(std::size_t valueBytes) {
        recordBytes_ += recordSizeV2(static_cast<std::int64_t>(valueBytes));
    }

    /// When librdkafka made its last emission, on its clock (CLOCK_MONOTONIC, microseconds).
    std::int64_t lastEmissionUs() const { return lastEmissionUs_; }

    /// The mean batch as sent, batch header included (Kafka's batch-size-avg).
    std::optional<double> batchSizeAvg() const {
        if (batches_ == 0) return std::nullopt;
        return static_cast<double>(batchBytes_) / static_cast<double>(batches_);
    }

    /// The batches' records, compressed, over their size before (Kafka's compression-rate-avg,
    /// weighted by size where Kafka averages batch by batch: the same for batches alike).
    /// librdkafka reports the compressed side; the other is counted here from the values
    /// delivered, as Kafka encodes them, within a fraction of a percent: every timestamp delta
    /// is taken as a byte (under 64 ms), and offset deltas from 64 on as two bytes, for the
    /// mean batch's records beyond its 64th.
    std::optional<double> compressionRate() const {
        if (batches_ == 0 || batchedRecords_ == 0 || recordBytes_ == 0) return std::nullopt;
        const double batches = static_cast<double>(batches_);
        const double perBatch = static_cast<double>(batchedRecords_) / batches;
        const double uncompressed =
            static_cast<double>(recordBytes_) + batches * std::max(0.0, perBatch - 64);
        const double compressed = static_cast<double>(batchBytes_) - kBatchHeaderBytes * batches;
        return compressed / uncompressed;
    }

    /// Kafka's ToolsUtils.printMetrics' form, for the metrics above.
    void print() const {
        const std::string tags = ":{client-id=" + clientId_ + "}";
        const std::vector<std::pair<std::string, std::optional<double>>> metrics = {
            {"producer-metrics:batch-size-avg" + tags, batchSizeAvg()},
            {"producer-metrics:compression-rate-avg" + tags, compressionRate()},
        };
        const int pad = static_cast<int>(metrics.back().first.size());
        std::printf("\nFrom librdkafka's statistics (%lld batches):\n%-*s   %s\n",
                    static_cast<long long>(batches_), pad, "Metric Name", "Value");
        for (const auto& [name, value] : metrics) {
            if (value)
                std::printf("%-*s : %.3f\n", pad, name.c_str(), *value);
            else
                std::printf("%-*s : NaN\n", pad, name.c_str());
        }
    }

private:
    static constexpr double kBatchHeaderBytes = 61;  // Kafka's RECORD_BATCH_OVERHEAD

    /// The whole number after "key": between `from` and `to`, if it is there.
    static std::optional<std::int64_t> numberAfter(const std::string& json, const std::string& key,
                                                   std::size_t from, std::size_t to) {
        const std::string quoted = "\"" + key + "\":";
        const auto at = json.find(quoted, from);
        if (at == std::string::npos || at >= to) return std::nullopt;
        return std::strtoll(json.c_str() + at + quoted.size(), nullptr, 10);
    }

    /// A record's size in a v2 batch (Kafka's DefaultRecord.sizeInBytes) with no key and no
    /// headers, and timestamp and offset deltas of a byte each. Lengths are zigzag varints.
    static std::int64_t recordSizeV2(std::int64_t valueBytes) {
        const auto varintBytes = [](std::int64_t value) {
            std::uint64_t zigzag = static_cast<std::uint64_t>((value << 1) ^ (value >> 63));
            std::int64_t bytes = 1;
            while (zigzag >= 0x80) {
                zigzag >>= 7;
                ++bytes;
            }
            return bytes;
        };
        // attributes, timestamp delta, offset delta, key length (-1), value, header count
        const std::int64_t body = 1 + 1 + 1 + 1 + varintBytes(valueBytes) + valueBytes + 1;
        return varintBytes(body) + body;
    }

    std::string clientId_ = "rdkafka";
    std::int64_t lastEmissionUs_ = 0;
    std::int64_t batchBytes_ = 0;  // the batches as sent: header and compressed records
    std::int64_t batches_ = 0;
    std::int64_t batchedRecords_ = 0;  // records in those batches
    std::int64_t recordBytes_ = 0;     // records delivered, as a v2 batch holds them uncompressed
};
//< ch38 batch-statistics

/// What Kafka's Stats class keeps, fed from delivery reports. Everything runs on the thread
/// that calls rd_kafka_poll, so nothing here needs a lock.
class Stats {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::int64_t kReportingIntervalNs = 5'000'000'000;

    explicit Stats(std::int64_t numRecords)
        : sendNs_(static_cast<std::size_t>(numRecords), 0),
          // Kafka's sampling: at most about 500,000 latencies are kept for the percentiles.
          sampling_(numRecords / std::min<std::int64_t>(numRecords, 500'000)) {
        latenciesUs_.reserve(static_cast<std::size_t>(numRecords / sampling_ + 1));
    }

    static std::int64_t nowNs() {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
            .count();
    }

    void start(std::int64_t now) { startNs_ = windowStartNs_ = lastReportNs_ = now; }
    void markSent(std::int64_t record, std::int64_t now) {
        sendNs_[static_cast<std::size_t>(record)] = now;
    }

    void onDelivery(std::int64_t record, std::size_t bytes, rd_kafka_resp_err_t error) {
        const std::int64_t now = nowNs();
        lastReportNs_ = now;
        ++reports_;
        if (error) {
            // Kafka's tool leaves failed records out of the figures, lest failures look fast.
            if (errors_++ < kErrorsShown)
                std::fprintf(stderr, "Error for record %lld: %s\n", static_cast<long long>(record),
                             rd_kafka_err2str(error));
            return;
        }
        const std::int64_t latencyUs = (now - sendNs_[static_cast<std::size_t>(record)]) / 1000;
        //> ch38
        batches.onDelivered(bytes);
        //< ch38
        if (count_ % sampling_ == 0) latenciesUs_.push_back(latencyUs);
        ++count_;
        bytes_ += static_cast<std::int64_t>(bytes);
        totalLatencyUs_ += latencyUs;
        maxLatencyUs_ = std::max(maxLatencyUs_, latencyUs);
        ++windowCount_;
        windowBytes_ += static_cast<std::int64_t>(bytes);
        windowTotalLatencyUs_ += latencyUs;
        windowMaxLatencyUs_ = std::max(windowMaxLatencyUs_, latencyUs);
        if (now - windowStartNs_ >= kReportingIntervalNs) {
            printWindow(now);
            windowStartNs_ = now;
            windowCount_ = windowBytes_ = windowTotalLatencyUs_ = windowMaxLatencyUs_ = 0;
        }
    }

    std::int64_t reports() const { return reports_; }
    std::int64_t errors() const { return errors_; }

    struct Total {
        std::int64_t records;
        std::int64_t errors;
        double seconds;
        double recordsPerSec;
        double mbPerSec;
        double avgMs, maxMs, p50Ms, p95Ms, p99Ms, p999Ms;
        //> ch38
        std::optional<double> compressionRate = std::nullopt;  // with --print-metrics
        //< ch38
    };

    Total total() {
        Total t{};
        t.records = count_;
        t.errors = errors_;
        t.seconds = static_cast<double>(lastReportNs_ - startNs_) / 1e9;
        if (t.seconds > 0) {
            t.recordsPerSec = static_cast<double>(count_) / t.seconds;
            t.mbPerSec = static_cast<double>(bytes_) / t.seconds / (1024.0 * 1024.0);
        }
        if (count_ > 0) {
            t.avgMs = static_cast<double>(totalLatencyUs_) / static_cast<double>(count_) / 1000.0;
            t.maxMs = static_cast<double>(maxLatencyUs_) / 1000.0;
        }
        std::sort(latenciesUs_.begin(), latenciesUs_.end());
        const auto percentile = [&](double p) {
            if (latenciesUs_.empty()) return 0.0;
            const auto index =
                static_cast<std::size_t>(static_cast<double>(latenciesUs_.size()) * p);
            return static_cast<double>(latenciesUs_[index]) / 1000.0;
        };
        t.p50Ms = percentile(0.5);
        t.p95Ms = percentile(0.95);
        t.p99Ms = percentile(0.99);
        t.p999Ms = percentile(0.999);
        return t;
    }

    //> ch38
    /// What the statistics say of the batches (with --print-metrics).
    BatchStatistics batches;
    //< ch38

private:
    static constexpr std::int64_t kErrorsShown = 5;

    void printWindow(std::int64_t now) const {
        const double elapsed = static_cast<double>(now - windowStartNs_) / 1e9;
        std::printf(
            "%lld records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max "
            "latency.\n",
            static_cast<long long>(windowCount_), static_cast<double>(windowCount_) / elapsed,
            static_cast<double>(windowBytes_) / elapsed / (1024.0 * 1024.0),
            static_cast<double>(windowTotalLatencyUs_) / static_cast<double>(windowCount_) / 1000.0,
            static_cast<double>(windowMaxLatencyUs_) / 1000.0);
        std::fflush(stdout);
    }

    std::vector<std::int64_t> sendNs_;  // per record, so the report finds its send time
    std::int64_t sampling_;
    std::vector<std::int64_t> latenciesUs_;
    std::int64_t startNs_ = 0, lastReportNs_ = 0, windowStartNs_ = 0;
    std::int64_t reports_ = 0, errors_ = 0;
    std::int64_t count_ = 0, bytes_ = 0, totalLatencyUs_ = 0, maxLatencyUs_ = 0;
    std::int64_t windowCount_ = 0, windowBytes_ = 0, windowTotalLatencyUs_ = 0;
    std::int64_t windowMaxLatencyUs_ = 0;
};

void onDeliveryReport(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
    const auto record =
        static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(message->_private));
    static_cast<Stats*>(opaque)->onDelivery(record, message->len, message->err);
}

//> ch38
int onStatistics(rd_kafka_t*, char* json, std::size_t length, void* opaque) {
    static_cast<Stats*>(opaque)->batches.onStatistics(std::string(json, length));
    return 0;  // librdkafka frees the text
}
//< ch38

/// Kafka's ThroughputThrottler, as kafka-producer-perf-test has it: while the run is ahead of
/// the target rate, each record adds 1/rate to a sleep deficit, and the loop waits only once the
/// deficit reaches 2 ms (a burst of about 20 records every 2 ms at 10,000 records/s), so that
/// both tools send the same load. The wait polls, so delivery reports keep being timed.
class Throttler {
public:
    Throttler(double recordsPerSec, std::int64_t startNs)
        : rate_(recordsPerSec),
          startNs_(startNs),
          sleepPerRecordNs_(recordsPerSec > 0 ? 1e9 / recordsPerSec : 0) {}

    void maybeThrottle(rd_kafka_t* rk, std::int64_t sentSoFar, std::int64_t sendStartNs) {
        if (!shouldThrottle(sentSoFar, sendStartNs)) return;
        sleepDeficitNs_ += sleepPerRecordNs_;
        if (sleepDeficitNs_ < kMinSleepNs) return;
        const std::int64_t untilNs = Stats::nowNs() + static_cast<std::int64_t>(sleepDeficitNs_);
        for (std::int64_t now = Stats::nowNs(); now < untilNs; now = Stats::nowNs()) {
            const std::int64_t remainingNs = untilNs - now;
            if (remainingNs >= 1'000'000) {
                rd_kafka_poll(rk, static_cast<int>(remainingNs / 1'000'000));
            } else {
                rd_kafka_poll(rk, 0);
                std::this_thread::sleep_for(std::chrono::nanoseconds(remainingNs));
            }
        }
        sleepDeficitNs_ = 0;
    }

private:
    static constexpr double kMinSleepNs = 2'000'000;  // Kafka's MIN_SLEEP_NS

    bool shouldThrottle(std::int64_t sentSoFar, std::int64_t sendStartNs) const {
        if (rate_ < 0) return false;
        const double elapsedSeconds = static_cast<double>(sendStartNs - startNs_) / 1e9;
        return elapsedSeconds > 0 && static_cast<double>(sentSoFar) / elapsedSeconds > rate_;
    }

    double rate_;
    std::int64_t startNs_;
    double sleepPerRecordNs_;
    double sleepDeficitNs_ = 0;
};

struct Usage {
    double cpuSeconds;
    double peakRssMib;
};

Usage resourceUsage() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
    };
    return {seconds(usage.ru_utime) + seconds(usage.ru_stime),
            static_cast<double>(usage.ru_maxrss) / 1024.0};
}

std::string jsonString(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

void writeBenchJson(const std::string& path, const Stats::Total& t, double cpuSeconds,
                    double peakRssMib) {
    char body[1024];
    std::snprintf(body, sizeof body,
                  "{\"client\":\"librdkafka\",\"version\":%s,\"records\":%lld,\"errors\":%lld,"
                  "\"seconds\":%.6f,\"records_per_sec\":%.3f,\"mb_per_sec\":%.3f,"
                  "\"latency_ms\":{\"avg\":%.3f,\"max\":%.3f,\"p50\":%.3f,\"p95\":%.3f,"
                  "\"p99\":%.3f,\"p999\":%.3f},\"cpu_seconds\":%.3f,\"peak_rss_mib\":%.1f",
                  jsonString(rd_kafka_version_str()).c_str(), static_cast<long long>(t.records),
                  static_cast<long long>(t.errors), t.seconds, t.recordsPerSec, t.mbPerSec, t.avgMs,
                  t.maxMs, t.p50Ms, t.p95Ms, t.p99Ms, t.p999Ms, cpuSeconds, peakRssMib);
    std::string json = body;
    //> ch38
    if (t.compressionRate) json += ",\"compression_rate\":" + std::to_string(*t.compressionRate);
    //< ch38
    json += "}\n";
    std::ofstream out(path);
    out << json;
    out.close();
    if (!out) throw RunError("--bench-json: cannot write '" + path + "'");
}

KafkaPtr makeProducer(const Options& options, Stats& stats) {
    Settings settings;
    if (options.producerConfig) settings = loadProperties(*options.producerConfig);
    settings.insert(settings.end(), options.producerProps.begin(), options.producerProps.end());
    const std::vector<Translated> translated = translate(settings);

    ConfPtr conf(rd_kafka_conf_new());
    std::set<std::string> userKeys;
    for (const auto& setting : translated) {
        setOrThrow(conf.get(), setting);
        userKeys.insert(setting.key);
    }
    // Kafka's client sets TCP_NODELAY and hashes with murmur2; match it unless told otherwise.
    const std::vector<Translated> defaults = {
        {"socket.nagle.disable", "true", "socket.nagle.disable=true (default)"},
        {"partitioner", "murmur2_random", "partitioner=murmur2_random (default)"},
    };
    for (const auto& setting : defaults)
        if (!userKeys.contains(setting.key)) setOrThrow(conf.get(), setting);
    //> ch38
    // --print-metrics reads librdkafka's statistics: once a second, unless asked otherwise.
    if (options.printMetrics && !userKeys.contains("statistics.interval.ms"))
        setOrThrow(conf.get(), {"statistics.interval.ms", "1000",
                                "statistics.interval.ms=1000 (for --print-metrics)"});
    rd_kafka_conf_set_stats_cb(conf.get(), onStatistics);
    //< ch38

    rd_kafka_conf_set_dr_msg_cb(conf.get(), onDeliveryReport);
    rd_kafka_conf_set_opaque(conf.get(), &stats);

    char error[512];
    KafkaPtr rk(rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), error, sizeof error));
    if (!rk) throw RunError(std::string("Cannot create the librdkafka producer: ") + error);
    conf.release();  // rd_kafka_new owns it now
    return rk;
}

/// Fetches the topic's partitions into the producer's cache (see the header for why). A topic
/// the broker reports an error for is left to the sends: it may be created on first use.
void fetchMetadata(rd_kafka_t* rk, const std::string& topic) {
    const TopicPtr rkt(rd_kafka_topic_new(rk, topic.c_str(), nullptr));
    if (!rkt) throw RunError("--topic " + topic + ": " + rd_kafka_err2str(rd_kafka_last_error()));
    const rd_kafka_metadata_t* raw = nullptr;
    const rd_kafka_resp_err_t error = rd_kafka_metadata(rk, 0, rkt.get(), &raw, 30'000);
    const MetadataPtr metadata(raw);
    if (error)
        throw RunError("Cannot fetch metadata for --topic " + topic +
                       " within 30 s (is bootstrap.servers right?): " + rd_kafka_err2str(error));
    for (int i = 0; i < metadata->topic_cnt; ++i)
        if (metadata->topics[i].err)
            std::fprintf(stderr, "%s: warning: metadata for --topic %s: %s\n", kProgram,
                         topic.c_str(), rd_kafka_err2str(metadata->topics[i].err));
}

//> ch38 payloads
/// Kafka's payloads, made before the clock starts: one buffer of random uppercase letters
/// (--record-size), or the payloads of --payload-file.
std::vector<std::string> payloadsToSend(const Options& options) {
    if (options.payloadFile) return readPayloadFile(*options.payloadFile, options.payloadDelimiter);
    std::string payload(static_cast<std::size_t>(options.recordSize), 'A');
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> letter('A', 'Z');
    for (char& c : payload) c = static_cast<char>(letter(random));
    return {payload};
}

/// Waits, polling, for librdkafka to emit statistics made after `sinceUs` (CLOCK_MONOTONIC
/// microseconds, as steady_clock here): by then the last batch's figures are in. False if none
/// came within 15 s (a statistics.interval.ms longer than that).
bool awaitStatisticsAfter(rd_kafka_t* rk, const BatchStatistics& batches, std::int64_t sinceUs) {
    const std::int64_t deadline = Stats::nowNs() + 15'000'000'000;
    while (batches.lastEmissionUs() < sinceUs) {
        if (Stats::nowNs() >= deadline) return false;
        rd_kafka_poll(rk, 100);
    }
    return true;
}
//< ch38 payloads

int run(const Options& options) {
    /*> ch25-38
    // Kafka's payload: one buffer of random uppercase letters, made before the clock starts.
    std::string payload(static_cast<std::size_t>(options.recordSize), 'A');
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> letter('A', 'Z');
    for (char& c : payload) c = static_cast<char>(letter(random));
    */
    //> ch38
    // Each send picks one payload at random, from a generator seeded with 0 as Kafka's is.
    const std::vector<std::string> payloads = payloadsToSend(options);
    std::mt19937 random(0);
    std::uniform_int_distribution<std::size_t> pick(0, payloads.size() - 1);
    //< ch38

    const Usage before = resourceUsage();
    Stats stats(options.numRecords);  // outlives the producer, whose reports it receives
    const KafkaPtr rk = makeProducer(options, stats);
    rd_kafka_t* producer = rk.get();
    fetchMetadata(producer, options.topic);

    const std::int64_t start = Stats::nowNs();
    stats.start(start);
    Throttler throttler(*options.throughput, start);
    for (std::int64_t i = 0; i < options.numRecords; ++i) {
        //> ch38
        const std::string& payload =
            payloads.size() == 1 ? payloads.front() : payloads[pick(random)];
        //< ch38
        const std::int64_t sendStartNs = Stats::nowNs();
        stats.markSent(i, sendStartNs);
        rd_kafka_resp_err_t error;
        // A full queue is librdkafka's form of Kafka's send() blocking on buffer.memory.
        while ((error = rd_kafka_producev(
                    producer, RD_KAFKA_V_TOPIC(options.topic.c_str()),
                    RD_KAFKA_V_VALUE(payload.data(), payload.size()),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                    RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<std::uintptr_t>(i))),
                    RD_KAFKA_V_END)) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(producer, 1);
        if (error)
            throw RunError("rd_kafka_producev failed for record " + std::to_string(i) +
                           " to topic '" + options.topic + "': " + rd_kafka_err2str(error));
        if ((i + 1) % 1000 == 0) rd_kafka_poll(producer, 0);
        throttler.maybeThrottle(producer, i, sendStartNs);
    }
    const rd_kafka_resp_err_t flushed = rd_kafka_flush(producer, 60'000);
    const Usage after = resourceUsage();

    Stats::Total t = stats.total();
    //> ch38
    // The statistics' last window comes with the next emission, after the timing.
    const bool statisticsComplete =
        options.printMetrics &&
        awaitStatisticsAfter(producer, stats.batches, Stats::nowNs() / 1000);
    if (statisticsComplete) t.compressionRate = stats.batches.compressionRate();
    //< ch38
    std::printf(
        "%lld records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max "
        "latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.\n",
        static_cast<long long>(t.records), t.recordsPerSec, t.mbPerSec, t.avgMs, t.maxMs,
        static_cast<int>(t.p50Ms), static_cast<int>(t.p95Ms), static_cast<int>(t.p99Ms),
        static_cast<int>(t.p999Ms));
    /*> ch25-38
    if (options.printMetrics)
        std::printf(
            "librdkafka does not keep Kafka's producer metrics; its own statistics "
            "(statistics.interval.ms, see its STATISTICS.md) use other names.\n");
    */
    //> ch38
    if (options.printMetrics) {
        if (statisticsComplete)
            stats.batches.print();
        else
            std::printf("librdkafka's statistics did not come within 15 s of the flush\n");
    }
    //< ch38
    std::fflush(stdout);
    if (options.benchJson)
        writeBenchJson(*options.benchJson, t, after.cpuSeconds - before.cpuSeconds,
                       after.peakRssMib);

    int status = 0;
    if (flushed != RD_KAFKA_RESP_ERR_NO_ERROR || stats.reports() != options.numRecords) {
        std::fprintf(stderr,
                     "%s: only %lld of %lld records got a delivery report within 60 s of the "
                     "flush\n",
                     kProgram, static_cast<long long>(stats.reports()),
                     static_cast<long long>(options.numRecords));
        status = 1;
    }
    if (stats.errors() > 0) {
        std::fprintf(stderr, "%s: %lld of %lld records failed\n", kProgram,
                     static_cast<long long>(stats.errors()),
                     static_cast<long long>(options.numRecords));
        status = 1;
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    return kafka::tools::runTool(kUsage, [&] { return run(parseArguments(argc, argv)); });
}
