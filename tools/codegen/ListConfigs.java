// Prints Kafka 4.1.1's topic and broker config definitions as JSON, read from
// the broker's own jars: names, types, defaults rendered as DescribeConfigs
// renders them, sensitivity, the broker synonyms of each topic config, and
// which broker configs are dynamically updatable. Run by regenerate.sh.
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

  static void entries(StringBuilder out, ConfigDef def, Map<String, List<String>> synonyms,
                      Set<String> dynamic, Set<String> perBroker) throws Exception {
    // Internal configs are not listed by DescribeConfigs.
    List<String> names = new ArrayList<>();
    for (ConfigDef.ConfigKey key : def.configKeys().values()) {
      if (!key.internalConfig) names.add(key.name);
    }
    Collections.sort(names);
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

    StringBuilder out = new StringBuilder("{\n  \"topic\": [\n");
    entries(out, topic, synonyms, null, null);
    out.append("  ],\n  \"broker\": [\n");
    entries(out, broker, null, dynamic, perBroker);
    out.append("  ]\n}\n");
    System.out.print(out);
  }
}
