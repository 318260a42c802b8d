package io.iomt.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * An OCI image archive (an OCI image layout in a tar, as {@code jib:buildTar} writes it) read with
 * plain Java: where each file of the archive sits, and its JSON documents. Not thread-safe; holds
 * no open file between calls.
 */
final class OciImage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path tar;
  private final Map<String, long[]> files; // name -> {offset, size}

  private OciImage(Path tar, Map<String, long[]> files) {
    this.tar = tar;
    this.files = files;
  }

  /** Indexes the archive's files (their content is read on demand). */
  static OciImage open(Path tar) throws IOException {
    Map<String, long[]> files = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(tar)) {
      Tar.read(
          in,
          (entry, content) -> files.put(entry.name(), new long[] {entry.offset(), entry.size()}));
    }
    return new OciImage(tar, files);
  }

  boolean has(String name) {
    return files.containsKey(name);
  }

  JsonNode json(String name) throws IOException {
    try (InputStream in = open(name)) {
      return JSON.readTree(in);
    }
  }

  /** The blob a descriptor ({@code digest}, {@code size}) points at, parsed as JSON. */
  JsonNode blobJson(JsonNode descriptor) throws IOException {
    return json(blobName(descriptor));
  }

  static String blobName(JsonNode descriptor) {
    return "blobs/" + descriptor.get("digest").asText().replace(':', '/');
  }

  long size(String name) {
    return entry(name)[1];
  }

  InputStream open(String name) throws IOException {
    long[] e = entry(name);
    FileChannel channel = FileChannel.open(tar, StandardOpenOption.READ);
    channel.position(e[0]);
    return new java.io.FilterInputStream(Channels.newInputStream(channel)) {
      private long left = e[1];

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        left--;
        return super.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = super.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
  }

  /** The gzip-compressed layer a descriptor points at, uncompressed. */
  InputStream layer(JsonNode descriptor) throws IOException {
    return new GZIPInputStream(open(blobName(descriptor)), 1 << 16);
  }

  private long[] entry(String name) {
    long[] e = files.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          name + " is not in " + tar + " (it has " + files.keySet() + ")");
    }
    return e;
  }

  /** {@code sha256:<hex>} of everything {@code in} yields (closed here). */
  static String sha256(InputStream in) {
    try (in) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A small tar reader: ustar names with their prefix, pax extended headers ({@code path}, {@code
   * linkpath}, {@code size}) and GNU long names, which is what image layers use.
   */
  static final class Tar {
    /** One entry; {@code offset} is where its content starts in the stream. */
    record Entry(String name, char type, long size, int mode, String link, long offset) {
      boolean isDirectory() {
        return type == '5';
      }

      boolean isFile() {
        return type == '0' || type == '\0' || type == '7';
      }

      boolean isSymlink() {
        return type == '2';
      }

      boolean isHardLink() {
        return type == '1';
      }
    }

    /** Receives each entry; {@code content} yields the entry's bytes (may be left unread). */
    interface Visitor {
      void visit(Entry entry, InputStream content) throws IOException;
    }

    static void read(InputStream raw, Visitor visitor) throws IOException {
      CountingStream in = new CountingStream(raw);
      byte[] header = new byte[512];
      Map<String, String> pax = new LinkedHashMap<>();
      String longName = null;
      String longLink = null;
      while (in.readFully(header)) {
        if (isZero(header)) {
          break;
        }
        String name = string(header, 0, 100);
        String prefix = string(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        int mode = (int) octal(header, 100, 8);
        long size = octal(header, 124, 12);
        char type = (char) header[156];
        String link = string(header, 157, 100);
        if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
          byte[] body = in.readBytes(size);
          in.skipPadding(size);
          if (type == 'x') {
            pax = parsePax(body);
          } else if (type == 'L') {
            longName = new String(body, StandardCharsets.UTF_8).replace("\0", "");
          } else if (type == 'K') {
            longLink = new String(body, StandardCharsets.UTF_8).replace("\0", "");
          }
          continue;
        }
        if (longName != null) {
          name = longName;
        }
        if (longLink != null) {
          link = longLink;
        }
        name = pax.getOrDefault("path", name);
        link = pax.getOrDefault("linkpath", link);
        if (pax.containsKey("size")) {
          size = Long.parseLong(pax.get("size"));
        }
        pax = new LinkedHashMap<>();
        longName = null;
        longLink = null;
        while (name.startsWith("./") || name.startsWith("/")) {
          name = name.substring(name.startsWith("/") ? 1 : 2);
        }
        while (name.endsWith("/")) {
          name = name.substring(0, name.length() - 1);
        }
        Entry entry = new Entry(name, type, size, mode, link, in.count());
        BoundedStream content = new BoundedStream(in, size);
        visitor.visit(entry, content);
        content.skipRest();
        in.skipPadding(size);
      }
    }

    private static Map<String, String> parsePax(byte[] body) {
      Map<String, String> values = new LinkedHashMap<>();
      int i = 0;
      while (i < body.length) {
        int space = i;
        while (body[space] != ' ') {
          space++;
        }
        int length = Integer.parseInt(new String(body, i, space - i, StandardCharsets.US_ASCII));
        String record =
            new String(body, space + 1, length - (space - i) - 2, StandardCharsets.UTF_8);
        int eq = record.indexOf('=');
        values.put(record.substring(0, eq), record.substring(eq + 1));
        i += length;
      }
      return values;
    }

    private static boolean isZero(byte[] b) {
      for (byte x : b) {
        if (x != 0) {
          return false;
        }
      }
      return true;
    }

    private static String string(byte[] b, int off, int len) {
      int end = off;
      while (end < off + len && b[end] != 0) {
        end++;
      }
      return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
      String s = string(b, off, len).trim();
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    private static final class CountingStream {
      private final InputStream in;
      private long count;

      CountingStream(InputStream in) {
        this.in = in;
      }

      long count() {
        return count;
      }

      boolean readFully(byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, b.length);
        count += n;
        return n == b.length;
      }

      byte[] readBytes(long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long left = size;
        while (left > 0) {
          int n = read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new IOException("truncated tar");
          }
          out.write(buf, 0, n);
          left -= n;
        }
        return out.toByteArray();
      }

      int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          count += n;
        }
        return n;
      }

      void skip(long n) throws IOException {
        in.skipNBytes(n);
        count += n;
      }

      void skipPadding(long size) throws IOException {
        long pad = (512 - size % 512) % 512;
        skip(pad);
      }
    }

    private static final class BoundedStream extends InputStream {
      private final CountingStream in;
      private long left;

      BoundedStream(CountingStream in, long size) {
        this.in = in;
        this.left = size;
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }

      void skipRest() throws IOException {
        in.skip(left);
        left = 0;
      }
    }
  }
}
