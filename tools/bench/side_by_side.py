#!/usr/bin/python3
"""The side-by-side producer benchmark behind `./course bench`.

Our kafka-producer-perf-test, librdkafka's twin (bench/perf) and Kafka's own Java producer
(ProducerPerformance, from the kafka-tools jar that tools/kafka/kafka-cluster caches) send the
same records with the same settings to the same sink, alternating, three rounds each; the
medians go into a Markdown table and a gnuplot chart. Four sinks: librdkafka's mock cluster,
our own broker with its log on disk (the final code), our broker as of chapter 30 with its log
in memory (--memory-broker, a release build of stage 30's kafka-server-start), and a real
Apache Kafka (one KRaft node); each a fresh process, on a fresh log directory, for every run
(so that no run pays for the last one's data), with the CPU time it spent during the run read
from /proc. Loopback TCP's throughput, measured in the same run, is the ceiling no producer
can pass on this machine. Without Java, the Java producer and the real Kafka are left out.

The "log lines" rows (chapter 38) send the lines of an application's log, which this script
writes, the same every time, into OUT_DIR/log-lines.txt; every producer reads it with
--payload-file and picks a line at random for each record. One row per codec, and beside the
records/s, how far the codec shrank the batches' records (see compression_ratio).

    side_by_side.py BUILD_DIR OUT_DIR [--rounds N] [--quick] [--page PAGE [--chart SVG]]
                    [--sinks NAME,...] [--clients NAME,...] [--workloads NAME,...]
                    [--memory-broker PROGRAM] [--section NAME]

Writes OUT_DIR/side-by-side.{json,md,svg} (no chart when only log-lines rows ran); with
--page, also puts the table into PAGE between the lines <!-- bench:begin --> and
<!-- bench:end --> (with --section NAME, between <!-- bench:NAME:begin --> and
<!-- bench:NAME:end -->, and no chart), and copies the chart to SVG (the site's Performance
page). Standard library only (Debian's python3).
"""

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

# The settings both producers get, set explicitly (benchmarks.md, "a fair side-by-side run").
COMMON_PROPS = {
    "acks": "1",
    "batch.size": "65536",
    "buffer.memory": "33554432",
    "max.in.flight.requests.per.connection": "5",
    "compression.type": "none",
    "enable.idempotence": "false",
}

# In a workload's record size's place: the values are the lines of the log-lines file
# (write_log_lines), sent with --payload-file.
LOG_LINES = "log lines"
# (name, record size, records, linger.ms, throughput[, settings over COMMON_PROPS]): the issue's
# sizes, a fixed-rate run at linger.ms=0 for latency (at saturation latency is only queueing
# time), what idempotence costs (chapter 36): acks=all without it and with it, and each codec
# on values that compress as real data does (chapter 38), each at its default level.
# The three sizes send enough records for our producer's run on the mock cluster to last half
# a second or more: a run also pays a fixed start-up (the first touch of buffer.memory's 32 MiB
# is some 8,500 page faults, about 20 ms of CPU on the course's machine), which 50,000 records
# of 10 KB, over in under 0.2 s, did not hide (0.27 M records/s, against 0.33 M for 250,000).
WORKLOADS = [
    ("100 B", 100, 2_000_000, 5, -1),
    ("1 KB", 1000, 1_000_000, 5, -1),
    ("10 KB", 10_000, 250_000, 5, -1),
    ("latency, 100 B at 10k/s, linger 0", 100, 50_000, 0, 10_000),
    ("100 B acks=all", 100, 1_000_000, 5, -1, {"acks": "all"}),
    ("100 B acks=all idempotent", 100, 1_000_000, 5, -1,
     {"acks": "all", "enable.idempotence": "true"}),
    ("log lines, none", LOG_LINES, 500_000, 5, -1, {"compression.type": "none"}),
    ("log lines, gzip", LOG_LINES, 500_000, 5, -1, {"compression.type": "gzip"}),
    ("log lines, snappy", LOG_LINES, 500_000, 5, -1, {"compression.type": "snappy"}),
    ("log lines, lz4", LOG_LINES, 500_000, 5, -1, {"compression.type": "lz4"}),
    ("log lines, zstd", LOG_LINES, 500_000, 5, -1, {"compression.type": "zstd"}),
]


def workload_props(workload, sink):
    """The producer settings of one run: the common ones, the workload's own, the sink."""
    _, _, _, linger, _ = workload[:5]
    extra = workload[5] if len(workload) > 5 else {}
    return dict(COMMON_PROPS, **extra, **{"linger.ms": str(linger),
                                          "bootstrap.servers": sink.bootstrap})


def compresses(workload):
    """Whether a workload's row shows the compression ratio: the log-lines rows."""
    return workload[1] == LOG_LINES


def payload_flags(workload):
    """How a producer is told what to send: --record-size, or the log lines' file."""
    if workload[1] == LOG_LINES:
        return ["--payload-file", str(PAYLOAD_FILE)]
    return ["--record-size", str(workload[1])]


