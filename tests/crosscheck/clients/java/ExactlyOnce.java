// Exactly-once with the Java clients of Kafka 4.1.1, as applications use it:
//
//   ExactlyOnce copy BOOTSTRAP PREFIX      a consume-transform-produce loop:
//     a read_committed consumer, a transactional producer, the consumer's
//     offsets sent to the transaction; a committed transaction, an aborted
//     one, a committed one; then what read_committed and read_uncommitted
//     readers see and the group's committed offset.
//   ExactlyOnce streams BOOTSTRAP PREFIX   Kafka Streams word count with
//     processing.guarantee=exactly_once_v2; the final counts a read_committed
//     reader sees.
//
// Prints a transcript on stdout; the test runs it against kafkalite and the
// real Kafka and compares.
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

public final class ExactlyOnce {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long DEADLINE_MS = 90_000;

  public static void main(String[] args) throws Exception {
    String mode = args[0], bootstrap = args[1], prefix = args[2];
    if (mode.equals("copy")) {
      copy(bootstrap, prefix);
    } else {
      streams(bootstrap, prefix);
    }
  }

  static void createTopics(String bootstrap, String... names) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(p)) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) topics.add(new NewTopic(name, 1, (short) 1));
      admin.createTopics(topics).all().get();
    }
  }

  static Properties consumerProps(String bootstrap, String group, String isolation) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    if (group != null) p.put("group.id", group);
    p.put("isolation.level", isolation);
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    return p;
  }

  // Every value of a one-partition topic up to what the isolation level lets
  // the reader see (the end offset is the last stable offset for read_committed).
  static List<String> readAll(String bootstrap, String topic, String isolation) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProps(bootstrap, null, isolation))) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.currentTimeMillis() + DEADLINE_MS;
      while (c.position(tp) < end && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(POLL)) values.add(r.value());
      }
    }
    return values;
  }

  static void copy(String bootstrap, String prefix) throws Exception {
    String in = prefix + "-in", out = prefix + "-out", group = prefix + "-g";
    createTopics(bootstrap, in, out);
    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> plain = new KafkaProducer<>(pp)) {
      for (int i = 0; i < 10; i++) plain.send(new ProducerRecord<>(in, "k" + i, "m" + i));
      plain.flush();
    }
    Properties tp = (Properties) pp.clone();
    tp.put("transactional.id", prefix + "-tx");
    try (KafkaConsumer<String, String> consumer =
             new KafkaConsumer<>(consumerProps(bootstrap, group, "read_committed"));
         KafkaProducer<String, String> producer = new KafkaProducer<>(tp)) {
      producer.initTransactions();
      System.out.println("initTransactions: ok");
      consumer.subscribe(List.of(in));
      List<ConsumerRecord<String, String>> read = new ArrayList<>();
      long deadline = System.currentTimeMillis() + DEADLINE_MS;
      while (read.size() < 10 && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(POLL)) read.add(r);
      }
      System.out.println("consumed: " + read.size());
      producer.beginTransaction();
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (ConsumerRecord<String, String> r : read) {
        producer.send(new ProducerRecord<>(out, r.key(), r.value().toUpperCase()));
        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
      }
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      producer.commitTransaction();
      System.out.println("first transaction: committed");
      producer.beginTransaction();
      for (int i = 0; i < 3; i++) producer.send(new ProducerRecord<>(out, "junk" + i, "JUNK" + i));
      producer.flush();
      producer.abortTransaction();
      System.out.println("second transaction: aborted");
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(out, "last", "AFTER"));
      producer.commitTransaction();
      System.out.println("third transaction: committed");
    }
    System.out.println("read_committed: " + readAll(bootstrap, out, "read_committed"));
    System.out.println("read_uncommitted: " + readAll(bootstrap, out, "read_uncommitted"));
    Properties ap = new Properties();
    ap.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(ap)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      System.out.println("group offsets: " + new TreeMap<>(Collections.singletonMap(
          in + "-0", committed.get(new TopicPartition(in, 0)).offset())));
    }
  }

  static void streams(String bootstrap, String prefix) throws Exception {
    String lines = prefix + "-lines", counts = prefix + "-counts";
    createTopics(bootstrap, lines, counts);
    String[] text = {"to be or not to be", "that is the question", "to be is to do", "do be do be do"};
    Map<String, Long> expected = new TreeMap<>();
    for (String line : text) {
      for (String w : line.split(" ")) expected.merge(w, 1L, Long::sum);
    }
    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> plain = new KafkaProducer<>(pp)) {
      for (String line : text) plain.send(new ProducerRecord<>(lines, null, line));
      plain.flush();
    }
    Properties sp = new Properties();
    sp.put(StreamsConfig.APPLICATION_ID_CONFIG, prefix + "-wordcount");
    sp.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    sp.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    sp.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    sp.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/streams-" + prefix);
    sp.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    sp.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    sp.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(lines, Consumed.with(Serdes.String(), Serdes.String()))
        .flatMapValues(v -> Arrays.asList(v.split(" ")))
        .groupBy((k, w) -> w)
        .count()
        .toStream()
        .to(counts, Produced.with(Serdes.String(), Serdes.Long()));
    Map<String, Long> seen = new TreeMap<>();
    try (KafkaStreams streams = new KafkaStreams(builder.build(), sp)) {
      streams.start();
      Properties cp = consumerProps(bootstrap, null, "read_committed");
      cp.put("value.deserializer", LongDeserializer.class.getName());
      try (KafkaConsumer<String, Long> c = new KafkaConsumer<>(cp)) {
        c.assign(List.of(new TopicPartition(counts, 0)));
        c.seekToBeginning(c.assignment());
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!seen.equals(expected) && System.currentTimeMillis() < deadline) {
          for (ConsumerRecord<String, Long> r : c.poll(POLL)) seen.put(r.key(), r.value());
        }
      }
      System.out.println("state before close: " + streams.state());
    }
    System.out.println("final counts: " + seen);
    System.out.println("as expected: " + seen.equals(expected));
  }
}
