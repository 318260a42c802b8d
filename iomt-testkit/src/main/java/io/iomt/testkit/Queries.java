package io.iomt.testkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Query strings of the {@link InMemoryFhirServer}'s searches, parsed alike over HTTP and in
 * bundles.
 */
final class Queries {
  /** Result parameters a search accepts and does not filter by. */
  static final Set<String> IGNORED =
      Set.of("_count", "_summary", "_format", "_elements", "_total", "_pretty", "_sort");

  private Queries() {}

  /** {@code a=1&b=2&a=3} as {@code {a=[1,3], b=[2]}}, names and values URL-decoded. */
  static Map<String, List<String>> parse(String query) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return out;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return out;
  }

  /** Servlet-style parameters as lists. */
  static Map<String, List<String>> of(Map<String, String[]> parameters) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    parameters.forEach((name, values) -> out.put(name, List.of(values)));
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
