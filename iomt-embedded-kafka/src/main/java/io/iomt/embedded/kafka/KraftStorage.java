package io.iomt.embedded.kafka;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Formats a log directory for a single KRaft node, as {@code kafka-storage.sh format} does (Kafka
 * 3.9's {@code StorageTool} delegates to the same {@link Formatter}), unless it holds a formatted
 * node already ({@code meta.properties} exists): a restart keeps its cluster id, metadata and data.
 * Stateless.
 */
final class KraftStorage {

  private KraftStorage() {}

  /**
   * Formats {@code logDir} with a new cluster id and the latest production metadata version, or
   * does nothing if it is formatted.
   *
   * @throws IllegalStateException if formatting fails, for example because the directory belongs to
   *     another node
   */
  static void formatIfNeeded(Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      // Formatter's ignoreFormatted still insists on the cluster id it was given.
      return;
    }
    String directory = logDir.toAbsolutePath().toString();
    try {
      new Formatter()
          .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
          .setNodeId(BrokerProperties.NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(directory))
          .setMetadataLogDirectory(directory)
          .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the Kafka log directory " + directory, e);
    }
  }
}
