package io.iomt.fhir.auth;

import java.util.Objects;

/**
 * A secret value (token, client secret, connection string). Its {@link #toString()} is masked so it
 * never reaches logs, exception messages or API output by accident; {@link #reveal()} is the one
 * explicit way to read it.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "******";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
