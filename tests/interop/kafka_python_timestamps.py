#@ ch31
"""kafka-python against our broker: whose clock stamps the records.

Usage: kafka_python_timestamps.py BOOTSTRAP TOPIC MODE

MODE append-time: the broker runs with log.message.timestamp.type=LogAppendTime. Sends five
records stamped 1000 ms after the epoch, prints "ack OFFSET TIMESTAMP" for each (the timestamp
the producer reports), then reads them back and prints "read OFFSET TIMESTAMP TYPE" (TYPE 1 is
LogAppendTime).

MODE out-of-bounds: sends one record stamped two hours ahead of now, which a broker with
Kafka's default log.message.timestamp.after.max.ms (one hour) refuses; prints "error NAME" or
"ack OFFSET TIMESTAMP".

Exits 3 if kafka-python is missing.
"""
import sys
import time

try:
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.errors import KafkaError
except ImportError:
    print("kafka-python is not installed (apt-get install python3-kafka)")
    sys.exit(3)

bootstrap, topic, mode = sys.argv[1], sys.argv[2], sys.argv[3]
PROBE_TIMEOUT_MS = 10000  # a busy machine may take longer than kafka-python's 2 s default

producer = KafkaProducer(bootstrap_servers=bootstrap, acks=1, retries=0,
                         api_version_auto_timeout_ms=PROBE_TIMEOUT_MS)
if mode == "out-of-bounds":
    future = producer.send(topic, value=b"late", timestamp_ms=int(time.time() * 1000) + 7_200_000)
    try:
        metadata = future.get(timeout=30)
        print(f"ack {metadata.offset} {metadata.timestamp}")
    except KafkaError as error:
        print(f"error {type(error).__name__}")
    producer.close()
    sys.exit(0)

futures = [producer.send(topic, value=f"v{i}".encode(), timestamp_ms=1000) for i in range(5)]
producer.flush(timeout=30)
for future in futures:
    metadata = future.get(timeout=30)
    print(f"ack {metadata.offset} {metadata.timestamp}")
producer.close()

consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                         consumer_timeout_ms=10000, api_version_auto_timeout_ms=PROBE_TIMEOUT_MS)
partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic))]
consumer.assign(partitions)
consumer.seek_to_beginning(*partitions)
read = 0
for message in consumer:
    print(f"read {message.offset} {message.timestamp} {message.timestamp_type}")
    read += 1
    if read == len(futures):
        break
consumer.close()
