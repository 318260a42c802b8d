package io.iomt.fhir.identity;

import java.util.Locale;

/** MedTech's {@code resourceIdentityResolutionType}. */
public enum ResolutionType {
  /** Find the Device by identifier and its linked Patient; never create anything. */
  LOOKUP,
  /** As LOOKUP, and every measurement must carry an encounter id. */
  LOOKUP_WITH_ENCOUNTER,
  /** As LOOKUP, else create the Patient and the Device with deterministic ids. */
  CREATE;

  public static ResolutionType parse(String text) {
    String t = text.trim().replace("_", "").toLowerCase(Locale.ROOT);
    for (ResolutionType r : values()) {
      if (r.name().replace("_", "").toLowerCase(Locale.ROOT).equals(t)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "resourceIdentityResolutionType must be Lookup, LookupWithEncounter or Create, not '"
            + text
            + "'");
  }
}
