#@ ch38
"""kafka-python reads a topic of our broker from the beginning, whatever codec its batches use.

Usage: kafka_python_consume.py BOOTSTRAP TOPIC COUNT

Prints one line per record, "read PARTITION OFFSET VALUE", until COUNT records have come or
ten seconds pass without one. Exits 3 if kafka-python is missing.
"""
import sys

try:
    from kafka import KafkaConsumer, TopicPartition
except ImportError:
    print("kafka-python is not installed (apt-get install python3-kafka)")
    sys.exit(3)

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                         consumer_timeout_ms=10000, api_version_auto_timeout_ms=10000)
partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic))]
consumer.assign(partitions)
consumer.seek_to_beginning(*partitions)
read = 0
for message in consumer:
    print(f"read {message.partition} {message.offset} {message.value.decode()}")
    read += 1
    if read == count:
        break
consumer.close()
