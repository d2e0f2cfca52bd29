// Prints Kafka's error codes as JSON, read from the kafka-clients jar itself,
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
      out.append(String.format("  {\"code\": %d, \"name\": \"%s\", \"retriable\": %s}%s\n",
          e.code(), e.name(), retriable, i + 1 < all.length ? "," : ""));
    }
    System.out.print(out.append("]\n"));
  }
}
