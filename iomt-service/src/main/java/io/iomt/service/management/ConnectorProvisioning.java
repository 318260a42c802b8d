package io.iomt.service.management;

import io.iomt.service.ServiceConfiguration.ConnectorDefinition;

/**
 * The workflow behind an iotconnector/fhirdestination PUT and DELETE: making and checking what a
 * connector needs before its stages run, and removing what it made once they have stopped
 * everywhere. Both are idempotent (a replica that takes over after a crash runs them again).
 * Thread-safe.
 */
public interface ConnectorProvisioning {
  /**
   * Makes what the connector needs (its internal topics with their partitions, the checkpoint
   * container of an Event Hubs source) and checks that its source and FHIR server can be reached
   * with the identity it will use.
   *
   * @throws ProvisioningException naming what is missing or refused
   */
  void provision(ConnectorDefinition connector);

  /**
   * Waits until no replica runs the connector's stages any more (their consumer groups are empty,
   * up to a timeout), then removes its internal topics, its consumer groups and its checkpoints.
   * The customer's source (an Event Hub, a topic it did not make) and FHIR data are left alone.
   *
   * @throws ProvisioningException when something could not be removed
   */
  void deprovision(ConnectorDefinition connector);

  /** Why provisioning failed, in ARM's terms: a code and a message for the operation's error. */
  final class ProvisioningException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    /**
     * @param code e.g. {@code FhirServerUnreachable}, {@code SourceUnauthorized}, {@code
     *     EventHubNotFound}, {@code CheckpointStoreUnavailable}, {@code BrokerUnavailable}
     */
    public ProvisioningException(String code, String message, Throwable cause) {
      super(message, cause);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }
}
