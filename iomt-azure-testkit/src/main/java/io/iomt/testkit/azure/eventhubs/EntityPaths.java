package io.iomt.testkit.azure.eventhubs;

import java.util.Locale;

/**
 * Normalizes audiences and entity addresses to comparable paths ({@code hub/ConsumerGroups/...}).
 */
final class EntityPaths {

  private EntityPaths() {}

  /**
   * The path of an address or audience, lower case, without scheme, host or surrounding slashes:
   * {@code amqp://127.0.0.1/Hub/Partitions/0} and {@code hub/partitions/0} both give {@code
   * hub/partitions/0}.
   */
  static String normalize(String address) {
    String path = address;
    int scheme = path.indexOf("://");
    if (scheme >= 0) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "" : path.substring(slash + 1);
    }
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path.toLowerCase(Locale.ROOT);
  }

  /** Whether access granted to {@code audiencePath} covers {@code entityPath} (same or parent). */
  static boolean covers(String audiencePath, String entityPath) {
    String entity = normalize(entityPath);
    return audiencePath.isEmpty()
        || entity.equals(audiencePath)
        || entity.startsWith(audiencePath + "/");
  }

  /** The hub named by an entity path (its first segment, as written). */
  static String hubOf(String address) {
    String path = address;
    int scheme = path.indexOf("://");
    if (scheme >= 0) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "" : path.substring(slash + 1);
    }
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    int slash = path.indexOf('/');
    return slash < 0 ? path : path.substring(0, slash);
  }
}
