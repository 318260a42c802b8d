package io.iomt.service.management.security;

import java.util.Locale;
import java.util.Optional;

/** What a management caller may do. A contributor may do everything a reader may. */
public enum Role {
  /** GET and HEAD: read resources and lists. */
  READER,
  /** Also PUT, PATCH, POST and DELETE: change resources. */
  CONTRIBUTOR;

  /** The Spring Security authority of this role, e.g. {@code ROLE_READER}. */
  public String authority() {
    return "ROLE_" + name();
  }

  /** The name used in settings, logs and error messages: {@code reader}, {@code contributor}. */
  public String setting() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role a setting names ({@code reader} or {@code contributor}, in any case). */
  public static Optional<Role> fromSetting(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (Role r : values()) {
      if (r.setting().equalsIgnoreCase(value.trim())) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
