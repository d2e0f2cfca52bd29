// Prints Kafka's error codes (with each one's exception class and default
// message, which Kafka's tools print) as JSON, read from the kafka-clients jar itself,
// so the generated ErrorCode enum matches Kafka exactly. Run by regenerate.sh.
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;

public class ListErrors {
  public static void main(String[] args) {
    StringBuilder out = new StringBuilder("[\n");
    Errors[] all = Errors.values();
    for (int i = 0; i < all.length; i++) {
      Errors e = all[i];
      boolean retriable = e.exception() instanceof RetriableException;
      String exception = e.exception() == null ? "" : e.exception().getClass().getName();
      out.append(String.format(
          "  {\"code\": %d, \"name\": \"%s\", \"retriable\": %s, \"exception\": \"%s\", \"message\": \"%s\"}%s\n",
          e.code(), e.name(), retriable, exception, json(e.message()), i + 1 < all.length ? "," : ""));
    }
    System.out.print(out.append("]\n"));
  }

  static String json(String s) {
    if (s == null) return "";
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
