#!/usr/bin/python3
"""The side-by-side producer benchmark behind `./course bench`.

Our kafka-producer-perf-test and librdkafka's twin (bench/perf) send the same records with the
same settings to the same sink, alternating, three rounds each; the medians go into a Markdown
table and a gnuplot chart. Two sinks: librdkafka's mock cluster and our own broker, each a
fresh process for every run (so that no run pays for the last one's data), with its CPU time
read from /proc before it stops. Loopback TCP's throughput, measured in the same run, is the
ceiling no producer can pass on this machine.

    side_by_side.py BUILD_DIR OUT_DIR [--rounds N] [--quick] [--page PAGE --chart SVG]

Writes OUT_DIR/side-by-side.{json,md,svg}; with --page, also puts the table into PAGE between
the lines <!-- bench:begin --> and <!-- bench:end -->, and copies the chart to SVG (the
site's Performance page). Standard library only (Debian's python3).
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
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

# (name, record size, records, linger.ms, throughput): the sizes, and a fixed-rate
# run at linger.ms=0 for latency (at saturation latency is only queueing time).
WORKLOADS = [
    ("100 B", 100, 2_000_000, 5, -1),
    ("1 KB", 1000, 500_000, 5, -1),
    ("10 KB", 10_000, 50_000, 5, -1),
    ("latency, 100 B at 10k/s, linger 0", 100, 50_000, 0, 10_000),
]

CLIENTS = ["ours", "librdkafka"]
SINKS = ["mock cluster", "our broker"]
PARTITIONS = 6
TOPIC = "perf"


def cpu_seconds_of(pid):
    """utime + stime of a process, from /proc/PID/stat, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


class Sink:
    """A broker process for one run: started fresh, stopped after, its CPU time kept."""

    def __init__(self, kind, bin_dir):
        self.kind = kind
        if kind == "mock cluster":
            command = [str(bin_dir / "perf" / "mock-cluster-sink"), "--brokers", "1",
                       "--topic", TOPIC, "--partitions", str(PARTITIONS)]
            pattern = re.compile(r"bootstrap\.servers=(\S+)")
        else:
            command = [str(bin_dir / "kafka-server-start"),
                       "--override", "listeners=PLAINTEXT://127.0.0.1:0",
                       "--override", f"num.partitions={PARTITIONS}"]
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

    def stop(self):
        """Stops the sink; returns the CPU seconds it used."""
        cpu = cpu_seconds_of(self.process.pid)
        self.process.terminate()
        try:
            self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
        return cpu


def run_client(client, bin_dir, sink, workload, out_json):
    _, size, records, linger, throughput = workload
    tool = bin_dir / ("kafka-producer-perf-test" if client == "ours"
                      else "perf/rdkafka-producer-perf-test")
    props = dict(COMMON_PROPS, **{"linger.ms": str(linger), "bootstrap.servers": sink.bootstrap})
    command = [str(tool), "--topic", TOPIC, "--num-records", str(records), "--record-size",
               str(size), "--throughput", str(throughput), "--producer-props"]
    command += [f"{k}={v}" for k, v in props.items()]
    command += ["--bench-json", str(out_json)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{client} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    summary = done.stdout.strip().splitlines()[-1]
    return json.loads(Path(out_json).read_text()), summary


def loopback(bin_dir, write_size):
    out = Path("/tmp") / f"loopback-{os.getpid()}.json"
    subprocess.run([str(bin_dir / "perf" / "loopback-tcp"), "--seconds", "3", "--write-size",
                    str(write_size), "--json", str(out)], check=True, capture_output=True)
    figures = json.loads(out.read_text())
    out.unlink()
    return figures["mb_per_sec"]


def median_and_range(values):
    return statistics.median(values), min(values), max(values)


def measure(bin_dir, out_dir, rounds, workloads):
    runs = []
    scratch = out_dir / "runs"
    scratch.mkdir(parents=True, exist_ok=True)
    for sink_kind in SINKS:
        for workload in workloads:
            for round_number in range(rounds):
                # Alternate who goes first, so that neither always meets a warmer machine.
                order = CLIENTS if round_number % 2 == 0 else list(reversed(CLIENTS))
                for client in order:
                    sink = Sink(sink_kind, bin_dir)
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
    return runs


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
                    "records_per_sec": median_and_range([r["records_per_sec"] for r in cell]),
                    "mb_per_sec": median_and_range([r["mb_per_sec"] for r in cell]),
                    "p50_ms": statistics.median(r["latency_ms"]["p50"] for r in cell),
                    "p99_ms": statistics.median(r["latency_ms"]["p99"] for r in cell),
                    "cpu_per_million": statistics.median(r["cpu_seconds"] * per_million
                                                         for r in cell),
                    "sink_cpu_per_million": statistics.median(
                        r["sink_cpu_seconds"] * per_million for r in cell),
                    "peak_rss_mib": statistics.median(r["peak_rss_mib"] for r in cell),
                })
    return rows


