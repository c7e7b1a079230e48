// Kafka's own Java clients (kafka-clients, the version pinned in tools/kafka/pom.xml) as a
// command line, for the tests of tests/realkafka: they run it against a real Kafka and against
// our broker, and compare what it prints with what our producer was told.
//
//   produce BOOTSTRAP TOPIC COUNT ACKS IDEMPOTENCE [KEYED] [KEY=VALUE...]
//       (IDEMPOTENCE: true, false, or "default" to leave enable.idempotence unset)
//       sends value-0.. (keys key-0.. when KEYED is "keyed"); KEY=VALUE pairs are further
//       producer settings (compression.type=zstd); prints "ack PARTITION OFFSET KEY"
//       for each record, in the order sent, or "error CLASS: MESSAGE" and exits 1
//   consume BOOTSTRAP TOPIC
//       assign() every partition (no group), reads from the beginning to the end offsets;
//       prints "record PARTITION OFFSET KEY VALUE" ("-" for a null key)
//   create-topic BOOTSTRAP TOPIC[,TOPIC...] PARTITIONS REPLICATION [KEY=VALUE...]
//       creates the topics with Kafka's Admin client and waits until their leaders serve them
//   leaders BOOTSTRAP TOPIC
//       prints "leader PARTITION NODE ISR-SIZE" for each partition, then "controller NODE":
//       the active controller (the leader of the KRaft quorum)
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public final class RealClients {
    private RealClients() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) usage();
        switch (args[0]) {
            case "produce" -> produce(args);
            case "consume" -> consume(args[1], args[2]);
            case "create-topic" -> createTopic(args);
            case "leaders" -> leaders(args[1], args[2]);
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: RealClients produce|consume|create-topic|leaders BOOTSTRAP TOPIC ...");
        System.exit(2);
    }

    private static void produce(String[] args) throws InterruptedException {
        if (args.length < 6) usage();
        final int count = Integer.parseInt(args[3]);
        boolean keyed = false;
        Properties settings = new Properties();
        for (int i = 6; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv.length == 2) settings.put(kv[0], kv[1]);
            else keyed |= args[i].equals("keyed");
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", args[1]);
        props.put("acks", args[4]);
        if (!args[5].equals("default")) props.put("enable.idempotence", args[5]);
        props.put("linger.ms", "5");
        props.put("max.block.ms", "15000");
        props.put("request.timeout.ms", "10000");
        props.put("delivery.timeout.ms", "20000");
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        props.putAll(settings);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = keyed ? "key-" + i : null;
                keys.add(key);
                acks.add(producer.send(new ProducerRecord<>(args[2], key, "value-" + i)));
            }
            for (int i = 0; i < count; i++) {
                RecordMetadata metadata = acks.get(i).get();
                System.out.println("ack " + metadata.partition() + " " + metadata.offset() + " "
                        + (keys.get(i) == null ? "-" : keys.get(i)));
            }
        } catch (ExecutionException e) {
            fail(e.getCause());
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private static void fail(Throwable e) {
        System.out.println("error " + e.getClass().getName() + ": " + e.getMessage());
        System.out.flush();
        System.exit(1);
    }

    private static void consume(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(15)))
                partitions.add(new TopicPartition(topic, info.partition()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(15));
            final long giveUp = System.currentTimeMillis() + 30_000;
            while (!caughtUp(consumer, end)) {
                if (System.currentTimeMillis() > giveUp) {
                    System.out.println("error timed out before the end offsets " + end);
                    System.exit(1);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200)))
                    System.out.println("record " + r.partition() + " " + r.offset() + " "
                            + (r.key() == null ? "-" : r.key()) + " " + r.value());
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private static boolean caughtUp(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet())
            if (consumer.position(e.getKey()) < e.getValue()) return false;
        return true;
    }

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        return Admin.create(props);
    }

    private static void createTopic(String[] args) throws Exception {
        if (args.length < 5) usage();
        Map<String, String> configs = new HashMap<>();
        for (int i = 5; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            configs.put(kv[0], kv[1]);
        }
        try (Admin admin = admin(args[1])) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : args[2].split(","))
                topics.add(new NewTopic(name, Integer.parseInt(args[3]), Short.parseShort(args[4])).configs(configs));
            admin.createTopics(topics).all().get();
        }
        // Created is not yet served: the leader loads its partitions a moment later, and a
        // produce with acks=0 before that is dropped (Kafka closes the connection). The end
        // offsets are answered only by a leader that serves the partition, so wait for them.
        List<TopicPartition> partitions = new ArrayList<>();
        for (String name : args[2].split(","))
            for (int p = 0; p < Integer.parseInt(args[3]); p++) partitions.add(new TopicPartition(name, p));
        Properties props = new Properties();
        props.put("bootstrap.servers", args[1]);
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.endOffsets(partitions, Duration.ofSeconds(30));
            System.out.println("created " + args[2]);
        }
    }

    private static void leaders(String bootstrap, String topic) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            for (TopicPartitionInfo p : description.partitions())
                System.out.println("leader " + p.partition() + " " + (p.leader() == null ? -1 : p.leader().id())
                        + " " + p.isr().size());
            System.out.println("controller " + admin.describeMetadataQuorum().quorumInfo().get().leaderId());
        }
    }
}
