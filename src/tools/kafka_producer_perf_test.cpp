//@ ch25
// kafka-producer-perf-test: Kafka's producer benchmark (ProducerPerformance), with its flags
// and its output, driving our producer.
//
//   kafka-producer-perf-test --topic T --num-records N --record-size S --throughput R
//       [--producer-props KEY=VALUE ...] [--producer.config FILE] [--print-metrics]
//       [--bench-json FILE]
//
//> ch38
// Or, in place of --record-size, --payload-file FILE [--payload-delimiter TEXT]: the records'
// values are the file's payloads, one picked at random for each record. Compression (chapter
// 38) needs values like real data: random letters say little about a codec.
//
//< ch38
// Every five seconds a line for the window just ended; at the end a line for the whole run,
// with latency percentiles. Latency is from send() to the record's callback. `--bench-json`
// is ours, not Kafka's: the same figures, in microseconds, with CPU time and peak memory, for
// ./course bench, which runs librdkafka's twin of this tool (bench/perf) beside it.

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
//> ch38
#include <filesystem>
//< ch38
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "kafka/clients/producer/KafkaProducer.h"
#include "kafka/common/serialization/ByteArraySerializer.h"
#include "kafka/common/utils/Time.h"
#include "kafka/common/utils/Utils.h"
#include "kafka/server/util/ThroughputThrottler.h"
#include "tools/ToolMain.h"

namespace {

using kafka::clients::producer::RecordMetadata;
using kafka::common::config::Properties;
using kafka::common::utils::Bytes;
using kafka::tools::UsageError;
using Clock = std::chrono::steady_clock;

constexpr kafka::tools::Usage kUsage{
    "kafka-producer-perf-test",
    /*> ch25-38
    "--topic TOPIC --num-records N --record-size BYTES --throughput N --producer-props "
    "KEY=VALUE...",
    */
    //> ch38
    "--topic TOPIC --num-records N (--record-size BYTES | --payload-file FILE) --throughput N "
    "--producer-props KEY=VALUE...",
    //< ch38
    R"(Sends records as fast as it may to a topic and reports throughput and latency.

Required:
  --topic TOPIC                  the topic to produce to
  --num-records N                how many records to send
  --record-size BYTES            the size of each record's value
)"
    //> ch38
    R"(  or --payload-file FILE         each value one of FILE's payloads, picked at random
  --payload-delimiter TEXT       what separates FILE's payloads (default: \n, a new line)
)"
    //< ch38
    R"(  --throughput N                 at most N records a second; -1 for no limit
Producer:
  --producer-props KEY=VALUE ... producer settings (bootstrap.servers=HOST:PORT, acks=1, ...)
  --producer.config FILE         producer settings from a properties file
Output:
  --print-metrics                print the producer's metrics at the end
  --bench-json FILE              (not Kafka's) the run's figures as JSON, for ./course bench
  --help                         this text
--producer-props wins over --producer.config.
)"};

struct Options {
    std::string topic;
    std::int64_t numRecords = -1;
    std::int32_t recordSize = -1;
    double throughput = 0;
    bool throughputSet = false;
    std::optional<std::string> producerConfigFile;
    Properties producerProps;
    bool printMetrics = false;
    std::optional<std::string> benchJson;
    //> ch38
    std::optional<std::string> payloadFile;
    std::string payloadDelimiter = "\n";
    //< ch38
};