def write_log_lines(path, count=10_000, seed=38):
    """An online shop's application log: `count` lines of 100 to 300 bytes, as a Java service
    writes them (timestamp, level, thread, logger, message), from a fixed seed, so every run
    and every machine sends the same file. Compressible as real logs are, and for the same
    reasons: the timestamps, levels, threads, loggers and message templates repeat, while the
    ids, amounts, durations and trace ids vary (the trace ids are random, as they are in a
    real log). In full batches of 64 KB, lz4 shrinks these records about 3.4 times, gzip
    about 5."""
    rng = random.Random(seed)
    users = [f"u{rng.randrange(10_000, 99_999)}" for _ in range(400)]
    paths = ["/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/cart/{id}/items",
             "/api/v1/products/{id}", "/api/v1/search", "/api/v1/users/{id}/profile",
             "/api/v1/payments/{id}/capture"]
    services = ["inventory-service", "pricing-service", "payment-gateway", "email-sender",
                "recommendation-service"]
    threads = ([f"http-nio-8080-exec-{n}" for n in range(1, 25)]
               + ["scheduling-1", "main", "HikariPool-1 housekeeper"])

    def trace():
        return "%016x" % rng.getrandbits(64)

    def url():
        return rng.choice(paths).replace("{id}", str(rng.randrange(1, 200_000)))

    def order():
        return rng.randrange(1_000_000, 9_999_999)

    def amount():
        return f"{rng.randrange(5, 900)}.{rng.randrange(100):02d}"

    messages = {
        "INFO": [
            lambda: ("com.example.shop.api.RequestLogger",
                     f"{rng.choice(['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'])} {url()} "
                     f"{rng.choice([200] * 12 + [201, 204, 304, 400, 404])} "
                     f"{rng.randrange(120, 48_000)}B in {rng.randrange(1, 900)} ms "
                     f"user={rng.choice(users)} trace={trace()}"),
            lambda: ("com.example.shop.orders.OrderService",
                     f"Order {order()} created for customer {rng.choice(users)}: "
                     f"{rng.randrange(1, 9)} items, total {amount()} "
                     f"{rng.choice(['EUR', 'EUR', 'USD', 'GBP'])}, shipping "
                     f"{rng.choice(['standard', 'express', 'pickup'])}"),
            lambda: ("com.example.shop.payments.PaymentClient",
                     f"Payment {trace()} authorized for order {order()}: amount={amount()} "
                     f"card=****{rng.randrange(10_000):04d} "
                     f"provider={rng.choice(['adyen', 'stripe'])} "
                     f"latency={rng.randrange(40, 700)}ms"),
            lambda: ("org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
                     f"[Consumer clientId=consumer-orders-{rng.randrange(1, 4)}, groupId=orders] "
                     f"Committed offset {rng.randrange(10**6, 10**8)} for partition "
                     f"orders-{rng.randrange(12)}"),
            lambda: ("com.example.shop.cache.PriceCache",
                     f"Cache miss for key product:{rng.randrange(1, 200_000)}:price, loaded from "
                     f"pricing-service in {rng.randrange(2, 120)} ms "
                     f"(ttl={rng.choice([60, 300, 900])}s, size={rng.randrange(10_000, 50_000)}"
                     "/50000)"),
        ],
        "DEBUG": [
            lambda: ("com.example.shop.api.HealthController",
                     f"GET /health 200 in {rng.randrange(1, 4)} ms"),
            lambda: ("com.zaxxer.hikari.pool.HikariPool",
                     f"HikariPool-1 - Pool stats (total={rng.randrange(10, 20)}, "
                     f"active={rng.randrange(0, 10)}, idle={rng.randrange(0, 10)}, "
                     f"waiting={rng.randrange(0, 3)})"),
            lambda: ("com.example.shop.search.QueryPlanner",
                     "Query 'SELECT id, name, price FROM products WHERE category_id = ? AND "
                     f"stock > 0 ORDER BY rank LIMIT 50' took {rng.randrange(1, 80)} ms, "
                     f"{rng.randrange(0, 51)} rows"),
        ],
        "WARN": [
            lambda: ("com.example.shop.http.ResilientClient",
                     f"Slow response from {rng.choice(services)}: {rng.randrange(500, 4000)} ms "
                     f"(threshold 500 ms), retry {rng.randrange(1, 4)}/3 trace={trace()}"),
            lambda: ("com.example.shop.api.RateLimiter",
                     f"Rate limit reached for user={rng.choice(users)} on {url()}: "
                     f"{rng.randrange(100, 130)} requests in 60 s"),
        ],
        "ERROR": [
            lambda: ("com.example.shop.api.ErrorHandler",
                     f"Unhandled exception on {rng.choice(['POST', 'PUT'])} {url()} "
                     f"trace={trace()}: java.lang.IllegalStateException: cart "
                     f"{rng.randrange(1, 200_000)} is locked by checkout {order()} "
                     f"(CartService.java:{rng.randrange(80, 240)})"),
            lambda: ("com.example.shop.notify.EmailSender",
                     f"Failed to send order confirmation to {rng.choice(users)}@example.com: "
                     f"SMTPException: 451 4.7.1 Try again later (attempt {rng.randrange(1, 6)}, "
                     f"trace={trace()})"),
            lambda: ("com.example.shop.orders.OrderService",
                     f"Order {order()} failed: InventoryUnavailableException: product "
                     f"{rng.randrange(1, 200_000)} has {rng.randrange(0, 3)} in stock, "
                     f"{rng.randrange(3, 9)} requested"),
        ],
    }
    levels = ["INFO"] * 15 + ["DEBUG"] * 2 + ["WARN"] * 2 + ["ERROR"]
    millis = 1_764_842_400_000  # 2025-12-04 10:00 UTC; the lines a few milliseconds apart
    lines = []
    for _ in range(count):
        millis += rng.randrange(0, 40)
        seconds, ms = divmod(millis, 1000)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{ms:03d}Z"
        level = rng.choice(levels)
        logger, message = rng.choice(messages[level])()
        lines.append(f"{stamp} {level:5} [{rng.choice(threads)}] {logger} - {message}")
    text = "\n".join(lines) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


