package io.iomt.azure.eventhubs;

import java.net.URI;
import java.util.Locale;

/**
 * Reads the parts of an Event Hubs connection string that may be shown: the namespace host and the
 * entity path, never the key. Accepts what the portal shows for a namespace, a hub and an IoT Hub's
 * "Event Hub-compatible endpoint". Stateless.
 */
public final class ConnectionStrings {
  private ConnectionStrings() {}

  /**
   * @param namespace the host of {@code Endpoint} (e.g. {@code contoso.servicebus.windows.net}),
   *     with {@code :port} when the endpoint names one
   * @param entityPath the hub ({@code EntityPath}), or null
   */
  public record Parts(String namespace, String entityPath) {}

  /**
   * @throws IllegalArgumentException naming the missing part (never echoing the value)
   */
  public static Parts parse(String connectionString) {
    String namespace = null;
    String entityPath = null;
    boolean key = false;
    for (String part : connectionString.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = part.substring(eq + 1).trim();
      switch (name) {
        case "endpoint" -> {
          URI uri = URI.create(value);
          if (uri.getHost() == null) {
            throw new IllegalArgumentException(
                "the connection string's Endpoint is not a URL like sb://<namespace>.servicebus.windows.net/");
          }
          namespace = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        }
        case "entitypath" -> entityPath = value.isEmpty() ? null : value;
        case "sharedaccesskey", "sharedaccesssignature" -> key = !value.isEmpty();
        default -> {}
      }
    }
    if (namespace == null) {
      throw new IllegalArgumentException(
          "the connection string has no Endpoint=sb://<namespace>.servicebus.windows.net/");
    }
    if (!key) {
      throw new IllegalArgumentException(
          "the connection string has no SharedAccessKey (or SharedAccessSignature)");
    }
    return new Parts(namespace, entityPath);
  }
}