std::int64_t parseNumber(const std::string& flag, const std::string& value, std::int64_t min) {
    std::size_t used = 0;
    std::int64_t number = 0;
    try {
        number = std::stoll(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != value.size() || value.empty())
        throw UsageError(flag + " expects a number, got '" + value + "'");
    if (number < min)
        throw UsageError(flag + " must be at least " + std::to_string(min) + ", got '" + value +
                         "'");
    return number;
}

Options parseArguments(const std::vector<std::string>& args) {
    Options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") throw UsageError("");
        if (flag == "--print-metrics") {
            options.printMetrics = true;
            continue;
        }
        if (flag == "--producer-props") {
            // Kafka's flag takes every argument up to the next flag.
            std::size_t taken = 0;
            while (i + 1 < args.size() && !args[i + 1].starts_with("--")) {
                const std::string& pair = args[++i];
                const auto equals = pair.find('=');
                if (equals == std::string::npos || equals == 0)
                    throw UsageError("--producer-props expects KEY=VALUE, got '" + pair + "'");
                options.producerProps[pair.substr(0, equals)] = pair.substr(equals + 1);
                ++taken;
            }
            if (taken == 0) throw UsageError("Missing value for --producer-props");
            continue;
        }
        if (i + 1 >= args.size()) throw UsageError("Missing value for " + flag);
        const std::string& value = args[++i];
        if (flag == "--topic") {
            options.topic = value;
        } else if (flag == "--num-records") {
            options.numRecords = parseNumber(flag, value, 1);
        } else if (flag == "--record-size") {
            options.recordSize = static_cast<std::int32_t>(parseNumber(flag, value, 0));
        } else if (flag == "--throughput") {
            options.throughput = static_cast<double>(parseNumber(flag, value, -1));
            if (options.throughput == 0)
                throw UsageError("--throughput must be positive or -1, got '" + value + "'");
            options.throughputSet = true;
        } else if (flag == "--producer.config") {
            options.producerConfigFile = value;
        } else if (flag == "--bench-json") {
            options.benchJson = value;
            //> ch38
        } else if (flag == "--payload-file") {
            options.payloadFile = value;
        } else if (flag == "--payload-delimiter") {
            // Kafka's default is shown as \n in its help, and those two characters mean a new
            // line there; so they do here.
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
    // One of the two, as Kafka's mutually exclusive group has it (--payload-delimiter alone is
    // ignored, as in Kafka).
    if (options.recordSize < 0 && !options.payloadFile)
        throw UsageError("Missing required option: --record-size or --payload-file");
    if (options.recordSize >= 0 && options.payloadFile)
        throw UsageError("--record-size and --payload-file cannot be used together");
    //< ch38
    if (!options.throughputSet) throw UsageError("Missing required option: --throughput");
    if (!options.producerConfigFile && !options.producerProps.contains("bootstrap.servers"))
        throw UsageError(
            "Either --producer-props bootstrap.servers=... or --producer.config "
            "must be given");
    return options;
}

/// What Kafka's Stats keeps: counts for the whole run and for the current 5-second window,
/// and a sample of the latencies (every n-th record, at most 500,000 of them) for the
/// percentiles. Recorded from the producer's I/O thread, the one that runs callbacks.
class Stats {
public:
    Stats(std::int64_t numRecords, std::chrono::milliseconds reportingInterval)
        : start_(Clock::now()),
          windowStart_(start_),
          sampling_(numRecords / std::min<std::int64_t>(numRecords, 500000)),
          reportingInterval_(reportingInterval) {
        latencies_.reserve(static_cast<std::size_t>(numRecords / sampling_ + 1));
    }

    // Called for each record in the order the callbacks run; every sampling_-th latency is
    // kept for the percentiles, as Kafka's tool keeps every sampling-th send's.
    void record(std::chrono::microseconds latency, std::int64_t bytes, Clock::time_point now) {
        const double latencyMs = static_cast<double>(latency.count()) / 1000.0;
        ++count_;
        bytes_ += bytes;
        totalLatencyMs_ += latencyMs;
        maxLatencyMs_ = std::max(maxLatencyMs_, latencyMs);
        ++windowCount_;
        windowBytes_ += bytes;
        windowTotalLatencyMs_ += latencyMs;
        windowMaxLatencyMs_ = std::max(windowMaxLatencyMs_, latencyMs);
        if ((count_ - 1) % sampling_ == 0) latencies_.push_back(latency);
        if (now - windowStart_ >= reportingInterval_) {
            printWindow(now);
            newWindow(now);
        }
    }

    void printWindow(Clock::time_point now) const {
        const double elapsedMs = millisBetween(windowStart_, now);
        std::printf(
            "%" PRId64
            " records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max "
            "latency.\n",
            windowCount_, 1000.0 * static_cast<double>(windowCount_) / elapsedMs,
            1000.0 * static_cast<double>(windowBytes_) / elapsedMs / (1024.0 * 1024.0),
            windowTotalLatencyMs_ / static_cast<double>(windowCount_), windowMaxLatencyMs_);
        std::fflush(stdout);
    }

    struct Totals {
        std::int64_t records;
        double seconds;
        double recordsPerSec;
        double mbPerSec;
        double avgLatencyMs;
        double maxLatencyMs;
        double p50, p95, p99, p999;  // milliseconds
        //> ch38
        // The producer's compression-rate-avg at the end: compressed over uncompressed size of
        // the batches' records, averaged over the batches (1 without compression).
        std::optional<double> compressionRateAvg = std::nullopt;
        //< ch38
    };

    Totals totals(Clock::time_point end) {
        const double elapsedMs = millisBetween(start_, end);
        std::sort(latencies_.begin(), latencies_.end());
        auto percentile = [this](double p) {
            if (latencies_.empty()) return 0.0;
            const auto index = static_cast<std::size_t>(static_cast<double>(latencies_.size()) * p);
            return static_cast<double>(latencies_[std::min(index, latencies_.size() - 1)].count()) /
                   1000.0;
        };
        return Totals{count_,
                      elapsedMs / 1000.0,
                      1000.0 * static_cast<double>(count_) / elapsedMs,
                      1000.0 * static_cast<double>(bytes_) / elapsedMs / (1024.0 * 1024.0),
                      count_ ? totalLatencyMs_ / static_cast<double>(count_) : 0.0,
                      maxLatencyMs_,
                      percentile(0.5),
                      percentile(0.95),
                      percentile(0.99),
                      percentile(0.999)};
    }

    Clock::time_point start() const { return start_; }

private:
    static double millisBetween(Clock::time_point from, Clock::time_point to) {
        return std::max(std::chrono::duration<double, std::milli>(to - from).count(), 1e-3);
    }

    void newWindow(Clock::time_point now) {
        windowStart_ = now;
        windowCount_ = 0;
        windowBytes_ = 0;
        windowTotalLatencyMs_ = 0;
        windowMaxLatencyMs_ = 0;
    }

    const Clock::time_point start_;
    Clock::time_point windowStart_;
    const std::int64_t sampling_;
    const std::chrono::milliseconds reportingInterval_;
    std::vector<std::chrono::microseconds> latencies_;
    std::int64_t count_ = 0;
    std::int64_t bytes_ = 0;
    double totalLatencyMs_ = 0;
    double maxLatencyMs_ = 0;
    std::int64_t windowCount_ = 0;
    std::int64_t windowBytes_ = 0;
    double windowTotalLatencyMs_ = 0;
    double windowMaxLatencyMs_ = 0;
};

/// Uppercase letters, as Kafka's tool fills its payload.
Bytes randomPayload(std::int32_t size) {
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> letter('A', 'Z');
    Bytes payload(static_cast<std::size_t>(size));
    for (auto& byte : payload) byte = static_cast<std::uint8_t>(letter(random));
    return payload;
}

//> ch38 payload-file
/// Kafka's --payload-file: the file cut at every `delimiter` into payloads, the empty ones at
/// its end dropped (as Java's String.split drops them). The delimiter is plain text here, where
/// Kafka's is a Java regular expression: the same thing for a new line or a comma. The bytes
/// are sent as they are; Kafka decodes the file as UTF-8 and encodes it again, the same
/// bytes for a UTF-8 file.
std::vector<Bytes> readPayloadFile(const std::string& path, const std::string& delimiter) {
    std::printf("Reading payloads from: %s\n", std::filesystem::absolute(path).c_str());
    std::error_code error;
    if (!std::filesystem::exists(path, error))
        throw std::runtime_error("--payload-file " + path + ": no such file");
    if (!std::filesystem::is_regular_file(path, error))
        throw std::runtime_error("--payload-file " + path + ": not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("--payload-file " + path + ": cannot read it");
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (text.empty()) throw std::runtime_error("--payload-file " + path + " is empty");
    std::vector<Bytes> payloads;
    for (std::size_t start = 0;;) {
        const std::size_t end = std::min(text.find(delimiter, start), text.size());
        payloads.emplace_back(text.begin() + static_cast<std::ptrdiff_t>(start),
                              text.begin() + static_cast<std::ptrdiff_t>(end));
        if (end == text.size()) break;
        start = end + delimiter.size();
    }
    while (!payloads.empty() && payloads.back().empty()) payloads.pop_back();
    if (payloads.empty())
        throw std::runtime_error("--payload-file " + path + " holds delimiters only, no payload");
    std::printf("Number of messages read: %zu\n", payloads.size());
    return payloads;
}
//< ch38 payload-file

//> ch38 records-to-send
/// The records run() sends. With --record-size, one record sent again and again: Kafka's tool
/// also shares one payload array between all its records. With --payload-file, one record a
/// payload. Keys are null, so the sticky partitioner spreads batches.
std::vector<kafka::clients::producer::ProducerRecord<Bytes, Bytes>> recordsToSend(
    const Options& options) {
    std::vector<kafka::clients::producer::ProducerRecord<Bytes, Bytes>> records;
    if (!options.payloadFile) {
        records.emplace_back(options.topic, std::nullopt, randomPayload(options.recordSize));
        return records;
    }
    for (auto& payload : readPayloadFile(*options.payloadFile, options.payloadDelimiter))
        records.emplace_back(options.topic, std::nullopt, std::move(payload));
    return records;
}
//< ch38 records-to-send

//> ch38
/// A metric of the producer's, by group and name, whatever its tags.
std::optional<double> metricValue(const std::map<kafka::common::metrics::MetricName, double>& all,
                                  const std::string& group, const std::string& name) {
    for (const auto& [metric, value] : all)
        if (metric.group == group && metric.name == name) return value;
    return std::nullopt;
}
//< ch38

/// Kafka's ToolsUtils.printMetrics: "group:name:{tags} : value", sorted, names padded.
void printMetrics(const std::map<kafka::common::metrics::MetricName, double>& metrics) {
    std::map<std::string, double> sorted;
    std::size_t width = 0;
    for (const auto& [name, value] : metrics) {
        const std::string display = name.displayName();
        width = std::max(width, display.size());
        sorted.emplace(display, value);
    }
    const int pad = static_cast<int>(width);
    std::printf("\n%-*s   %s\n", pad, "Metric Name", "Value");
    for (const auto& [name, value] : sorted) {
        if (std::isnan(value))
            std::printf("%-*s : NaN\n", pad, name.c_str());
        else
            std::printf("%-*s : %.3f\n", pad, name.c_str(), value);
    }
}

double cpuSeconds(const rusage& usage) {
    auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void writeBenchJson(const std::string& path, const Stats::Totals& totals, std::int64_t errors,
                    double cpu, double peakRssMib) {
    std::ofstream out(path);
    if (!out) throw std::runtime_error("cannot write --bench-json file " + path);
    out << "{\"client\":\"ours\",\"version\":\"kafka-course\",\"records\":" << totals.records
        << ",\"errors\":" << errors << ",\"seconds\":" << totals.seconds
        << ",\"records_per_sec\":" << totals.recordsPerSec << ",\"mb_per_sec\":" << totals.mbPerSec
        << ",\"latency_ms\":{\"avg\":" << totals.avgLatencyMs << ",\"max\":" << totals.maxLatencyMs
        << ",\"p50\":" << totals.p50 << ",\"p95\":" << totals.p95 << ",\"p99\":" << totals.p99
        << ",\"p999\":" << totals.p999 << "},\"cpu_seconds\":" << cpu
        << ",\"peak_rss_mib\":" << peakRssMib;
    //> ch38
    if (totals.compressionRateAvg) out << ",\"compression_rate\":" << *totals.compressionRateAvg;
    //< ch38
    out << "}\n";
}

int run(const Options& options) {
    //> ch38
    // The records first, as Kafka's tool reads its payload file first; each send picks one at
    // random. Kafka's tool seeds its generator with 0, so that runs send the same sequence.
    const auto records = recordsToSend(options);
    std::mt19937 random(0);
    std::uniform_int_distribution<std::size_t> pick(0, records.size() - 1);
    //< ch38
    // CPU is counted from here, producer set-up included, as in librdkafka's twin.
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    Properties props;
    if (options.producerConfigFile)
        props = kafka::common::utils::Utils::loadProps(*options.producerConfigFile);
    for (const auto& [key, value] : options.producerProps) props[key] = value;

    using Producer = kafka::clients::producer::KafkaProducer<Bytes, Bytes>;
    Producer producer(props, std::make_unique<kafka::common::serialization::ByteArraySerializer>(),
                      std::make_unique<kafka::common::serialization::ByteArraySerializer>());
    /*> ch25-38
    // One record, sent again and again: Kafka's tool also shares one payload array between
    // all its records. Keys are null, so the sticky partitioner spreads batches.
    const kafka::clients::producer::ProducerRecord<Bytes, Bytes> record(
        options.topic, std::nullopt, randomPayload(options.recordSize));
    */

    // The topic's metadata before the clock starts, as librdkafka's twin does: a benchmark
    // of sending, not of the first metadata round trip.
    producer.partitionsFor(options.topic);

    // What every callback needs, in one place. A callback that captures only a pointer to it
    // and its record's send time (16 bytes) fits in std::function without an allocation of
    // its own; Kafka's tool also keeps each send's start in its callback. (A table of send
    // times, one per record, was 16 MB of the tool's memory at 2 million records.)
    struct Run {
        Stats stats;
        std::atomic<std::int64_t> errors{0};
    } run{Stats(options.numRecords, std::chrono::seconds(5)), {}};
    Stats& stats = run.stats;
    std::atomic<std::int64_t>& errors = run.errors;
    // One clock read per record serves both the record's latency and the throttler.
    const auto nanosecondsOf = [](Clock::time_point t) {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    };
    kafka::server::util::ThroughputThrottler throttler(
        *kafka::common::utils::Time::system(), options.throughput, nanosecondsOf(Clock::now()));
    for (std::int64_t i = 0; i < options.numRecords; ++i) {
        //> ch38
        const auto& record = records.size() == 1 ? records.front() : records[pick(random)];
        //< ch38
        const auto sendStart = Clock::now();
        producer.send(record, [state = &run, sent = sendStart](const RecordMetadata& metadata,
                                                               std::exception_ptr error) {
            const auto now = Clock::now();
            if (error) {
                if (state->errors++ < 5) {
                    try {
                        std::rethrow_exception(error);
                    } catch (const std::exception& e) {
                        std::cerr << "Error sending a record to " << metadata.topic() << '-'
                                  << metadata.partition() << ": " << e.what() << '\n';
                    }
                }
                return;
            }
            state->stats.record(std::chrono::duration_cast<std::chrono::microseconds>(now - sent),
                                metadata.serializedValueSize(), now);
        });
        if (throttler.shouldThrottle(i, nanosecondsOf(sendStart))) throttler.throttle();
    }
    producer.flush();  // every callback has run when flush() returns
    Stats::Totals totals = stats.totals(Clock::now());
    std::printf("%" PRId64
                " records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max "
                "latency, %d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.\n",
                totals.records, totals.recordsPerSec, totals.mbPerSec, totals.avgLatencyMs,
                totals.maxLatencyMs, static_cast<int>(totals.p50), static_cast<int>(totals.p95),
                static_cast<int>(totals.p99), static_cast<int>(totals.p999));
    if (options.printMetrics) printMetrics(producer.metrics());
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    //> ch38
    totals.compressionRateAvg =
        metricValue(producer.metrics(), "producer-metrics", "compression-rate-avg");
    //< ch38
    if (options.benchJson)
        writeBenchJson(*options.benchJson, totals, errors.load(),
                       cpuSeconds(after) - cpuSeconds(before),
                       static_cast<double>(after.ru_maxrss) / 1024.0);
    producer.close();
    if (errors > 0) {
        std::cerr << errors << " of " << options.numRecords << " records failed\n";
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return kafka::tools::runTool(kUsage, [&] {
        return run(parseArguments(std::vector<std::string>(argv + 1, argv + argc)));
    });
}
