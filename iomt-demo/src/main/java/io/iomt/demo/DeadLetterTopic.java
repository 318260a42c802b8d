package io.iomt.demo;

import io.iomt.pipeline.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The dead letters a connector writes to its error topic from the moment this reader is opened on:
 * what the demo's run produced, not an earlier run's. Reads with a plain consumer that joins no
 * group and commits nothing. Not thread-safe; {@link #close()} releases the consumer.
 */
final class DeadLetterTopic implements AutoCloseable {

  /**
   * A dead letter.
   *
   * @param error the error's name, e.g. {@code IncompatibleDataException}
   * @param message the error's message
   * @param stage the stage that failed, e.g. {@code Normalization}
   * @param body the original message
   */
  record Letter(String error, String message, String stage, String body) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Letter> letters = new ArrayList<>();
  private final Map<TopicPartition, Long> positions;

  /** Opens the reader at the topic's current end. */
  DeadLetterTopic(String bootstrapServers, String topic) {
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    positions = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    positions.forEach(consumer::seek);
  }

  /** Every dead letter written since this reader was opened, up to the topic's current end. */
  List<Letter> read() {
    Map<TopicPartition, Long> end = consumer.endOffsets(positions.keySet(), Duration.ofSeconds(30));
    while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
        letters.add(
            new Letter(
                header(r, DeadLetters.ERROR),
                header(r, DeadLetters.MESSAGE),
                header(r, DeadLetters.STAGE),
                r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8)));
      }
    }
    return List.copyOf(letters);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
