// Kafka Connect's internal topics on a broker, and its config topic
// compacted by the broker's log cleaner:
//
//   ConnectConfigCompaction BOOTSTRAP PREFIX
//
// A distributed Connect 4.1.1 worker runs in this process (its config,
// offset and status topics named after PREFIX, segment.ms=1 on the config
// topic as a Connect topic setting, so its records are the cleaner's to
// compact). A connector that does nothing (Quiet, below) is configured three
// times over. The program then prints the three topics' configs as Connect
// made them, waits until the cleaner has compacted the config topic (its
// first configuration gone), and prints which values are left per key.
//
// Prints a transcript on stdout; the test runs it against kafkalite and the
// real Kafka and compares.
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.util.FutureCallback;

public class ConnectConfigCompaction {
  static final long DEADLINE_MS = 90_000;

  // A source connector with one task that produces nothing.
  public static class Quiet extends SourceConnector {
    private Map<String, String> props;
    @Override public void start(Map<String, String> props) { this.props = props; }
    @Override public Class<? extends Task> taskClass() { return QuietTask.class; }
    @Override public List<Map<String, String>> taskConfigs(int max) { return List.of(new HashMap<>(props)); }
    @Override public void stop() {}
    @Override public ConfigDef config() { return new ConfigDef(); }
    @Override public String version() { return "1"; }
  }

  public static class QuietTask extends SourceTask {
    @Override public String version() { return "1"; }
    @Override public void start(Map<String, String> props) {}
    @Override public List<SourceRecord> poll() throws InterruptedException {
      Thread.sleep(100);
      return null;
    }
    @Override public void stop() {}
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], prefix = args[1];
    String configs = prefix + "-configs", offsets = prefix + "-offsets", status = prefix + "-status";
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", bootstrap);
    worker.put("group.id", prefix + "-connect");
    worker.put("config.storage.topic", configs);
    worker.put("offset.storage.topic", offsets);
    worker.put("status.storage.topic", status);
    worker.put("config.storage.replication.factor", "1");
    worker.put("offset.storage.replication.factor", "1");
    worker.put("status.storage.replication.factor", "1");
    worker.put("config.storage.segment.ms", "1");
    worker.put("config.storage.min.cleanable.dirty.ratio", "0.01");
    worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    worker.put("listeners", "http://127.0.0.1:0");
    worker.put("offset.flush.interval.ms", "100");
    worker.put("plugin.discovery", "only_scan");
    Connect<?> connect = new ConnectDistributed().startConnect(worker);
    String name = prefix + "-quiet";
    try {
      for (int version = 1; version <= 3; ++version) {
        Map<String, String> config = Map.of("name", name, "connector.class", Quiet.class.getName(), "tasks.max", "1",
                                            "version.of.config", String.valueOf(version));
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        for (;;) {
          FutureCallback<Object> done = new FutureCallback<>();
          connect.herder().putConnectorConfig(name, config, true, (e, r) -> done.onCompletion(e, r));
          try {
            done.get(30, TimeUnit.SECONDS);
            break;
          } catch (java.util.concurrent.ExecutionException e) {
            // Not yet the group's leader, or still reading the config topic;
            // a configuration it refuses is this program's fault.
            if (e.getCause() instanceof org.apache.kafka.connect.runtime.rest.errors.BadRequestException) throw e;
            if (System.currentTimeMillis() > deadline) throw e;
            Thread.sleep(200);  // retrying a refused request, not waiting on a condition
          }
        }
        // The task's configuration follows the connector's.
        while (System.currentTimeMillis() < deadline) {
          FutureCallback<List<org.apache.kafka.connect.runtime.rest.entities.TaskInfo>> tasks = new FutureCallback<>();
          connect.herder().taskConfigs(name, tasks);
          List<org.apache.kafka.connect.runtime.rest.entities.TaskInfo> got = tasks.get(30, TimeUnit.SECONDS);
          if (!got.isEmpty() && String.valueOf(version).equals(got.get(0).config().get("version.of.config"))) break;
          Thread.sleep(100);  // polling the task's configuration
        }
      }
    } finally {
      connect.stop();
    }

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      for (String topic : List.of(configs, offsets, status)) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        Map<String, String> set = new TreeMap<>();
        for (ConfigEntry e : config.entries()) {
          if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) set.put(e.name(), e.value());
        }
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        System.out.println(topic.substring(prefix.length()) + ": " + partitions + " partition(s), " + set);
      }
    }

    // The cleaner runs every log.cleaner.backoff.ms (15 s by default): wait
    // until the first configuration is gone.
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    Map<String, List<String>> left = values(bootstrap, configs, name);
    while (left.getOrDefault("connector-" + name, List.of()).contains("1")
           && System.currentTimeMillis() < deadline) {
      Thread.sleep(500);  // polling for the cleaner's result
      left = values(bootstrap, configs, name);
    }
    System.out.println("connector configs left: " + left.get("connector-" + name));
    System.out.println("task configs left: " + left.get("task-" + name + "-0"));
    System.out.println("keys left: " + left.keySet());
  }

  // For each key of the config topic: the version.of.config in each of its
  // values still there, in log order ("-" for a value without one, "null"
  // for a tombstone). The worker's session key is left out (random).
  static Map<String, List<String>> values(String bootstrap, String topic, String name) {
    Properties cp = new Properties();
    cp.put("bootstrap.servers", bootstrap);
    cp.put("key.deserializer", StringDeserializer.class.getName());
    cp.put("value.deserializer", StringDeserializer.class.getName());
    cp.put("allow.auto.create.topics", "false");
    Map<String, List<String>> out = new TreeMap<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(cp)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.currentTimeMillis() + 10_000;
      while (c.position(tp) < end && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          if (r.key().equals("session-key")) continue;
          String v = r.value() == null ? "null" : r.value().replaceAll(".*\"version.of.config\":\"(\\d+)\".*", "$1");
          out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(v.length() > 3 ? "-" : v);
        }
      }
    }
    return out;
  }
}
