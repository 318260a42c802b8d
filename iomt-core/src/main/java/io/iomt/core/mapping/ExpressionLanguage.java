package io.iomt.core.mapping;

import java.util.Locale;

/** The expression languages a mapping may use; names match case-insensitively. */
enum ExpressionLanguage {
  JSON_PATH("JsonPath"),
  JMES_PATH("JmesPath");

  private final String displayName;

  ExpressionLanguage(String displayName) {
    this.displayName = displayName;
  }

  static ExpressionLanguage fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (ExpressionLanguage l : values()) {
      if (l.displayName.toLowerCase(Locale.ROOT).equals(n)) {
        return l;
      }
    }
    return null;
  }

  String displayName() {
    return displayName;
  }
}
