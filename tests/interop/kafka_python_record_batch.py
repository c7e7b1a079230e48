#@ ch07
"""Builds and reads record batch v2 with kafka-python, for KafkaPythonRecordBatchTest.cpp.

    kafka_python_record_batch.py build RECORDS  prints, in hex, kafka-python's batch of them
    kafka_python_record_batch.py read BATCHES   prints what kafka-python reads from the bytes

RECORDS has a line "batch" before each batch's records, then one record a line: timestamp,
key, value, then header key and value pairs. A bytes field is written x<hex> ("x" alone is
empty) or - for null. BATCHES holds one line of hex. `read` prints, for each batch,
    batch <base_offset> <magic> <crc> <attributes> <last_offset_delta> <first_timestamp>
          <max_timestamp> <crc_valid 0/1>
and then, for each of its records,
    record <offset> <timestamp> <key> <value> <header count> <header key> <header value> ...

Exit code 3 means kafka-python is not installed (Debian: python3-kafka).
"""
import sys

try:
    from kafka.record.default_records import DefaultRecordBatchBuilder
    from kafka.record.memory_records import MemoryRecords
except ImportError:
    print("kafka-python is not installed (apt-get install python3-kafka)", file=sys.stderr)
    sys.exit(3)


def decode(field):
    return None if field == "-" else bytes.fromhex(field[1:])


def encode(data):
    return "-" if data is None else "x" + bytes(data).hex()


def build(path):
    batches = []
    with open(path) as lines:
        for line in lines:
            fields = line.split()
            if fields == ["batch"]:
                batches.append([])
                continue
            timestamp, key, value = int(fields[0]), decode(fields[1]), decode(fields[2])
            pairs = fields[3:]
            headers = [(decode(pairs[i]).decode("utf-8"), decode(pairs[i + 1]))
                       for i in range(0, len(pairs), 2)]
            batches[-1].append((timestamp, key, value, headers))
    for records in batches:
        # What a producer without idempotence writes: magic 2, no compression, not
        # transactional, no producer id/epoch/sequence; batch_size large enough for all.
        builder = DefaultRecordBatchBuilder(
            magic=2, compression_type=0, is_transactional=False, producer_id=-1,
            producer_epoch=-1, base_sequence=-1, batch_size=1 << 30)
        for offset, (timestamp, key, value, headers) in enumerate(records):
            if builder.append(offset, timestamp, key, value, headers) is None:
                sys.exit("kafka-python refused record %d" % offset)
        print(bytes(builder.build()).hex())


def read(path):
    with open(path) as hex_file:
        records = MemoryRecords(bytes.fromhex(hex_file.read().strip()))
    while records.has_next():
        batch = records.next_batch()
        valid = batch.validate_crc()  # must come before iterating
        print("batch", batch.base_offset, batch.magic, batch.crc, batch.attributes,
              batch.last_offset_delta, batch.first_timestamp, batch.max_timestamp, int(valid))
        for record in batch:
            headers = []
            for key, value in record.headers:
                headers += [encode(key.encode("utf-8")), encode(value)]
            print("record", record.offset, record.timestamp, encode(record.key),
                  encode(record.value), len(record.headers), *headers)


if __name__ == "__main__":
    {"build": build, "read": read}[sys.argv[1]](sys.argv[2])
