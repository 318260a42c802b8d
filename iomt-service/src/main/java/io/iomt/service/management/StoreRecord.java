package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.service.management.ResourceStore.Expect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A record of the resource store's topic, keyed by {@link ResourceId#key()}. Either a {@link Write}
 * (a JSON value) or a {@link Tombstone} (a null value, who wrote it in the record's headers).
 * Immutable.
 */
sealed interface StoreRecord {
  /** Header naming the store instance that wrote the record. */
  String WRITER_HEADER = "iomt-writer";

  /** Header with the record's own id. */
  String WRITE_ID_HEADER = "iomt-write-id";

  /** Header with the id of the record a tombstone settles (see {@link Write#supersedes()}). */
  String SUPERSEDES_HEADER = "iomt-supersedes";

  /** The record key: the resource's {@link ResourceId#key()}. */
  String key();

  /** The store instance that wrote it; null when unknown (a tombstone written by hand). */
  String writer();

  /** The record's id, unique per write; null when unknown. */
  String writeId();

  /** What a {@link Write} asks for. */
  enum Op {
    /** Store {@link Write#resource()} if the current version matches the expectation. */
    PUT,
    /** Remove the resource if the current version matches the expectation. */
    DELETE,
    /**
     * Re-state the accepted version after one of the writer's records was rejected, so that the
     * last record of the key is an accepted one (what compaction keeps).
     */
    RESTORE
  }

  /**
   * A conditional write.
   *
   * @param at when the writer sent it (for people reading the topic; decisions never use it)
   * @param supersedes for a {@link Op#RESTORE}: the writer's rejected record it settles; else null
   * @param resource the version to store; null for a {@link Op#DELETE}
   */
  record Write(
      Op op,
      String writer,
      String writeId,
      Instant at,
      Expect expect,
      String supersedes,
      ResourceId id,
      StoredResource resource)
      implements StoreRecord {
    @Override
    public String key() {
      return id.key();
    }

    /** The record's value; holds the resource's secrets. */
    byte[] toBytes() {
      ObjectNode n = StoredResourceJson.MAPPER.createObjectNode();
      n.put("op", op.name().toLowerCase(Locale.ROOT));
      n.put("writer", writer);
      n.put("writeId", writeId);
      n.put("at", at.toString());
      n.put("id", id.toString());
      ObjectNode e = n.putObject("expect");
      if (expect instanceof Expect.Etag etag) {
        e.put("kind", "etag");
        e.put("etag", etag.etag());
      } else {
        e.put("kind", expect.getClass().getSimpleName().toLowerCase(Locale.ROOT));
      }
      if (supersedes != null) {
        n.put("supersedes", supersedes);
      }
      if (resource != null) {
        n.set("resource", StoredResourceJson.write(resource));
      }
      try {
        return StoredResourceJson.MAPPER.writeValueAsBytes(n);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
  }

  /** A null value: the key is absent. */
  record Tombstone(String key, String writer, String writeId, String supersedes)
      implements StoreRecord {
    Map<String, String> headers() {
      return supersedes == null
          ? Map.of(WRITER_HEADER, writer, WRITE_ID_HEADER, writeId)
          : Map.of(WRITER_HEADER, writer, WRITE_ID_HEADER, writeId, SUPERSEDES_HEADER, supersedes);
    }
  }

  /**
   * Reads a record of the topic.
   *
   * @param headers the record's headers (only those of this interface are read)
   * @throws IllegalArgumentException when the value is not a write of this store, or its id does
   *     not match the key (the message names no body nor secret)
   */
  static StoreRecord parse(String key, byte[] value, Map<String, String> headers) {
    if (value == null) {
      return new Tombstone(
          key,
          headers.get(WRITER_HEADER),
          headers.get(WRITE_ID_HEADER),
          headers.get(SUPERSEDES_HEADER));
    }
    JsonNode n;
    try {
      n = StoredResourceJson.MAPPER.readTree(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("the value is not JSON");
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("the value is not a JSON object");
    }
    Op op;
    try {
      op = Op.valueOf(String.valueOf(StoredResourceJson.text(n, "op")).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown op " + n.get("op"));
    }
    ResourceId id =
        ResourceId.parse(StoredResourceJson.text(n, "id"))
            .orElseThrow(() -> new IllegalArgumentException("no resource id"));
    if (!id.key().equals(key)) {
      throw new IllegalArgumentException("the id " + id + " does not match the key");
    }
    JsonNode resource = n.get("resource");
    StoredResource r =
        resource == null || resource.isNull() ? null : StoredResourceJson.read(resource);
    if (op != Op.DELETE && (r == null || r.etag() == null || !r.id().key().equals(key))) {
      throw new IllegalArgumentException("a " + op + " of " + id + " without its resource");
    }
    String at = StoredResourceJson.text(n, "at");
    return new Write(
        op,
        StoredResourceJson.text(n, "writer"),
        StoredResourceJson.text(n, "writeId"),
        at == null ? Instant.EPOCH : Instant.parse(at),
        expect(n.path("expect")),
        StoredResourceJson.text(n, "supersedes"),
        id,
        r);
  }

  private static Expect expect(JsonNode e) {
    String kind = String.valueOf(StoredResourceJson.text(e, "kind"));
    return switch (kind) {
      case "any" -> Expect.ANY;
      case "absent" -> Expect.ABSENT;
      case "present" -> Expect.PRESENT;
      case "etag" -> {
        String etag = StoredResourceJson.text(e, "etag");
        if (etag == null) {
          throw new IllegalArgumentException("an etag expectation without its etag");
        }
        yield Expect.etag(etag);
      }
      default -> throw new IllegalArgumentException("unknown expectation " + kind);
    };
  }
}
