package io.iomt.azure.keyvault;

import java.util.Objects;

/**
 * A Key Vault reference could not be resolved. The message names the setting, the vault and the
 * secret, and says what to do; it never holds a secret's value.
 */
public final class KeyVaultSecretException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the secret could not be read. */
  public enum Reason {
    /** 404: no such secret or version (Key Vault's {@code SecretNotFound}). */
    NOT_FOUND,
    /** 401/403, or no token could be had for the vault. */
    ACCESS_DENIED,
    /** The vault did not answer (DNS, connection, TLS, timeout) or answered 5xx. */
    UNREACHABLE,
    /** Any other answer. */
    OTHER
  }

  private final String setting;
  private final KeyVaultReference reference;
  private final Reason reason;

  KeyVaultSecretException(
      String setting, KeyVaultReference reference, Reason reason, String detail, Throwable cause) {
    super(setting + ": " + reference.describe() + " " + detail, cause);
    this.setting = Objects.requireNonNull(setting, "setting");
    this.reference = reference;
    this.reason = reason;
  }

  /** The setting whose value is the reference, e.g. {@code iomt.ingest.api-keys[0]}. */
  public String setting() {
    return setting;
  }

  public KeyVaultReference reference() {
    return reference;
  }

  public Reason reason() {
    return reason;
  }
}
