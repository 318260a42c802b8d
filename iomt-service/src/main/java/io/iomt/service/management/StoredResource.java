package io.iomt.service.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * A resource as the store keeps it: its ARM representation, the write-only values taken out of it,
 * its etag and the last long-running operation on it. Immutable; {@link #body()} must not be
 * modified once the record is built (copy it with {@code deepCopy()} to change it).
 *
 * @param id the resource's id
 * @param etag the etag the store gave this version (an opaque quoted string, as ARM's); null on a
 *     resource not yet written
 * @param body the ARM representation as GET shows it: {@code id, name, type, location, tags,
 *     identity, systemData, properties} with {@code properties.provisioningState}; no secrets
 * @param secrets the write-only values removed from the body, by JSON pointer into it (e.g. {@code
 *     /properties/iomt/auth/clientSecret}); never returned by the API, never logged
 * @param operation the last operation that changed the resource; null for none
 */
public record StoredResource(
    ResourceId id, String etag, ObjectNode body, Map<String, String> secrets, Operation operation) {
  public StoredResource {
    secrets = Map.copyOf(secrets);
  }

  /** {@code properties.provisioningState}, or {@code Succeeded} when the body has none. */
  public String provisioningState() {
    return body.path("properties").path("provisioningState").asText("Succeeded");
  }

  /** The same resource with another etag (the store sets it when it writes). */
  public StoredResource withEtag(String newEtag) {
    return new StoredResource(id, newEtag, body, secrets, operation);
  }

  /**
   * A long-running operation, as the {@code Azure-AsyncOperation} resource reports it.
   *
   * @param id the operation's id (a UUID), the last segment of its status URL
   * @param status {@code Running}, {@code Succeeded}, {@code Failed} or {@code Canceled}
   * @param kind what it does: {@code create}, {@code update} or {@code delete}
   * @param startTime when it was accepted
   * @param endTime when it ended; null while it runs
   * @param error why it failed; null unless {@code Failed}
   */
  public record Operation(
      String id, String status, String kind, Instant startTime, Instant endTime, ArmError error) {
    public boolean isRunning() {
      return endTime == null;
    }
  }
}