CLIENTS = ["ours", "librdkafka", "java"]
SINKS = ["mock cluster", "our broker", "our broker in memory", "real Kafka"]
# Stage 30's kafka-server-start, built for release (--memory-broker): the log in memory.
MEMORY_BROKER = None
# The log-lines file (write_log_lines), in OUT_DIR.
PAYLOAD_FILE = None
PARTITIONS = 6
TOPIC = "perf"
# Cells that cannot run, and why (the table says so).
CANNOT = {
    ("mock cluster", "java"): "librdkafka 2.0.2's mock cluster serves Metadata v0-2 only, and "
                              "Kafka's 4.x Java producer never gets its metadata from it",
}
KAFKA_CLUSTER = Path(__file__).resolve().parent.parent / "kafka" / "kafka-cluster"


def java_available():
    """Java and Kafka's jars (fetched by Maven on first use) for the Java producer and the
    real Kafka; False, with the reason printed, where they cannot be had."""
    done = subprocess.run([str(KAFKA_CLUSTER), "fetch"], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"  no Java producer and no real Kafka: {done.stderr.strip()}", flush=True)
    return done.returncode == 0


def kafka_version():
    return subprocess.run([str(KAFKA_CLUSTER), "version"], capture_output=True, text=True,
                          check=True).stdout.strip()


def kafka_classpath():
    return subprocess.run([str(KAFKA_CLUSTER), "classpath"], capture_output=True, text=True,
                          check=True).stdout.strip()


