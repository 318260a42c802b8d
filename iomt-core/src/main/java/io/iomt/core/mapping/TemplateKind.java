package io.iomt.core.mapping;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The device template types, their accepted spellings and the properties each allows. */
enum TemplateKind {
  JSON_PATH_CONTENT("JsonPathContent", Scope.MATCHED_TOKEN),
  IOT_JSON_PATH_CONTENT("IotJsonPathContent", Scope.MATCHED_TOKEN),
  IOT_CENTRAL_JSON_PATH_CONTENT("IotCentralJsonPathContent", Scope.MATCHED_TOKEN),
  CALCULATED_CONTENT("CalculatedContent", Scope.ENVELOPE_WITH_MATCHED_TOKEN);

  /** What {@code $} means in the expressions other than the type match. */
  enum Scope {
    /** {@code $} is the matched token (the three JSONPath-only template types). */
    MATCHED_TOKEN,
    /** {@code $} is the envelope with the matched token added as {@code matchedToken}. */
    ENVELOPE_WITH_MATCHED_TOKEN
  }

  static final String COLLECTION = "CollectionContent";

  private static final Map<String, TemplateKind> SPELLINGS =
      Map.of(
          "jsonpathcontent", JSON_PATH_CONTENT,
          "jsonpathcontenttemplate", JSON_PATH_CONTENT,
          "iotjsonpathcontent", IOT_JSON_PATH_CONTENT,
          "iotjsonpathcontenttemplate", IOT_JSON_PATH_CONTENT,
          "iotcentraljsonpathcontent", IOT_CENTRAL_JSON_PATH_CONTENT,
          "iotcentraljsonpathcontenttemplate", IOT_CENTRAL_JSON_PATH_CONTENT,
          "calculatedcontent", CALCULATED_CONTENT,
          "calculatedcontenttemplate", CALCULATED_CONTENT);

  static final List<String> ACCEPTED_NAMES =
      List.of(
          "CollectionContent",
          "JsonPathContent",
          "IotJsonPathContent",
          "IotCentralJsonPathContent",
          "CalculatedContent");

  private static final Set<String> COMMON =
      Set.of(
          "typeName",
          "typeMatchExpression",
          "patientIdExpression",
          "encounterIdExpression",
          "correlationIdExpression",
          "values");

  final String displayName;
  final Scope scope;

  TemplateKind(String displayName, Scope scope) {
    this.displayName = displayName;
    this.scope = scope;
  }

  /** The kind for a {@code templateType} value, or null when unknown. */
  static TemplateKind fromName(String name) {
    return SPELLINGS.get(name.trim().toLowerCase(Locale.ROOT));
  }

  static boolean isCollection(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.equals("collectioncontent") || n.equals("collectioncontenttemplate");
  }

  /** Properties this kind accepts, in canonical spelling. */
  boolean allows(String canonical) {
    return COMMON.contains(canonical)
        || switch (this) {
          case JSON_PATH_CONTENT ->
              Set.of("deviceIdExpression", "timestampExpression").contains(canonical);
          case CALCULATED_CONTENT ->
              Set.of("deviceIdExpression", "timestampExpression", "defaultExpressionLanguage")
                  .contains(canonical);
          default -> false;
        };
  }

  /** Whether the device id and timestamp expressions are fixed by the type (IoT Hub, Central). */
  boolean hasFixedIdentity() {
    return this == IOT_JSON_PATH_CONTENT || this == IOT_CENTRAL_JSON_PATH_CONTENT;
  }

  static Set<String> knownProperties() {
    return Set.of(
        "typeName",
        "typeMatchExpression",
        "deviceIdExpression",
        "timestampExpression",
        "patientIdExpression",
        "encounterIdExpression",
        "correlationIdExpression",
        "values",
        "defaultExpressionLanguage");
  }
}
