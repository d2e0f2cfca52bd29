// Two Java 4.1.1 consumers with group.protocol=consumer (KIP-848) on a topic
// of 4 partitions:
//
//   NewProtocolGroup BOOTSTRAP PREFIX
//
// A joins alone and reads everything; B joins and the broker splits the
// partitions 2 and 2, A giving up only what B gets (an incremental
// rebalance: A's revocations are exactly the two partitions B is given); B
// leaves and A takes them back; offsets committed along the way are what a
// new consumer of the group resumes from. Prints a transcript on stdout
// (counts and relations, not partition numbers: which two A keeps is the
// assignor's choice over random member ids); the test runs it against
// kafkalite and the real Kafka and compares.
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public final class NewProtocolGroup {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long DEADLINE_MS = 60_000;

  static final class Member implements ConsumerRebalanceListener {
    final KafkaConsumer<String, String> consumer;
    final Set<Integer> revoked = new TreeSet<>();
    final Set<Integer> assignedEvents = new TreeSet<>();
    int records = 0;

    Member(String bootstrap, String group, String topic, String name) {
      Properties p = new Properties();
      p.put("bootstrap.servers", bootstrap);
      p.put("group.id", group);
      p.put("group.protocol", "consumer");
      p.put("client.id", name);
      p.put("auto.offset.reset", "earliest");
      p.put("enable.auto.commit", "false");
      p.put("key.deserializer", StringDeserializer.class.getName());
      p.put("value.deserializer", StringDeserializer.class.getName());
      consumer = new KafkaConsumer<>(p);
      consumer.subscribe(List.of(topic), this);
    }

    void poll() {
      for (ConsumerRecord<String, String> r : consumer.poll(POLL)) records++;
    }

    Set<Integer> owned() {
      Set<Integer> out = new TreeSet<>();
      for (TopicPartition tp : consumer.assignment()) out.add(tp.partition());
      return out;
    }

    @Override
    public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) revoked.add(tp.partition());
      consumer.commitSync();
    }

    @Override
    public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) assignedEvents.add(tp.partition());
    }
  }

  static void until(String what, BooleanSupplier done, Member... members) {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("timed out waiting for " + what);
      for (Member m : members) m.poll();
    }
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0], prefix = args[1];
    String topic = prefix + "-t", group = prefix + "-g";
    Properties admin = new Properties();
    admin.put("bootstrap.servers", bootstrap);
    try (Admin a = Admin.create(admin)) {
      a.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
    }
    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    pp.put("key.serializer", StringSerializer.class.getName());
    pp.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
      for (int i = 0; i < 40; i++) producer.send(new ProducerRecord<>(topic, i % 4, "k" + i, "v" + i));
    }

    Member a = new Member(bootstrap, group, topic, "member-a");
    until("A to read everything", () -> a.records >= 40 && a.owned().size() == 4, a);
    System.out.println("A alone: " + a.owned().size() + " partitions, " + a.records + " records");
    a.consumer.commitSync();

    Member b = new Member(bootstrap, group, topic, "member-b");
    until("2 and 2", () -> a.owned().size() == 2 && b.owned().size() == 2, a, b);
    Set<Integer> union = new HashSet<>(a.owned());
    union.addAll(b.owned());
    System.out.println("after B joined: A " + a.owned().size() + ", B " + b.owned().size() + ", together "
        + union.size());
    System.out.println("A revoked only what B got: " + a.revoked.equals(b.owned()));
    System.out.println("B read nothing new: " + (b.records == 0));
    try (Admin ad = Admin.create(admin)) {
      ConsumerGroupDescription d = ad.describeConsumerGroups(List.of(group)).all().get().get(group);
      List<String> members = new ArrayList<>();
      for (var m : d.members()) members.add(m.clientId() + ":" + m.assignment().topicPartitions().size());
      members.sort(null);
      System.out.println("described: " + d.type() + " " + d.groupState() + " " + members);
    }

    b.consumer.close();
    until("A to take all back", () -> a.owned().size() == 4, a);
    System.out.println("after B left: A " + a.owned().size());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
      for (int i = 40; i < 48; i++) producer.send(new ProducerRecord<>(topic, i % 4, "k" + i, "v" + i));
    }
    until("A to read the new records", () -> a.records >= 48, a);
    System.out.println("A read " + a.records + " records in all");
    a.consumer.commitSync();
    a.consumer.close();

    Member c = new Member(bootstrap, group, topic, "member-c");
    until("C to be given the partitions", () -> c.owned().size() == 4, c);
    for (int i = 0; i < 10; i++) c.poll();
    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
        c.consumer.committed(new HashSet<>(c.consumer.assignment()));
    long total = 0;
    for (var e : committed.values()) total += e == null ? 0 : e.offset();
    System.out.println("C resumes from the committed offsets: " + total + ", reads " + c.records + " again");
    c.consumer.close();
  }
}