def cpu_seconds_of(pid):
    """utime + stime of a process, from /proc/PID/stat, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


class Sink:
    """A broker process for one run: started fresh, stopped after, its CPU time kept."""

    def __init__(self, kind, bin_dir, scratch):
        self.kind = kind
        if kind == "real Kafka":
            self._start_kafka(scratch)
            return
        self.log_dir = None
        if kind == "mock cluster":
            command = [str(bin_dir / "perf" / "mock-cluster-sink"), "--brokers", "1",
                       "--topic", TOPIC, "--partitions", str(PARTITIONS)]
            pattern = re.compile(r"bootstrap\.servers=(\S+)")
        else:
            program = MEMORY_BROKER if kind == "our broker in memory" else (
                bin_dir / "kafka-server-start")
            command = [str(program),
                       "--override", "listeners=PLAINTEXT://127.0.0.1:0",
                       "--override", f"num.partitions={PARTITIONS}"]
            if kind == "our broker":
                self.log_dir = Path(tempfile.mkdtemp(prefix="broker-logs-", dir=scratch))
                command += ["--override", f"log.dirs={self.log_dir}"]
            pattern = re.compile(r"listening on PLAINTEXT://(\S+)")
        # Standard input stays a pipe: the mock sink ends when it closes.
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        match = pattern.search(line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"{kind} did not say where it listens: {line!r}")
        self.bootstrap = match.group(1)
        self.cpu_at_start = 0.0

    def _start_kafka(self, scratch):
        """A fresh one-node Kafka in scratch/kafka, the topic created before the run; its CPU
        time is counted from then (the JVM's start and the topic's creation are not)."""
        self.kafka_dir = scratch / "kafka"
        started = subprocess.run(
            [str(KAFKA_CLUSTER), "start", "--port", "0", "--dir", str(self.kafka_dir),
             "--owner", str(os.getpid())], capture_output=True, text=True, timeout=300)
        match = re.search(r"bootstrap\.servers=(\S+)", started.stdout)
        if started.returncode != 0 or not match:
            raise RuntimeError(f"the real Kafka did not start:\n{started.stderr}")
        self.bootstrap = match.group(1)
        created = subprocess.run(
            [str(KAFKA_CLUSTER), "run", "org.apache.kafka.tools.TopicCommand", "--create",
             "--bootstrap-server", self.bootstrap, "--topic", TOPIC, "--partitions",
             str(PARTITIONS), "--replication-factor", "1"], capture_output=True, text=True)
        if created.returncode != 0:
            self.stop()
            raise RuntimeError(f"creating {TOPIC} failed:\n{created.stdout}{created.stderr}")
        time.sleep(1)  # the leader loads the new partitions a moment after they are created
        self.pid = int((self.kafka_dir / "node-1" / "pid").read_text())
        self.cpu_at_start = cpu_seconds_of(self.pid)

    def stop(self):
        """Stops the sink; returns the CPU seconds it used during the run."""
        if self.kind == "real Kafka":
            cpu = cpu_seconds_of(self.pid) - self.cpu_at_start
            subprocess.run([str(KAFKA_CLUSTER), "stop", "--timeout", "10", "--dir",
                            str(self.kafka_dir)], capture_output=True)
            shutil.rmtree(self.kafka_dir, ignore_errors=True)
            return cpu
        cpu = cpu_seconds_of(self.process.pid)
        self.process.terminate()
        try:
            self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
        if self.log_dir:
            shutil.rmtree(self.log_dir, ignore_errors=True)
        return cpu


def run_client(client, bin_dir, sink, workload, out_json):
    if client == "java":
        return run_java_client(sink, workload)
    _, _, records, _, throughput = workload[:5]
    tool = bin_dir / ("kafka-producer-perf-test" if client == "ours"
                      else "perf/rdkafka-producer-perf-test")
    props = workload_props(workload, sink)
    command = [str(tool), "--topic", TOPIC, "--num-records", str(records)]
    command += payload_flags(workload)
    command += ["--throughput", str(throughput), "--producer-props"]
    command += [f"{k}={v}" for k, v in props.items()]
    command += ["--bench-json", str(out_json)]
    # The ratio: ours always puts its compression-rate-avg into the JSON; librdkafka's twin
    # works it out from librdkafka's statistics, which its --print-metrics turns on.
    if client == "librdkafka" and compresses(workload):
        command += ["--print-metrics"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    summary = summary_line(done.stdout)
    if done.returncode != 0 or not summary:
        raise RuntimeError(f"{client} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(Path(out_json).read_text()), summary


def summary_line(stdout):
    """A perf tool's closing line, the run's totals (metrics and other lines may follow it)."""
    lines = [line for line in stdout.splitlines() if JAVA_SUMMARY.search(line)]
    return lines[-1] if lines else ""


# ProducerPerformance's closing line: "N records sent, R records/sec (M MB/sec), A ms avg
# latency, X ms max latency, P ms 50th, P ms 95th, P ms 99th, P ms 99.9th."
JAVA_SUMMARY = re.compile(
    r"(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency, "
    r"([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th")


# ProducerPerformance's --print-metrics line with the ratio (Kafka's ToolsUtils.printMetrics).
JAVA_COMPRESSION_RATE = re.compile(
    r"^producer-metrics:compression-rate-avg:\{[^}]*\}\s*:\s*([\d.]+|NaN)\s*$", re.MULTILINE)


def run_java_client(sink, workload):
    """Kafka's ProducerPerformance with the same flags; its CPU time and peak memory from the
    JVM's resource usage (the JVM's start included: that is what running it costs). For the
    ratio, --print-metrics: the tool then prints the producer's metrics after its last line
    (and flushes instead of closing before that line, which changes nothing measured here)."""
    _, _, records, _, throughput = workload[:5]
    props = workload_props(workload, sink)
    command = ["java", "-Xms512m", "-Xmx512m", "-cp", kafka_classpath(),
               "-Dlog4j2.configurationFile=" + str(KAFKA_CLUSTER.parent / "log4j2-tools.properties"),
               "org.apache.kafka.tools.ProducerPerformance", "--topic", TOPIC, "--num-records",
               str(records)] + payload_flags(workload) + [
               "--throughput", str(throughput), "--producer-props"]
    command += [f"{k}={v}" for k, v in props.items()]
    if compresses(workload):
        command += ["--print-metrics"]
    # Output to files, so that wait4 can reap the JVM and give its own resource usage.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        timer = threading.Timer(600, process.kill)  # as the other producers' 600 s bound
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    summary = summary_line(stdout)
    match = JAVA_SUMMARY.search(summary)
    if process.returncode != 0 or not match:
        raise RuntimeError(f"java failed ({process.returncode}):\n{stdout}\n{stderr}")
    sent, rate, mb, avg, peak, p50, p95, p99, p999 = match.groups()
    figures = {"client": "java", "version": "kafka-clients", "records": int(sent), "errors": 0,
               "records_per_sec": float(rate), "mb_per_sec": float(mb),
               "latency_ms": {"avg": float(avg), "max": float(peak), "p50": float(p50),
                              "p95": float(p95), "p99": float(p99), "p999": float(p999)},
               "cpu_seconds": usage.ru_utime + usage.ru_stime,
               "peak_rss_mib": usage.ru_maxrss / 1024}
    rate = JAVA_COMPRESSION_RATE.search(stdout)
    if rate and rate.group(1) != "NaN":
        figures["compression_rate"] = float(rate.group(1))
    return figures, summary


def loopback(bin_dir, write_size):
    out = Path("/tmp") / f"loopback-{os.getpid()}.json"
    subprocess.run([str(bin_dir / "perf" / "loopback-tcp"), "--seconds", "3", "--write-size",
                    str(write_size), "--json", str(out)], check=True, capture_output=True)
    figures = json.loads(out.read_text())
    out.unlink()
    return figures["mb_per_sec"]


def median_and_range(values):
    return statistics.median(values), min(values), max(values)


# The row the loopback ceiling is a goal for (goals()), and where the ceiling is measured again.
CEILING_ROW = ("mock cluster", "10 KB")


def held_against(ceiling):
    """The ceiling the goal and the chart use: the median of those measured beside
    CEILING_ROW, or the run's first if there are none."""
    return ceiling["beside"][0] if "beside" in ceiling else ceiling["bulk"]