def markdown(rows, ceiling, machine, rounds):
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {machine}; median of {rounds} runs per cell "
        "(range in brackets), clients alternating. MB is 2^20 bytes, as in Kafka's tool. "
        "Settings for both: acks=1, linger.ms=5 (0 for the latency row), batch.size=65536, "
        "buffer.memory=33554432, max.in.flight=5, no compression, no idempotence, "
        f"{PARTITIONS} partitions, key-less records.",
        "",
        f"Loopback TCP on the same machine in the same run: **{ceiling['bulk']:.0f} MB/s** with "
        f"256 KiB writes, {ceiling['10k']:.0f} MB/s with 10 KB writes.",
        "",
        "| sink | workload | producer | records/s | MB/s | p50 ms | p99 ms | "
        "client CPU s / M records | sink CPU s / M records | peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        rate, low, high = row["records_per_sec"]
        mb = row["mb_per_sec"][0]
        lines.append(
            f"| {row['sink']} | {row['workload']} | {row['client']} | "
            f"{rate:,.0f} ({low:,.0f}-{high:,.0f}) | {mb:.1f} | {row['p50_ms']:.2f} | "
            f"{row['p99_ms']:.2f} | {row['cpu_per_million']:.2f} | "
            f"{row['sink_cpu_per_million']:.2f} | {row['peak_rss_mib']:.0f} |")
    return "\n".join(lines) + "\n"


def chart(rows, workloads, ceiling, out_svg):
    """Two panels of grouped bars over the throughput runs: records/s (what per-record work
    decides) and MB/s (what per-byte work decides), with loopback TCP's ceiling on the second."""
    throughput = [w[0] for w in workloads if w[4] < 0]
    series = [(sink, client) for sink in SINKS for client in CLIENTS]
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
set yrange [0:{ceiling['bulk'] * 1.1:.0f}]
set arrow 1 from graph 0, first {ceiling['bulk']:.1f} to graph 1, first {ceiling['bulk']:.1f} \\
    nohead dashtype 2 lc rgb "black"
plot for [i={n + 2}:{2 * n + 1}] "{data}" using i:xtic(1) title columnheader(i)
unset multiplot
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    data.unlink()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="a tenth of the records, one round: to try the harness")
    parser.add_argument("--page", type=Path, help="a Markdown page to put the table into")
    parser.add_argument("--chart", type=Path, help="where the page expects the chart")
    parser.add_argument("--redraw", action="store_true",
                        help="no measuring: draw the chart again from OUT_DIR/side-by-side.json")
    args = parser.parse_args()
    bin_dir = args.build_dir / "bin"
    workloads = WORKLOADS
    rounds = args.rounds
    if args.quick:
        workloads = [(n, s, max(r // 10, 1000), l, t) for n, s, r, l, t in WORKLOADS]
        rounds = 1
    args.out_dir.mkdir(parents=True, exist_ok=True)
    if args.redraw:
        saved = json.loads((args.out_dir / "side-by-side.json").read_text())
        for row in saved["rows"]:
            row["records_per_sec"] = tuple(row["records_per_sec"])
            row["mb_per_sec"] = tuple(row["mb_per_sec"])
        chart(saved["rows"], workloads, saved["loopback_mb_per_sec"],
              (args.out_dir / "side-by-side.svg").resolve())
        if args.chart:
            shutil.copy(args.out_dir / "side-by-side.svg", args.chart)
        return

    machine = f"{os.cpu_count()} vCPU {platform.machine()}, Linux {platform.release()}"
    cpu = [l for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")]
    if cpu:
        machine = f"{os.cpu_count()} vCPU {cpu[0].split(':', 1)[1].strip()}"
    print(f"Loopback TCP (the ceiling), then {len(SINKS)} sinks x {len(workloads)} workloads x "
          f"{rounds} rounds x {len(CLIENTS)} producers", flush=True)
    ceiling = {"bulk": loopback(bin_dir, 262144), "10k": loopback(bin_dir, 10_000)}
    print(f"  loopback TCP: {ceiling['bulk']:.0f} MB/s (256 KiB writes), "
          f"{ceiling['10k']:.0f} MB/s (10 KB writes)", flush=True)
    runs = measure(bin_dir, args.out_dir, rounds, workloads)
    rows = summarise(runs, workloads)
    (args.out_dir / "side-by-side.json").write_text(json.dumps(
        {"machine": machine, "loopback_mb_per_sec": ceiling, "rows": rows, "runs": runs},
        indent=1))
    table = markdown(rows, ceiling, machine, rounds)
    (args.out_dir / "side-by-side.md").write_text(table)
    chart(rows, workloads, ceiling, (args.out_dir / "side-by-side.svg").resolve())
    if args.page:
        publish(table, args.page, args.out_dir / "side-by-side.svg", args.chart)
    print()
    print(table)


def publish(table, page, svg, chart_target):
    """The table into the page's marked section, the chart where the page shows it."""
    text = page.read_text()
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    if begin not in text or end not in text:
        raise RuntimeError(f"{page} has no {begin} ... {end} section for the table")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    page.write_text(f"{head}{begin}\n{table}{end}{tail}")
    if chart_target:
        chart_target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(svg, chart_target)


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, subprocess.CalledProcessError, FileNotFoundError) as error:
        print(f"side_by_side.py: {error}", file=sys.stderr)
        sys.exit(1)
