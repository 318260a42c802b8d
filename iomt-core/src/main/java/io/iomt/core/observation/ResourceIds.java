package io.iomt.core.observation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic FHIR resource ids: the first 40 hex digits of SHA-256 over the resource type, the
 * identifier system and value. The same identity always maps to the same id, so concurrent writers
 * and replays address the same resource. This is a compatibility promise (docs/fhir-identity.md).
 */
public final class ResourceIds {
  private ResourceIds() {}

  public static String of(String resourceType, String system, String value) {
    String input = resourceType + "|" + (system == null ? "" : system) + "|" + value;
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