def measure(bin_dir, out_dir, rounds, workloads, sinks, clients):
    """Every run, and the loopback ceiling measured beside CEILING_ROW: once in each of its
    rounds, before the producers. A shared virtual machine has slow and fast spells lasting
    minutes; a ceiling taken only at the start of a 15-minute run can land in another spell
    than the row it is held against (one run here: 2,953 MB/s at the start, 3,800 to 4,100
    in the minutes around it)."""
    runs, ceilings = [], []
    scratch = out_dir / "runs"
    scratch.mkdir(parents=True, exist_ok=True)
    for sink_kind in sinks:
        for workload in workloads:
            for round_number in range(rounds):
                if (sink_kind, workload[0]) == CEILING_ROW:
                    ceilings.append(loopback(bin_dir, 262144))
                    print(f"  {sink_kind:12} {workload[0]:36} {'loopback':10} "
                          f"{ceilings[-1]:.0f} MB/s", flush=True)
                # Rotate who goes first, so that no one always meets a warmer machine.
                shift = round_number % len(clients)
                order = clients[shift:] + clients[:shift]
                for client in order:
                    if (sink_kind, client) in CANNOT:
                        continue
                    sink = Sink(sink_kind, bin_dir, scratch)
                    try:
                        figures, summary = run_client(
                            client, bin_dir, sink, workload,
                            scratch / f"{client}-{len(runs)}.json")
                    finally:
                        sink_cpu = sink.stop()
                    figures.update(sink=sink_kind, workload=workload[0], round=round_number,
                                   sink_cpu_seconds=sink_cpu)
                    runs.append(figures)
                    print(f"  {sink_kind:12} {workload[0]:36} {client:10} {summary}", flush=True)
    return runs, ceilings


def compression_ratio(cell, workload):
    """How many times the codec shrank the batches' records: uncompressed size over
    compressed, the median over the runs of 1 / compression-rate-avg (Kafka's metric: the
    records' compressed size over their size, averaged over the batches; librdkafka's twin
    works the same out from librdkafka's statistics). None for the rows that do not show it;
    "n/a" where a run could not measure it."""
    if not compresses(workload):
        return None
    rates = [r.get("compression_rate") for r in cell]
    if any(rate is None or rate <= 0 for rate in rates):
        return "n/a"
    return statistics.median(1 / rate for rate in rates)


def summarise(runs, workloads):
    rows = []
    for sink_kind in SINKS:
        for workload in workloads:
            for client in CLIENTS:
                cell = [r for r in runs if r["sink"] == sink_kind and r["workload"] == workload[0]
                        and r["client"] == client]
                if not cell:
                    continue
                per_million = 1e6 / cell[0]["records"]
                rows.append({
                    "sink": sink_kind,
                    "workload": workload[0],
                    "client": client,
                    "runs": len(cell),
                    "records": cell[0]["records"],
                    "records_per_sec": median_and_range([r["records_per_sec"] for r in cell]),
                    "mb_per_sec": median_and_range([r["mb_per_sec"] for r in cell]),
                    "p50_ms": statistics.median(r["latency_ms"]["p50"] for r in cell),
                    "p99_ms": statistics.median(r["latency_ms"]["p99"] for r in cell),
                    "cpu_per_million": statistics.median(r["cpu_seconds"] * per_million
                                                         for r in cell),
                    "sink_cpu_per_million": statistics.median(
                        r["sink_cpu_seconds"] * per_million for r in cell),
                    "peak_rss_mib": statistics.median(r["peak_rss_mib"] for r in cell),
                    "compression_ratio": compression_ratio(cell, workload),
                })
    return rows

# The course's performance goals (issue 21), in the Performance page's words: each compares two rows of the same run.
BUFFER_MEMORY_MIB = int(COMMON_PROPS["buffer.memory"]) / 2**20
LATENCY = "latency, 100 B at 10k/s, linger 0"


def find_row(rows, sink, workload, client):
    match = [r for r in rows if r["sink"] == sink and r["workload"] == workload
             and r["client"] == client]
    return match[0] if match else None


