// A Kafka Streams changelog, compacted by the broker's log cleaner, as an
// application and a learner see it:
//
//   StreamsChangelogCompaction BOOTSTRAP PREFIX
//
// A count per key (Kafka Streams 4.1.1, at-least-once, no record cache, so
// every update goes to the changelog) over six keyed records spaced a second
// apart in time. The changelog topic Streams creates is compacted; with
// segment.ms at 100 (a Streams topic override) each update rolls a segment,
// so all but the last are the cleaner's to compact. The program waits until
// the cleaner has run (the changelog no longer starts at offset 0), then
// prints the changelog's configs as Streams made them and the records the
// cleaner left: the newest count per key, at their offsets, and the active
// segment's record.
//
// Prints a transcript on stdout; the test runs it against kafkalite and the
// real Kafka and compares.
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;

public class StreamsChangelogCompaction {
  static final long DEADLINE_MS = 90_000;

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], prefix = args[1];
    String input = prefix + "-input", app = prefix + "-app";
    String changelog = app + "-counts-changelog";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(input, 1, (short) 1))).all().get();
    }
    String[] keys = {"a", "b", "a", "b", "a", "c"};
    long base = System.currentTimeMillis() - 60_000;
    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());

    Properties sp = new Properties();
    sp.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    sp.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    sp.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    sp.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    // A state directory of its own: the same application id runs against each broker.
    sp.put(StreamsConfig.STATE_DIR_CONFIG,
           System.getProperty("java.io.tmpdir") + "/streams-" + prefix + "-" + java.util.UUID.randomUUID());
    sp.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    sp.put(StreamsConfig.topicPrefix("segment.ms"), "100");
    sp.put(StreamsConfig.topicPrefix("min.cleanable.dirty.ratio"), "0.01");
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey()
        .count(Materialized.as("counts"));
    try (KafkaStreams streams = new KafkaStreams(builder.build(), sp);
         KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
      streams.start();
      // One input record at a time, each seen in the changelog before the
      // next: every update is a batch of its own, and (its timestamp a
      // second after the last) rolls a segment.
      // (The cleaner may already be at work: progress is the changelog's
      // end offset, not what is left in it.)
      boolean written = true;
      for (int i = 0; i < keys.length; ++i) {
        producer.send(new ProducerRecord<>(input, 0, base + 1000L * i, keys[i], "x")).get();
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (endOffset(bootstrap, changelog) < i + 1 && System.currentTimeMillis() < deadline) {
          Thread.sleep(50);  // polling the changelog's end, not standing in for a condition
        }
        written &= endOffset(bootstrap, changelog) == i + 1;
      }
      System.out.println("each update in the changelog in turn: " + written);
    }

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      Map<String, String> set = new TreeMap<>();
      for (ConfigEntry e : config.entries()) {
        if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) set.put(e.name(), e.value());
      }
      System.out.println("changelog configs: " + set);
    }

    // The cleaner runs every log.cleaner.backoff.ms (15 s by default).
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    List<String> left = read(bootstrap, changelog);
    while (!left.isEmpty() && left.get(0).startsWith("0:") && System.currentTimeMillis() < deadline) {
      Thread.sleep(500);  // polling for the cleaner's result
      left = read(bootstrap, changelog);
    }
    System.out.println("after the cleaner: " + left);
  }

  // The changelog's end offset (0 until Streams has made it).
  static long endOffset(String bootstrap, String topic) {
    Properties cp = new Properties();
    cp.put("bootstrap.servers", bootstrap);
    cp.put("key.deserializer", ByteArrayDeserializer.class.getName());
    cp.put("value.deserializer", ByteArrayDeserializer.class.getName());
    cp.put("allow.auto.create.topics", "false");
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cp)) {
      if (c.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty()) return 0;
      TopicPartition tp = new TopicPartition(topic, 0);
      return c.endOffsets(List.of(tp)).get(tp);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return 0;
    }
  }

  // Every record of the changelog, as "offset:key=count".
  static List<String> read(String bootstrap, String topic) {
    Properties cp = new Properties();
    cp.put("bootstrap.servers", bootstrap);
    cp.put("key.deserializer", ByteArrayDeserializer.class.getName());
    cp.put("value.deserializer", ByteArrayDeserializer.class.getName());
    cp.put("allow.auto.create.topics", "false");  // the changelog is Streams' to create, with its configs
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cp)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      if (c.partitionsFor(topic, Duration.ofSeconds(5)).isEmpty()) return out;
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.currentTimeMillis() + 10_000;
      while (c.position(tp) < end && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          long count = r.value() == null ? -1 : java.nio.ByteBuffer.wrap(r.value()).getLong();
          out.add(r.offset() + ":" + new String(r.key()) + "=" + count);
        }
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return out;
    }
    return out;
  }
}
