#@ ch30
"""kafka-python against our broker: produce keyed records, then read them all back.

Usage: kafka_python_broker.py BOOTSTRAP TOPIC COUNT

Prints one line per record acknowledged, "ack INDEX PARTITION OFFSET", then one per record
read back, "read PARTITION OFFSET KEY VALUE", for the C++ test to compare. Exits 3 if
kafka-python is missing.
"""
import sys

try:
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
except ImportError:
    print("kafka-python is not installed (apt-get install python3-kafka)")
    sys.exit(3)

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
options = {}
#> ch38
# A fourth argument, the producer's compression_type (gzip, snappy, lz4 or zstd): kafka-python
# then compresses its batches itself, with its own codec modules.
if len(sys.argv) > 4:
    options["compression_type"] = sys.argv[4]
#< ch38

# kafka-python guesses the broker's version from its ApiVersions answer; a machine busy with
# other tests may take longer than the default 2 s to give it.
PROBE_TIMEOUT_MS = 10000

producer = KafkaProducer(bootstrap_servers=bootstrap, acks=1, linger_ms=5,
                         api_version_auto_timeout_ms=PROBE_TIMEOUT_MS, **options)
futures = [
    producer.send(topic, key=f"key-{i}".encode(), value=f"value-{i}".encode())
    for i in range(count)
]
producer.flush(timeout=30)
for i, future in enumerate(futures):
    metadata = future.get(timeout=30)
    print(f"ack {i} {metadata.partition} {metadata.offset}")
producer.close()

consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None,
                         enable_auto_commit=False, consumer_timeout_ms=10000,
                         api_version_auto_timeout_ms=PROBE_TIMEOUT_MS)
partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic))]
consumer.assign(partitions)
consumer.seek_to_beginning(*partitions)
read = 0
for message in consumer:
    print(f"read {message.partition} {message.offset} {message.key.decode()} "
          f"{message.value.decode()}")
    read += 1
    if read == count:
        break
consumer.close()