def goals(rows, ceiling):
    """Each of the course's performance goals, met or not, with the figures that decide it;
    a goal whose rows did not run in this run says so."""
    lines = ["| goal | sink | result | verdict |", "|---|---|---|---|"]

    def rate(row):
        return row["records_per_sec"][0]

    def verdict(ok):
        return "**met**" if ok else "**not met**"

    def add(goal, sink, text, ok):
        lines.append(f"| {goal} | {sink} | {text} | {verdict(ok)} |")

    for sink, target in (("mock cluster", 1.25), ("our broker", 1.0)):
        ours, theirs = find_row(rows, sink, "100 B", "ours"), find_row(rows, sink, "100 B",
                                                                       "librdkafka")
        if ours and theirs:
            ratio = rate(ours) / rate(theirs)
            add(f"100 B: ≥ {target:.2f}x librdkafka's records/s", sink,
                f"{rate(ours):,.0f} against {rate(theirs):,.0f} records/s: {ratio:.2f}x",
                ratio >= target)
    for sink in SINKS:
        for workload in ("100 B", "1 KB", "10 KB"):
            ours, java = find_row(rows, sink, workload, "ours"), find_row(rows, sink, workload,
                                                                          "java")
            if not (ours and java):
                continue
            ratio = rate(ours) / rate(java)
            cpu = (ours["cpu_per_million"], java["cpu_per_million"])
            rss = (ours["peak_rss_mib"], java["peak_rss_mib"])
            add(f"{workload}: ≥ 1.0x the Java producer's records/s, less CPU and memory", sink,
                f"{ratio:.2f}x ({rate(ours):,.0f} against {rate(java):,.0f}); CPU "
                f"{cpu[0]:.2f} against {cpu[1]:.2f} s/M records; peak RSS {rss[0]:.0f} against "
                f"{rss[1]:.0f} MiB", ratio >= 1.0 and cpu[0] < cpu[1] and rss[0] < rss[1])
    ours = find_row(rows, *CEILING_ROW, "ours")
    if ours:
        against = held_against(ceiling)
        share = ours["mb_per_sec"][0] / against
        add(f"{CEILING_ROW[1]}: ≥ 80 % of loopback TCP", CEILING_ROW[0],
            f"{ours['mb_per_sec'][0]:,.0f} of {against:,.0f} MB/s: {share:.0%}",
            share >= 0.8)
    for sink in SINKS:
        ours, theirs = find_row(rows, sink, LATENCY, "ours"), find_row(rows, sink, LATENCY,
                                                                       "librdkafka")
        if not (ours and theirs):
            continue
        cpu = ours["cpu_per_million"] / theirs["cpu_per_million"]
        add("linger.ms=0: p99 ≤ librdkafka's, CPU per record ≤ 1.5x", sink,
            f"p99 {ours['p99_ms']:.2f} against {theirs['p99_ms']:.2f} ms; CPU {cpu:.1f}x "
            f"({ours['cpu_per_million']:.1f} against {theirs['cpu_per_million']:.1f} s/M)",
            ours["p99_ms"] <= theirs["p99_ms"] and cpu <= 1.5)
    for workload in ("100 B", "10 KB"):
        mine, kafka = (find_row(rows, "our broker", workload, "ours"),
                       find_row(rows, "real Kafka", workload, "ours"))
        if not (mine and kafka):
            continue
        ratio = rate(mine) / rate(kafka)
        cpu = (mine["sink_cpu_per_million"], kafka["sink_cpu_per_million"])
        add(f"{workload}: our broker ingests ≥ real Kafka, with less CPU", "our broker, real Kafka",
            f"{ratio:.2f}x ({rate(mine):,.0f} against {rate(kafka):,.0f} records/s from our "
            f"producer); broker CPU {cpu[0]:.2f} against {cpu[1]:.2f} s/M records",
            ratio >= 1.0 and cpu[0] < cpu[1])
    peak = [r["peak_rss_mib"] for r in rows if r["client"] == "ours"]
    if peak:
        add(f"peak RSS ≤ buffer.memory + 32 MiB ({BUFFER_MEMORY_MIB + 32:.0f} MiB)", "every sink",
            f"at most {max(peak):.0f} MiB", max(peak) <= BUFFER_MEMORY_MIB + 32)
    if len(lines) == 2:
        return ""
    return "\n".join(["", "The course's goals, from the rows above:", ""] + lines) + "\n"


def records_per_run(rows):
    """How many records each workload's runs sent, in the rows' order."""
    counts = {}
    for row in rows:
        counts.setdefault(row["workload"], row["records"])
    return counts


