package io.iomt.core.envelope;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.error.InvalidDataFormatException;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns raw messages into the envelope the device mapping sees: {@code {"Body": <body as JSON>,
 * "Properties": {...}, "SystemProperties": {...}}}, enforcing {@link MessageLimits} before and
 * while parsing. Thread-safe.
 */
public final class EnvelopeReader {
  public static final String BODY = "Body";
  public static final String PROPERTIES = "Properties";
  public static final String SYSTEM_PROPERTIES = "SystemProperties";

  private final MessageLimits limits;
  private final ObjectMapper mapper;
  private final ObjectMapper streamMapper;

  public EnvelopeReader(MessageLimits limits) {
    this.limits = limits;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(limits.maxNestingDepth()).build())
            .build();
    this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.streamMapper = new ObjectMapper(factory);
  }

  public MessageLimits limits() {
    return limits;
  }

  /**
   * Builds the envelope of one message received from an event source.
   *
   * @throws InvalidDataFormatException when the body is too large, not UTF-8, or not JSON
   */
  public ObjectNode envelope(
      byte[] body, Map<String, ?> properties, Map<String, ?> systemProperties) {
    checkSize(body.length);
    ObjectNode envelope = JsonNodeFactory.instance.objectNode();
    envelope.set(BODY, parseBody(body));
    envelope.set(PROPERTIES, toObject(properties));
    envelope.set(SYSTEM_PROPERTIES, toObject(systemProperties));
    return envelope;
  }

  /** Parses a message body, which must be one JSON document. */
  public JsonNode parseBody(byte[] body) {
    checkSize(body.length);
    if (body.length == 0) {
      throw new InvalidDataFormatException("The message body is empty; expected a JSON document");
    }
    Utf8Validator.check(body);
    try {
      return mapper.readTree(body);
    } catch (StreamConstraintsException e) {
      throw tooDeep(e);
    } catch (IOException e) {
      throw notJson(e);
    }
  }

  /** One event read from a file of envelopes: parsed, or rejected with a data error. */
  public sealed interface ReadEvent {
    /** 0-based index of the event in the file. */
    int index();
  }

  public record Parsed(int index, ObjectNode envelope) implements ReadEvent {}

  public record Rejected(int index, InvalidDataFormatException error) implements ReadEvent {}

  /**
   * Reads a file holding one envelope or a JSON array of envelopes (what the CLI and the mapping
   * debugger take). A JSON object without {@code Body} is used as the envelope as it is. Each event
   * is checked against the size limit on its own JSON text. A file that is not JSON yields one
   * rejected event.
   */
  public void readEnvelopes(byte[] input, Consumer<ReadEvent> out) {
    int[] index = {0};
    try (JsonParser p = mapper.getFactory().createParser(input)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new InvalidDataFormatException("The input is empty; expected an event envelope");
      }
      if (first != JsonToken.START_ARRAY) {
        ReadEvent only = readOne(p, 0);
        if (p.nextToken() != null) {
          throw new InvalidDataFormatException(
              "Unexpected content after the event at line "
                  + p.currentTokenLocation().getLineNr()
                  + "; put several events in a JSON array");
        }
        out.accept(only);
        return;
      }
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() == null) {
          throw new InvalidDataFormatException("The input ends inside the array of events");
        }
        out.accept(readOne(p, index[0]));
        index[0]++;
      }
    } catch (InvalidDataFormatException e) {
      out.accept(new Rejected(index[0], e));
    } catch (StreamConstraintsException e) {
      out.accept(new Rejected(index[0], tooDeep(e)));
    } catch (IOException e) {
      out.accept(new Rejected(index[0], notJson(e)));
    }
  }

  private ReadEvent readOne(JsonParser p, int index) throws IOException {
    long start = p.currentTokenLocation().getByteOffset();
    JsonNode node = streamMapper.readTree(p);
    long size = p.currentLocation().getByteOffset() - start;
    if (size > limits.maxMessageBytes()) {
      return new Rejected(index, tooLarge(size));
    }
    if (!node.isObject()) {
      return new Rejected(
          index,
          new InvalidDataFormatException(
              "Event "
                  + index
                  + " is a JSON "
                  + node.getNodeType().name().toLowerCase()
                  + ", not an envelope object {\"Body\": ..., \"Properties\": ..., \"SystemProperties\": ...}"));
    }
    return new Parsed(index, (ObjectNode) node);
  }

  private void checkSize(long size) {
    if (size > limits.maxMessageBytes()) {
      throw tooLarge(size);
    }
  }

  private InvalidDataFormatException tooLarge(long size) {
    return new InvalidDataFormatException(
        "The message is "
            + size
            + " bytes, larger than the maximum of "
            + limits.maxMessageBytes()
            + " bytes; it was not processed (raise the maximum message size to accept it)");
  }

  /** A limit of the JSON reader, named for what it is: nesting depth, number length, ... */
  private InvalidDataFormatException tooDeep(StreamConstraintsException e) {
    if (JsonReadLimit.of(e) != JsonReadLimit.NESTING_DEPTH) {
      return new InvalidDataFormatException(
          "The message was not processed: "
              + JsonReadLimit.describe(e)
              + (JsonReadLimit.of(e) == JsonReadLimit.NUMBER_LENGTH
                  ? " (a fixed limit of the connector's JSON reader)"
                  : ""),
          e);
    }
    return new InvalidDataFormatException(
        "The message nests JSON deeper than the maximum of "
            + limits.maxNestingDepth()
            + " levels; it was not processed",
        e);
  }

  private static InvalidDataFormatException notJson(IOException e) {
    String detail =
        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    String where = "";
    if (e instanceof JsonProcessingException j && j.getLocation() != null) {
      where =
          " (line "
              + j.getLocation().getLineNr()
              + ", column "
              + j.getLocation().getColumnNr()
              + ")";
    }
    return new InvalidDataFormatException(
        "The message is not valid JSON" + where + ": " + firstLine(detail), e);
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unreadable input";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  private static ObjectNode toObject(Map<String, ?> map) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (map != null) {
      map.forEach(
          (k, v) ->
              node.set(k, v == null ? null : JsonNodeFactory.instance.textNode(v.toString())));
    }
    return node;
  }
}
