package io.iomt.service.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.iomt.core.envelope.JsonReadLimit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a request body (one JSON value, or an array of them) into {@link DeviceMessage}s whose
 * values are the exact byte ranges the device sent: validated with a streaming parser that records
 * token offsets, never parsed into a tree and written back (which rounds {@code
 * 98.60000000000000001}, reorders keys, rewrites escapes and whitespace). A single message is the
 * body minus its surrounding whitespace. Refuses ill-formed UTF-8 and lone surrogate escapes
 * ({@code "\ud800"}), a message over the size limit and a request over the message count limit,
 * naming the message and the byte offset. Thread-safe (the factory is).
 */
final class MessageSplitter {
  /** The limits a request is held to. */
  record Limits(int maxMessageBytes, int maxMessages, int maxNestingDepth, long maxRequestBytes) {}

  private final Limits limits;
  private final JsonFactory factory;

  MessageSplitter(Limits limits) {
    this.limits = limits;
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxNestingDepth())
                    .maxStringLength((int) Math.min(limits.maxRequestBytes(), Integer.MAX_VALUE))
                    .build())
            .build();
  }

  /**
   * @throws IngestRefusal when the body is empty, not JSON, not valid Unicode, or over a limit
   */
  List<DeviceMessage> split(byte[] body) {
    if (body.length == 0) {
      throw new IngestRefusal(
          RefusalCode.EMPTY_BODY, "The request body is empty; send a JSON message or array.");
    }
    Run run = new Run(body, StrictUtf8.firstInvalid(body));
    try (JsonParser parser = factory.createParser(body)) {
      run.parser = parser;
      return run.split();
    } catch (StreamConstraintsException e) {
      throw run.constraint(e);
    } catch (JsonProcessingException e) {
      throw run.notJson(e);
    } catch (IOException e) {
      throw new IngestRefusal(
          RefusalCode.INVALID_JSON, "The request body is not JSON: " + e.getMessage());
    }
  }

  /** The state of one split: where the parser is and which message it is in. */
  private final class Run {
    final byte[] body;
    final int badUtf8;
    JsonParser parser;
    boolean batch;
    int index = -1;

    Run(byte[] body, int badUtf8) {
      this.body = body;
      this.badUtf8 = badUtf8;
    }

    List<DeviceMessage> split() throws IOException {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new IngestRefusal(
            RefusalCode.INVALID_JSON,
            "The request body holds no JSON value; send a JSON message or array.");
      }
      if (first == JsonToken.VALUE_NULL) {
        throw new IngestRefusal(
            RefusalCode.INVALID_JSON, "The request body is null; send a JSON message or array.");
      }
      List<DeviceMessage> out = new ArrayList<>();
      if (first == JsonToken.START_ARRAY) {
        batch = true;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          index++;
          if (index == limits.maxMessages()) {
            throw new IngestRefusal(
                RefusalCode.TOO_MANY_MESSAGES,
                "The array holds more than "
                    + limits.maxMessages()
                    + " messages; the limit is "
                    + limits.maxMessages()
                    + " per request (iomt.ingest.max-messages-per-request). Send them in several"
                    + " requests.");
          }
          if (t == JsonToken.VALUE_NULL) {
            throw new IngestRefusal(
                RefusalCode.INVALID_JSON, "Message " + index + " of the array is null.");
          }
          out.add(message(t));
        }
        if (out.isEmpty()) {
          throw new IngestRefusal(RefusalCode.EMPTY_BATCH, "The array holds no messages.");
        }
      } else {
        index = 0;
        out.add(message(first));
      }
      index = -1;
      if (parser.nextToken() != null) {
        throw new IngestRefusal(
            RefusalCode.INVALID_JSON,
            "The request body is not JSON: more follows its value at byte "
                + parser.currentTokenLocation().getByteOffset()
                + " (send one message or one array).");
      }
      if (badUtf8 >= 0) {
        throw invalidUtf8();
      }
      return out;
    }

    private DeviceMessage message(JsonToken first) throws IOException {
      int start = (int) parser.currentTokenLocation().getByteOffset();
      boolean object = first == JsonToken.START_OBJECT;
      byte[] key = null;
      int depth = 0;
      JsonToken t = first;
      while (true) {
        switch (t) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case VALUE_STRING -> checkText();
          case FIELD_NAME -> {
            checkText();
            if (object && depth == 1 && parser.currentName().equals("deviceId")) {
              JsonToken v = parser.nextToken();
              if (v == JsonToken.VALUE_STRING) {
                checkText();
                key = parser.getText().getBytes(StandardCharsets.UTF_8);
              } else {
                key = null;
                t = v;
                continue;
              }
            }
          }
          default -> {}
        }
        if (depth == 0) {
          break;
        }
        t = parser.nextToken();
      }
      int end = (int) parser.currentLocation().getByteOffset();
      while (end > start && isJsonWhitespace(body[end - 1])) {
        end--;
      }
      if (badUtf8 >= start && badUtf8 < end) {
        throw invalidUtf8();
      }
      int size = end - start;
      if (size > limits.maxMessageBytes()) {
        throw new IngestRefusal(
            RefusalCode.MESSAGE_TOO_LARGE,
            where()
                + " is "
                + size
                + " bytes; the limit is "
                + limits.maxMessageBytes()
                + " bytes (iomt.ingest.max-message-size).");
      }
      byte[] value = start == 0 && end == body.length ? body : Arrays.copyOfRange(body, start, end);
      return new DeviceMessage(index, value, key);
    }

    private void checkText() throws IOException {
      char[] text = parser.getTextCharacters(); // reads the whole token
      if (badUtf8 >= 0 && badUtf8 < parser.currentLocation().getByteOffset()) {
        throw invalidUtf8(); // an encoded surrogate must not pass for a lone surrogate escape
      }
      int lone =
          StrictUtf8.firstLoneSurrogate(text, parser.getTextOffset(), parser.getTextLength());
      if (lone >= 0) {
        char c = text[parser.getTextOffset() + lone];
        JsonLocation at = parser.currentTokenLocation();
        throw new IngestRefusal(
            RefusalCode.INVALID_UNICODE,
            where()
                + " has a lone surrogate (\\u"
                + String.format("%04x", (int) c)
                + ") in the "
                + (parser.currentToken() == JsonToken.FIELD_NAME ? "field name" : "string")
                + " at byte "
                + at.getByteOffset()
                + " (line "
                + at.getLineNr()
                + ", column "
                + at.getColumnNr()
                + "): not valid Unicode. A \\ud800-\\udbff escape must be followed by a"
                + " \\udc00-\\udfff one.");
      }
    }

    IngestRefusal invalidUtf8() {
      return new IngestRefusal(
          RefusalCode.INVALID_UNICODE,
          where()
              + " is not valid UTF-8 at byte "
              + badUtf8
              + " ("
              + String.format("0x%02X", body[badUtf8] & 0xFF)
              + " starts an ill-formed sequence: an overlong form, an encoded surrogate, a value"
              + " above U+10FFFF, a truncated sequence or a byte that never occurs in UTF-8).");
    }

    IngestRefusal constraint(StreamConstraintsException e) {
      boolean depth = JsonReadLimit.of(e) == JsonReadLimit.NESTING_DEPTH;
      return new IngestRefusal(
          RefusalCode.INVALID_JSON,
          where()
              + " exceeds a JSON limit"
              + (depth ? " (iomt.ingest.max-nesting-depth " + limits.maxNestingDepth() + ")" : "")
              + ": "
              + JsonReadLimit.describe(e));
    }

    IngestRefusal notJson(JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      if (badUtf8 >= 0 && (at == null || at.getByteOffset() < 0 || at.getByteOffset() >= badUtf8)) {
        return invalidUtf8();
      }
      return new IngestRefusal(
          RefusalCode.INVALID_JSON,
          "The request body is not JSON"
              + (at == null
                  ? ""
                  : " (line "
                      + at.getLineNr()
                      + ", column "
                      + at.getColumnNr()
                      + ", byte "
                      + at.getByteOffset()
                      + (batch && index >= 0 ? ", in message " + index + " of the array" : "")
                      + ")")
              + ": "
              + e.getOriginalMessage());
    }

    private String where() {
      if (index < 0) {
        return "The request body";
      }
      return batch ? "Message " + index + " of the array" : "The message";
    }
  }

  private static boolean isJsonWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }
}
