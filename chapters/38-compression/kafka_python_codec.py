"""Compresses and decompresses with kafka-python's codecs, for KafkaPythonCodecTest.cpp.

    kafka_python_codec.py encode CODEC FILE  prints, in hex, kafka-python's encoding of each input
    kafka_python_codec.py decode CODEC FILE  prints, in hex, kafka-python's decoding of each input

FILE holds one input a line, in hex ("-" for an empty input, so that no line is blank); the
output has one line an input, in the same order, "-" again for nothing. CODEC is gzip, snappy
(xerial's framing, as kafka-python writes it for Kafka), snappy-raw (one raw snappy buffer,
as librdkafka writes it), lz4 (an LZ4 frame) or zstd: the functions of kafka.codec that
kafka-python's producer and consumer call for batches.

Exit code 3 means kafka-python (Debian: python3-kafka) or the module behind the codec
(python3-snappy, python3-lz4, python3-zstandard) is not installed.
"""
import sys

try:
    from kafka import codec
except ImportError:
    print("kafka-python is not installed (apt-get install python3-kafka)", file=sys.stderr)
    sys.exit(3)

# What each codec needs, and where Debian has it.
AVAILABLE = {
    "gzip": (codec.has_gzip, "python3 (gzip)"),
    "snappy": (codec.has_snappy, "python3-snappy"),
    "snappy-raw": (codec.has_snappy, "python3-snappy"),
    "lz4": (codec.has_lz4, "python3-lz4"),
    "zstd": (codec.has_zstd, "python3-zstandard"),
}

ENCODE = {
    "gzip": codec.gzip_encode,
    "snappy": codec.snappy_encode,
    "snappy-raw": lambda data: codec.snappy_encode(data, xerial_compatible=False),
    "lz4": codec.lz4_encode,
    "zstd": codec.zstd_encode,
}

DECODE = {
    "gzip": codec.gzip_decode,
    "snappy": codec.snappy_decode,
    "snappy-raw": codec.snappy_decode,
    "lz4": codec.lz4_decode,
    "zstd": codec.zstd_decode,
}


def main(mode, name, path):
    available, package = AVAILABLE[name]
    if not available():
        print("kafka-python cannot use %s: %s is not installed" % (name, package), file=sys.stderr)
        sys.exit(3)
    convert = {"encode": ENCODE, "decode": DECODE}[mode][name]
    with open(path) as lines:
        for line in lines:
            line = line.strip()
            data = b"" if line == "-" else bytes.fromhex(line)
            print(bytes(convert(data)).hex() or "-")


if __name__ == "__main__":
    main(*sys.argv[1:4])