def markdown(rows, ceiling, machine, rounds):
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {machine}; median of {rounds} runs per cell "
        "(range in brackets), producers taking turns. MB is 2^20 bytes, as in Kafka's tool. "
        "java is Kafka's ProducerPerformance (kafka-clients "
        f"{kafka_version()}), timed by its own clock from its first send; its CPU time includes "
        "the JVM's start. real Kafka is Apache Kafka "
        f"{kafka_version()}, one KRaft node; its CPU is counted from the run's start. "
        "our broker is the final code, its log on disk in Kafka's format (a fresh log.dirs each "
        "run, no fsync, as Kafka's defaults); our broker in memory is chapter 30's, built the "
        "same way. "
        "Settings for every producer: acks=1, linger.ms=5 (0 for the latency row), batch.size=65536, "
        "buffer.memory=33554432, max.in.flight=5, no compression (the log-lines rows: the codec "
        "named, at its default level), no idempotence (the acks=all rows: without and with "
        "enable.idempotence, what idempotence costs), "
        f"{PARTITIONS} partitions, key-less records. Records per run: "
        + "; ".join(f"{name}: {count:,}" for name, count in records_per_run(rows).items())
        + "." + (
            " The log-lines rows send the lines of an application's log (10,000 lines of 100 to "
            "300 bytes, written by the benchmark, the same every run), a line picked at random "
            "for each record (--payload-file); ratio is how many times the codec shrank the "
            "batches' records: for ours and java 1 / compression-rate-avg, Kafka's mean over "
            "batches, which small batches pull down; for librdkafka the run's bytes before over "
            "bytes after, from its statistics (the two do not compare directly)."
            if any(row.get("compression_ratio") is not None for row in rows) else ""),
        "",
        f"Loopback TCP on the same machine in the same run: **{ceiling['bulk']:.0f} MB/s** with "
        f"256 KiB writes, {ceiling['10k']:.0f} MB/s with 10 KB writes."
        + (f" Beside the {CEILING_ROW[1]} rows on the {CEILING_ROW[0]}, once a round: "
           f"**{ceiling['beside'][0]:.0f} MB/s** ({ceiling['beside'][1]:.0f}-"
           f"{ceiling['beside'][2]:.0f}) with 256 KiB writes, the ceiling their goal is held "
           "against." if "beside" in ceiling else ""),
        "",
        "| sink | workload | producer | records/s | MB/s | ratio | p50 ms | p99 ms | "
        "client CPU s / M records | sink CPU s / M records | peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (sink, client), why in CANNOT.items():
        if any(r["sink"] == sink for r in rows) and any(r["client"] == client for r in rows):
            lines.insert(2, f"Not measured: {client} → {sink}: {why}.\n")
    for row in rows:
        rate, low, high = row["records_per_sec"]
        mb = row["mb_per_sec"][0]
        ratio = row.get("compression_ratio")
        ratio = "-" if ratio is None else ratio if isinstance(ratio, str) else f"{ratio:.2f}"
        lines.append(
            f"| {row['sink']} | {row['workload']} | {row['client']} | "
            f"{rate:,.0f} ({low:,.0f}-{high:,.0f}) | {mb:.1f} | {ratio} | {row['p50_ms']:.2f} | "
            f"{row['p99_ms']:.2f} | {row['cpu_per_million']:.2f} | "
            f"{row['sink_cpu_per_million']:.2f} | {row['peak_rss_mib']:.0f} |")
    return "\n".join(lines) + "\n"


