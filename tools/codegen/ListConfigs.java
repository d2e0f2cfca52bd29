// Prints Kafka 4.1.1's topic and broker config definitions as JSON, read from
// the broker's own jars: names, types, defaults rendered as DescribeConfigs
// renders them, sensitivity, the broker synonyms of each topic config, and
// which broker configs are dynamically updatable, in the order DescribeConfigs
// lists them. Run by regenerate.sh.
// No documentation text is printed.
import java.util.*;
import org.apache.kafka.common.config.ConfigDef;

public class ListConfigs {
  static String quote(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  static String render(ConfigDef.ConfigKey key) {
    if (!key.hasDefault() || key.defaultValue == null) return null;
    if (key.type == ConfigDef.Type.PASSWORD) return null;
    return ConfigDef.convertToString(key.defaultValue, key.type);
  }

  static Object field(Object o, String name) throws Exception {
    java.lang.reflect.Field f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(o);
  }

  // The validators whose rules and messages kafkalite reproduces; others
  // (custom lambdas) are left out.
  static String validator(ConfigDef.ConfigKey key) throws Exception {
    Object v = key.validator;
    if (v instanceof ConfigDef.Range) {
      Object min = field(v, "min"), max = field(v, "max");
      return "{\"kind\": \"range\", \"min\": " + quote(min == null ? null : min.toString())
          + ", \"max\": " + quote(max == null ? null : max.toString()) + "}";
    }
    boolean list = v instanceof ConfigDef.ValidList;
    if (list) v = field(v, "validString");
    boolean caseInsensitive = v instanceof ConfigDef.CaseInsensitiveValidString;
    if (v instanceof ConfigDef.ValidString || caseInsensitive) {
      StringBuilder values = new StringBuilder("[");
      for (Object s : (Collection<?>) field(v, "validStrings")) {
        values.append(values.length() > 1 ? ", " : "").append(quote((String) s));
      }
      return "{\"kind\": \"one_of\", \"values\": " + values + "], \"list\": " + list
          + ", \"case_insensitive\": " + caseInsensitive + "}";
    }
    return "null";
  }

  static void entries(StringBuilder out, ConfigDef def, List<String> order, Map<String, List<String>> synonyms,
                      Set<String> dynamic, Set<String> perBroker) throws Exception {
    // Internal configs are not listed by DescribeConfigs.
    List<String> names = new ArrayList<>();
    for (ConfigDef.ConfigKey key : def.configKeys().values()) {
      if (!key.internalConfig) names.add(key.name);
    }
    // In the order DescribeConfigs lists them (the iteration order of the
    // broker's config map); any name it does not list goes last, by name.
    Collections.sort(names);
    names.sort(Comparator.comparingInt(n -> order.contains(n) ? order.indexOf(n) : Integer.MAX_VALUE));
    for (int i = 0; i < names.size(); i++) {
      ConfigDef.ConfigKey key = def.configKeys().get(names.get(i));
      out.append("    {\"name\": ").append(quote(key.name))
         .append(", \"type\": ").append(quote(key.type.name()))
         .append(", \"default\": ").append(quote(render(key)))
         .append(", \"sensitive\": ").append(key.type == ConfigDef.Type.PASSWORD);
      if (synonyms != null) {
        out.append(", \"validator\": ").append(validator(key));
        out.append(", \"synonyms\": [");
        List<String> list = synonyms.getOrDefault(key.name, List.of());
        for (int j = 0; j < list.size(); j++) out.append(j > 0 ? ", " : "").append(quote(list.get(j)));
        out.append("]");
      }
      if (dynamic != null) out.append(", \"dynamic\": ").append(dynamic.contains(key.name));
      if (perBroker != null) out.append(", \"per_broker\": ").append(perBroker.contains(key.name));
      out.append("}").append(i + 1 < names.size() ? ",\n" : "\n");
    }
  }

  static List<String> keys(Object scalaMap) {
    List<String> out = new ArrayList<>();
    scala.collection.Iterator<?> it = ((scala.collection.Map<?, ?>) scalaMap).keysIterator();
    while (it.hasNext()) out.add((String) it.next());
    return out;
  }

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    ConfigDef topic = (ConfigDef) Class.forName("org.apache.kafka.storage.internals.log.LogConfig")
        .getMethod("configDefCopy").invoke(null);
    Map<String, List<?>> raw = (Map<String, List<?>>) Class
        .forName("org.apache.kafka.server.config.ServerTopicConfigSynonyms")
        .getField("ALL_TOPIC_CONFIG_SYNONYMS").get(null);
    Map<String, List<String>> synonyms = new HashMap<>();
    for (Map.Entry<String, List<?>> e : raw.entrySet()) {
      List<String> names = new ArrayList<>();
      for (Object s : e.getValue()) names.add((String) s.getClass().getMethod("name").invoke(s));
      synonyms.put(e.getKey(), names);
    }
    ConfigDef broker = (ConfigDef) Class.forName("org.apache.kafka.server.config.AbstractKafkaConfig")
        .getField("CONFIG_DEF").get(null);
    Object module = Class.forName("kafka.server.DynamicBrokerConfig$").getField("MODULE$").get(null);
    Object all = module.getClass().getMethod("AllDynamicConfigs").invoke(module);
    Set<String> dynamic = new HashSet<>();
    scala.collection.Iterator<?> it = ((scala.collection.Iterable<?>) all).iterator();
    while (it.hasNext()) dynamic.add((String) it.next());
    // Those that may be set per broker only, never as the cluster default:
    // Kafka's own filter, asked about every broker config.
    Properties every = new Properties();
    for (String name : broker.names()) every.setProperty(name, "x");
    Object per = module.getClass()
        .getMethod("kafka$server$DynamicBrokerConfig$$perBrokerConfigs", Properties.class)
        .invoke(module, every);
    Set<String> perBroker = new HashSet<>();
    it = ((scala.collection.Iterable<?>) per).iterator();
    while (it.hasNext()) perBroker.add((String) it.next());

    // DescribeConfigs lists a resource's configs in the iteration order of
    // the map kafka.server.ConfigHelper.allConfigs builds: ask it, for a topic
    // with no overrides and for a broker configured as a single KRaft node
    // (checked against a running 4.1.1, topic and broker).
    Class<?> logConfig = Class.forName("org.apache.kafka.storage.internals.log.LogConfig");
    Object helper = Class.forName("kafka.server.ConfigHelper").getConstructors()[0]
        .newInstance(null, null, null);
    java.lang.reflect.Method allConfigs = helper.getClass()
        .getMethod("allConfigs", org.apache.kafka.common.config.AbstractConfig.class);
    List<String> topicOrder = keys(allConfigs.invoke(helper,
        logConfig.getConstructor(Map.class).newInstance(new Properties())));
    Properties node = new Properties();
    node.setProperty("node.id", "1");
    node.setProperty("process.roles", "broker,controller");
    node.setProperty("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
    node.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:9092");
    node.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    node.setProperty("inter.broker.listener.name", "PLAINTEXT");
    node.setProperty("controller.listener.names", "CONTROLLER");
    node.setProperty("controller.quorum.voters", "1@127.0.0.1:9093");
    node.setProperty("log.dirs", "/tmp/kafka");
    List<String> brokerOrder = keys(allConfigs.invoke(helper,
        Class.forName("kafka.server.KafkaConfig").getMethod("fromProps", Properties.class).invoke(null, node)));

    StringBuilder out = new StringBuilder("{\n  \"topic\": [\n");
    entries(out, topic, topicOrder, synonyms, null, null);
    out.append("  ],\n  \"broker\": [\n");
    entries(out, broker, brokerOrder, null, dynamic, perBroker);
    out.append("  ]\n}\n");
    System.out.print(out);
  }
}
