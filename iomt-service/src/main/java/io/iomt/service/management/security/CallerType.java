package io.iomt.service.management.security;

/**
 * The kind of identity behind a management call, as Azure Resource Manager's {@code
 * systemData.createdByType} and {@code lastModifiedByType} name it.
 */
public enum CallerType {
  /** A person: a user's (delegated) OAuth2 token. */
  USER("User"),
  /** An application acting on its own behalf: an app-only OAuth2 token (client credentials). */
  APPLICATION("Application"),
  /** A shared key: one of {@code iomt.management.api-keys}. */
  KEY("Key");

  private final String armName;

  CallerType(String armName) {
    this.armName = armName;
  }

  /**
   * The value for {@code systemData.createdByType}: {@code User}, {@code Application}, {@code Key}.
   */
  public String armName() {
    return armName;
  }
}
