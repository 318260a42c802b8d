package io.iomt.service.console;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The id of a replay: what it produced and when, so that any replica can tell its status without
 * keeping anything (docs/console.md). Written as {@code r1.} and the base64url of a deflated binary
 * list (about 5 bytes per message: a replay of 500 dead letters stays within a URL).
 *
 * @param token the replay's random token, as the header {@code iomt.replay.id} carries it (16 hex
 *     digits)
 * @param producedAt the earliest timestamp the broker gave a replayed record (failures are looked
 *     for from there, less a margin for clock skew between replicas)
 * @param entries what was replayed; unmodifiable
 */
public record ReplayId(String token, Instant producedAt, List<Entry> entries) {
  private static final String PREFIX = "r1.";

  /** Refused when decoding: more than this many entries (and more bytes than they need). */
  static final int MAX_ENTRIES = 10_000;

  /**
   * One replayed dead letter.
   *
   * @param deadLetter its id in the error topic
   * @param target the topic it went to
   * @param partition the partition it went to
   * @param offset the offset the broker gave it there
   */
  public record Entry(
      RecordPosition deadLetter, ReplayPlan.Target target, int partition, long offset) {}

  public ReplayId {
    if (token == null || !token.matches("[0-9a-f]{16}")) {
      throw new IllegalArgumentException("a replay token is 16 hex digits");
    }
    entries = List.copyOf(entries);
  }

  /** A new random token. */
  public static String newToken() {
    return String.format("%016x", new java.security.SecureRandom().nextLong());
  }

  /** The opaque text of this id (URL-safe). */
  public String encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out =
        new DataOutputStream(
            new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_COMPRESSION)))) {
      out.writeLong(Long.parseUnsignedLong(token, 16));
      out.writeLong(producedAt.toEpochMilli());
      writeVar(out, entries.size());
      long lastDeadLetter = 0;
      long lastOffset = 0;
      for (Entry e : entries) {
        writeVar(out, e.deadLetter().partition());
        writeVar(out, zigzag(e.deadLetter().offset() - lastDeadLetter));
        out.writeByte(e.target().ordinal());
        writeVar(out, e.partition());
        writeVar(out, zigzag(e.offset() - lastOffset));
        lastDeadLetter = e.deadLetter().offset();
        lastOffset = e.offset();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write to memory", e);
    }
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
  }

  /**
   * Reads an id {@link #encode()} wrote.
   *
   * @throws IllegalArgumentException when the text is not a replay id
   */
  public static ReplayId decode(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a replay id");
    }
    try (DataInputStream in =
        new DataInputStream(
            new InflaterInputStream(
                new java.io.ByteArrayInputStream(
                    Base64.getUrlDecoder().decode(text.substring(PREFIX.length()))),
                new Inflater()))) {
      String token = String.format("%016x", in.readLong());
      Instant at = Instant.ofEpochMilli(in.readLong());
      long n = readVar(in);
      if (n < 0 || n > MAX_ENTRIES) {
        throw new IllegalArgumentException("not a replay id");
      }
      List<Entry> entries = new ArrayList<>((int) n);
      long lastDeadLetter = 0;
      long lastOffset = 0;
      ReplayPlan.Target[] targets = ReplayPlan.Target.values();
      for (int i = 0; i < n; i++) {
        int dlPartition = Math.toIntExact(readVar(in));
        long dlOffset = lastDeadLetter + unzigzag(readVar(in));
        int target = in.readUnsignedByte();
        if (target >= targets.length) {
          throw new IllegalArgumentException("not a replay id");
        }
        int partition = Math.toIntExact(readVar(in));
        long offset = lastOffset + unzigzag(readVar(in));
        entries.add(
            new Entry(
                new RecordPosition(dlPartition, dlOffset), targets[target], partition, offset));
        lastDeadLetter = dlOffset;
        lastOffset = offset;
      }
      if (in.read() != -1) {
        throw new IllegalArgumentException("not a replay id");
      }
      return new ReplayId(token, at, entries);
    } catch (IOException | RuntimeException e) { // bad base64, deflate data, numbers
      throw new IllegalArgumentException("not a replay id", e);
    }
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  private static void writeVar(DataOutputStream out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  private static long readVar(InputStream in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("truncated");
      }
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("varint too long");
  }
}