def chart(rows, workloads, ceiling, out_svg):
    """Two panels of grouped bars over the throughput runs: records/s (what per-record work
    decides) and MB/s (what per-byte work decides), with loopback TCP's ceiling on the second.
    The log-lines rows are the table's alone: their point is the ratio beside the rate. False
    when there is nothing to draw."""
    throughput = [w[0] for w in workloads if w[4] < 0 and not compresses(w)]
    if not throughput:
        return False
    series = [(sink, client) for sink in SINKS for client in CLIENTS
              if any(r["sink"] == sink and r["client"] == client for r in rows)]
    data = out_svg.with_suffix(".dat")
    with data.open("w") as out:
        out.write("workload " + " ".join(f'"{c} → {s}"' for s, c in series) + " "
                  + " ".join(f'"mb{i}"' for i in range(len(series))) + "\n")
        for name in throughput:
            rates, mbs = [], []
            for sink, client in series:
                match = [r for r in rows if r["sink"] == sink and r["client"] == client
                         and r["workload"] == name]
                rates.append(f"{match[0]['records_per_sec'][0] / 1e6:.4f}" if match else "0")
                mbs.append(f"{match[0]['mb_per_sec'][0]:.1f}" if match else "0")
            out.write(f'"{name}" ' + " ".join(rates) + " " + " ".join(mbs) + "\n")
    n = len(series)
    script = f"""
set terminal svg size 1000,420 dynamic font "sans,11" background rgb "white"
set output "{out_svg}"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set yrange [0:*]
set xrange [-0.5:{len(throughput) - 0.5}]
set multiplot layout 1,2
set title "Records per second (millions)"
set key top right
plot for [i=2:{n + 1}] "{data}" using i:xtic(1) title columnheader(i)
set title "MiB per second (dashed: loopback TCP)"
set key off
set yrange [0:{held_against(ceiling) * 1.1:.0f}]
set arrow 1 from graph 0, first {held_against(ceiling):.1f} to graph 1, first {held_against(ceiling):.1f} \\
    nohead dashtype 2 lc rgb "black"
plot for [i={n + 2}:{2 * n + 1}] "{data}" using i:xtic(1) title columnheader(i)
unset multiplot
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    data.unlink()
    return True


def workload_names(text):
    """The workloads named in --workloads: comma-separated, though a name may hold a comma of
    its own ("log lines, lz4"), so pieces are joined until they make a name."""
    names = {w[0] for w in WORKLOADS}
    wanted, pending = [], []
    for piece in text.split(","):
        if not pending and not piece.strip():
            continue
        pending.append(piece)
        if ",".join(pending).strip() in names:
            wanted.append(",".join(pending).strip())
            pending = []
    if pending:
        raise RuntimeError(f"unknown workload '{pending[0].strip()}' in '{text}'")
    return wanted


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="a tenth of the records, one round: to try the harness")
    parser.add_argument("--page", type=Path, help="a Markdown page to put the table into")
    parser.add_argument("--chart", type=Path, help="where the page expects the chart")
    parser.add_argument("--sinks", default=",".join(SINKS),
                        help=f"which sinks, of {', '.join(SINKS)} (comma-separated)")
    parser.add_argument("--clients", default=",".join(CLIENTS),
                        help=f"which producers, of {', '.join(CLIENTS)} (comma-separated)")
    parser.add_argument("--workloads", default=",".join(w[0] for w in WORKLOADS),
                        help="which workloads, by name (comma-separated)")
    parser.add_argument("--memory-broker", type=Path,
                        help="stage 30's kafka-server-start, for the sink 'our broker in memory'")
    parser.add_argument("--section", help="the page's section for the table: no chart")
    parser.add_argument("--redraw", action="store_true",
                        help="no measuring: draw the chart again from OUT_DIR/side-by-side.json")
    args = parser.parse_args()
    bin_dir = args.build_dir / "bin"
    sinks = [name for name in args.sinks.split(",") if name]
    clients = [name for name in args.clients.split(",") if name]
    for name in sinks + clients:
        if name not in SINKS + CLIENTS:
            raise RuntimeError(f"unknown sink or producer '{name}'")
    wanted = workload_names(args.workloads)
    workloads = [w for w in WORKLOADS if w[0] in wanted]
    rounds = args.rounds
    if args.quick:
        workloads = [(w[0], w[1], max(w[2] // 10, 1000)) + tuple(w[3:]) for w in workloads]
        rounds = 1
    global MEMORY_BROKER
    MEMORY_BROKER = args.memory_broker
    if "our broker in memory" in sinks and not (MEMORY_BROKER and MEMORY_BROKER.exists()):
        print("  no stage-30 broker (--memory-broker): 'our broker in memory' is left out",
              flush=True)
        sinks = [name for name in sinks if name != "our broker in memory"]
    args.out_dir.mkdir(parents=True, exist_ok=True)
    global PAYLOAD_FILE
    if any(compresses(w) for w in workloads):
        PAYLOAD_FILE = write_log_lines((args.out_dir / "log-lines.txt").resolve())
    if args.redraw:
        saved = json.loads((args.out_dir / "side-by-side.json").read_text())
        for row in saved["rows"]:
            row["records_per_sec"] = tuple(row["records_per_sec"])
            row["mb_per_sec"] = tuple(row["mb_per_sec"])
        drawn = chart(saved["rows"], workloads, saved["loopback_mb_per_sec"],
                      (args.out_dir / "side-by-side.svg").resolve())
        if args.chart and drawn:
            shutil.copy(args.out_dir / "side-by-side.svg", args.chart)
        return

    machine = f"{os.cpu_count()} vCPU {platform.machine()}, Linux {platform.release()}"
    cpu = [l for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")]
    if cpu:
        machine = f"{os.cpu_count()} vCPU {cpu[0].split(':', 1)[1].strip()}"
    if ("java" in clients or "real Kafka" in sinks) and not java_available():
        clients = [name for name in clients if name != "java"]
        sinks = [name for name in sinks if name != "real Kafka"]
    print(f"Loopback TCP (the ceiling), then {len(sinks)} sinks x {len(workloads)} workloads x "
          f"{rounds} rounds x {len(clients)} producers", flush=True)
    ceiling = {"bulk": loopback(bin_dir, 262144), "10k": loopback(bin_dir, 10_000)}
    print(f"  loopback TCP: {ceiling['bulk']:.0f} MB/s (256 KiB writes), "
          f"{ceiling['10k']:.0f} MB/s (10 KB writes)", flush=True)
    runs, beside = measure(bin_dir, args.out_dir, rounds, workloads, sinks, clients)
    if beside:
        ceiling["beside"] = median_and_range(beside)
    rows = summarise(runs, workloads)
    (args.out_dir / "side-by-side.json").write_text(json.dumps(
        {"machine": machine, "loopback_mb_per_sec": ceiling, "rows": rows, "runs": runs},
        indent=1))
    table = markdown(rows, ceiling, machine, rounds) + goals(rows, ceiling)
    (args.out_dir / "side-by-side.md").write_text(table)
    drawn = chart(rows, workloads, ceiling, (args.out_dir / "side-by-side.svg").resolve())
    if args.page:
        publish(table, args.page, args.out_dir / "side-by-side.svg",
                args.chart if drawn else None, args.section)
    print()
    print(table)


def publish(table, page, svg, chart_target, section=None):
    """The table into the page's marked section, the chart where the page shows it."""
    text = page.read_text()
    tag = f"bench:{section}:" if section else "bench:"
    begin, end = f"<!-- {tag}begin -->", f"<!-- {tag}end -->"
    if begin not in text or end not in text:
        raise RuntimeError(f"{page} has no {begin} ... {end} section for the table")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    page.write_text(f"{head}{begin}\n{table}{end}{tail}")
    if chart_target and not section:
        chart_target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(svg, chart_target)


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, subprocess.CalledProcessError, FileNotFoundError) as error:
        print(f"side_by_side.py: {error}", file=sys.stderr)
        sys.exit(1)
