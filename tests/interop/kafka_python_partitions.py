#@ ch06
"""Prints kafka-python's murmur2 and partition for each hex-encoded key read from a file.

Used by KafkaPythonPartitionerTest.cpp: a peer that no one here wrote decides where keys go.
Exit code 3 means kafka-python is not installed (Debian: python3-kafka).
"""
import sys

try:
    from kafka.partitioner.default import DefaultPartitioner, murmur2
except ImportError:
    print("kafka-python is not installed (apt-get install python3-kafka)", file=sys.stderr)
    sys.exit(3)

PARTITION_COUNTS = [1, 2, 3, 6, 10, 12, 100]

with open(sys.argv[1]) as keys:
    for line in keys:
        key = bytes.fromhex(line.strip())
        signed = murmur2(key)
        if signed >= 2**31:
            signed -= 2**32
        partitions = [DefaultPartitioner()(key, list(range(n)), list(range(n)))
                      for n in PARTITION_COUNTS]
        print(signed, *partitions)
