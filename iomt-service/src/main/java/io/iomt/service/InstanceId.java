package io.iomt.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * This replica's static consumer-group member id, kept in {@code <data-dir>/instance-id}: a replica
 * restarted on the same data directory (after a crash, an upgrade) rejoins as the same member and
 * gets its partitions back at once, instead of waiting for the old session to expire. A new data
 * directory (a new pod) gets a new id. Two processes must not share a data directory.
 */
final class InstanceId {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  private InstanceId() {}

  static String of(Path dataDir) {
    Path file = dataDir.resolve("instance-id");
    try {
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (VALID.matcher(id).matches()) {
          return id;
        }
      }
      Files.createDirectories(dataDir);
      String id = "iomt-" + UUID.randomUUID();
      Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot keep the replica's instance id in " + file, e);
    }
  }
}
