package io.iomt.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Device messages to replay, read from JSON Lines: one message (what a device sends, the future
 * {@code Body} of its envelope) per line, blank lines ignored.
 *
 * @param source where the messages come from, for messages to the user
 * @param messages the messages, each one line of JSON
 */
record DemoStream(String source, List<String> messages) {

  /** The bundled stream, {@link StreamGenerator.Plan#BUNDLED}'s output. */
  static final String BUNDLED = "demo/stream.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();

  DemoStream {
    messages = List.copyOf(messages);
  }

  static DemoStream bundled() {
    InputStream in = DemoStream.class.getClassLoader().getResourceAsStream(BUNDLED);
    if (in == null) {
      throw new IllegalStateException("the bundled stream " + BUNDLED + " is missing");
    }
    return read("bundled " + BUNDLED, in);
  }

  static DemoStream read(Path file) {
    try {
      return read(file.toString(), Files.newInputStream(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the stream " + file, e);
    }
  }

  /**
   * Reads and closes {@code in}.
   *
   * @throws IllegalArgumentException naming the first line that is not a JSON object
   */
  static DemoStream read(String source, InputStream in) {
    List<String> messages = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        String message = line.strip();
        if (message.isEmpty()) {
          continue;
        }
        requireObject(source, number, message);
        messages.add(message);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the stream " + source, e);
    }
    if (messages.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no messages");
    }
    return new DemoStream(source, messages);
  }

  private static void requireObject(String source, int line, String message) {
    try {
      JsonNode node = JSON.readTree(message);
      if (!node.isObject()) {
        throw new IllegalArgumentException(
            source + ":" + line + ": expected one JSON object per line, got " + node.getNodeType());
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          source + ":" + line + ": not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
