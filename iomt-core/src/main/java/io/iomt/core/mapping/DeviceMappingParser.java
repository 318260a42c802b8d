package io.iomt.core.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.jmespath.JmesPathExpression;
import io.iomt.core.jmespath.JmesPathSyntaxException;
import io.iomt.core.jsonpath.JsonPath;
import io.iomt.core.jsonpath.JsonPathSyntaxException;
import io.iomt.core.mapping.ContentTemplate.Field;
import io.iomt.core.mapping.ContentTemplate.ValueTemplate;
import io.iomt.core.template.LocatedJson;
import io.iomt.core.template.LocatedJson.Position;
import io.iomt.core.template.Problems;
import io.iomt.core.template.Props;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a device mapping, validating it completely: it never stops at the first problem, so a user
 * sees every problem of the file, each at its line and column, in one pass.
 */
final class DeviceMappingParser {
  private static final List<MappingExpression> IOT_HUB_TIMESTAMPS =
      List.of(
          jsonPath("$.Properties.iothub-creation-time-utc"),
          jsonPath("$.SystemProperties.iothub-enqueuedtime"));
  private static final MappingExpression IOT_HUB_DEVICE_ID =
      jsonPath("$.SystemProperties.iothub-connection-device-id");
  private static final MappingExpression IOT_CENTRAL_DEVICE_ID = jsonPath("$.deviceId");
  private static final List<MappingExpression> IOT_CENTRAL_TIMESTAMPS =
      List.of(jsonPath("$.enqueuedTime"));

  private final Problems problems = new Problems();
  private final List<ContentTemplate> templates = new ArrayList<>();
  private LocatedJson doc;

  /** The result of reading a mapping: the templates, usable only when there are no errors. */
  record Result(List<ContentTemplate> templates, List<TemplateProblem> problems) {
    boolean hasErrors() {
      return problems.stream().anyMatch(TemplateProblem::isError);
    }
  }

  Result parse(byte[] json) {
    doc = LocatedJson.read(json, problems);
    if (doc == null) {
      return result();
    }
    collection("", true);
    if (!problems.hasErrors() && templates.isEmpty()) {
      warning(doc.valueAt(""), "The mapping has no templates, so no message will match it");
    }
    return result();
  }

  private Result result() {
    return new Result(List.copyOf(templates), problems.sorted());
  }

  /** {@code {"templateType": "CollectionContent", "template": [...]}}. */
  private void collection(String pointer, boolean isRoot) {
    Props props = props(pointer, "the " + (isRoot ? "root" : "CollectionContent") + " object");
    if (props == null) {
      return;
    }
    props.rejectUnknown(List.of("templateType", "template"), "CollectionContent");
    String type = props.requiredText("templateType");
    if (type != null && !TemplateKind.isCollection(type)) {
      error(
          doc.valueAt(props.pointer("templateType")),
          "The root templateType must be 'CollectionContent', not '"
              + type
              + "'; wrap the templates in {\"templateType\": \"CollectionContent\", \"template\": [...]}");
      return;
    }
    JsonNode children = props.get("template");
    if (children == null) {
      props.missing("template");
      return;
    }
    String childrenPointer = props.pointer("template");
    if (!children.isArray()) {
      error(doc.valueAt(childrenPointer), "'template' of a CollectionContent must be an array");
      return;
    }
    for (int i = 0; i < children.size(); i++) {
      child(childrenPointer + "/" + i);
    }
  }

  /** {@code {"templateType": T, "template": {...}}}. */
  private void child(String pointer) {
    Props props = props(pointer, "a template entry");
    if (props == null) {
      return;
    }
    props.rejectUnknown(List.of("templateType", "template"), "template entry");
    String type = props.requiredText("templateType");
    if (type == null) {
      return;
    }
    if (TemplateKind.isCollection(type)) {
      collection(pointer, false);
      return;
    }
    TemplateKind kind = TemplateKind.fromName(type);
    if (kind == null) {
      error(
          doc.valueAt(props.pointer("templateType")),
          "Unknown templateType '"
              + type
              + "'; expected one of "
              + String.join(", ", TemplateKind.ACCEPTED_NAMES));
      return;
    }
    if (props.get("template") == null) {
      props.missing("template");
      return;
    }
    content(kind, props.pointer("template"), doc.valueAt(props.pointer("templateType")));
  }

  /**
   * @param templateAt where the entry's templateType is written: the position of the template's
   *     fixed expressions (IoT Hub, IoT Central), which are written nowhere in the file
   */
  private void content(TemplateKind kind, String pointer, Position templateAt) {
    String what =
        (kind.displayName.startsWith("I") ? "an " : "a ") + kind.displayName + " template";
    Props props = props(pointer, what);
    if (props == null) {
      return;
    }
    for (String name : props.names()) {
      String canonical = Props.canonical(name, TemplateKind.knownProperties());
      Position at = doc.nameAt(props.pointerOf(name));
      if (canonical == null) {
        error(
            at,
            "Unknown property '"
                + name
                + "' in "
                + what
                + Props.suggestion(name, TemplateKind.knownProperties()));
      } else if (!kind.allows(canonical)) {
        if (kind.hasFixedIdentity()
            && (canonical.equals("deviceIdExpression")
                || canonical.equals("timestampExpression"))) {
          warning(
              at,
              "'"
                  + name
                  + "' is ignored: "
                  + kind.displayName
                  + " always reads the "
                  + (canonical.equals("deviceIdExpression") ? "device id from " : "timestamp from ")
                  + fixedText(kind, canonical));
        } else if (canonical.equals("defaultExpressionLanguage")) {
          error(
              at,
              "'defaultExpressionLanguage' is only supported in CalculatedContent templates, not in "
                  + kind.displayName);
        } else {
          error(at, "Property '" + name + "' is not allowed in " + what);
        }
      }
    }
    props.reportDuplicates();

    ExpressionLanguage language = ExpressionLanguage.JSON_PATH;
    JsonNode lang = props.get("defaultExpressionLanguage");
    if (kind == TemplateKind.CALCULATED_CONTENT && lang != null && !lang.isNull()) {
      ExpressionLanguage parsed =
          lang.isTextual() ? ExpressionLanguage.fromName(lang.asText()) : null;
      if (parsed == null) {
        error(
            doc.valueAt(props.pointer("defaultExpressionLanguage")),
            "defaultExpressionLanguage must be 'JsonPath' or 'JmesPath', not " + lang);
      } else {
        language = parsed;
      }
    }
    Expressions ex = new Expressions(props, kind, language);

    String typeName = props.requiredText("typeName");
    Field typeMatch = ex.required("typeMatchExpression", ContentTemplate.TYPE_MATCH);
    Field deviceId;
    List<Field> timestamps;
    switch (kind) {
      case IOT_JSON_PATH_CONTENT -> {
        deviceId = fixed(ContentTemplate.DEVICE_ID, IOT_HUB_DEVICE_ID, templateAt);
        timestamps = fixed(ContentTemplate.TIMESTAMP, IOT_HUB_TIMESTAMPS, templateAt);
      }
      case IOT_CENTRAL_JSON_PATH_CONTENT -> {
        deviceId = fixed(ContentTemplate.DEVICE_ID, IOT_CENTRAL_DEVICE_ID, templateAt);
        timestamps = fixed(ContentTemplate.TIMESTAMP, IOT_CENTRAL_TIMESTAMPS, templateAt);
      }
      default -> {
        deviceId = ex.required("deviceIdExpression", ContentTemplate.DEVICE_ID);
        Field timestamp = ex.required("timestampExpression", ContentTemplate.TIMESTAMP);
        timestamps = timestamp == null ? null : List.of(timestamp);
      }
    }
    Field patientId = ex.optional("patientIdExpression", ContentTemplate.PATIENT_ID);
    Field encounterId = ex.optional("encounterIdExpression", ContentTemplate.ENCOUNTER_ID);
    Field correlationId = ex.optional("correlationIdExpression", ContentTemplate.CORRELATION_ID);
    List<ValueTemplate> values = values(props, ex);
    if (typeName != null && typeMatch != null && deviceId != null && timestamps != null) {
      templates.add(
          new ContentTemplate(
              templates.size() + 1,
              templateAt,
              props.valueAt("typeName"),
              kind,
              typeName,
              typeMatch,
              deviceId,
              timestamps,
              patientId,
              encounterId,
              correlationId,
              values));
    }
  }

  private static Field fixed(String name, MappingExpression expression, Position at) {
    return new Field(name, expression, at);
  }

  private static List<Field> fixed(String name, List<MappingExpression> expressions, Position at) {
    return expressions.stream().map(e -> fixed(name, e, at)).toList();
  }

  private static String fixedText(TemplateKind kind, String canonical) {
    boolean device = canonical.equals("deviceIdExpression");
    if (kind == TemplateKind.IOT_JSON_PATH_CONTENT) {
      return device
          ? IOT_HUB_DEVICE_ID.text()
          : IOT_HUB_TIMESTAMPS.get(0).text() + " (else " + IOT_HUB_TIMESTAMPS.get(1).text() + ")";
    }
    return device ? IOT_CENTRAL_DEVICE_ID.text() : IOT_CENTRAL_TIMESTAMPS.get(0).text();
  }

  private List<ValueTemplate> values(Props template, Expressions ex) {
    JsonNode values = template.get("values");
    if (values == null || values.isNull()) {
      return List.of();
    }
    String pointer = template.pointer("values");
    if (!values.isArray()) {
      error(
          doc.valueAt(pointer),
          "'values' must be an array of {valueName, valueExpression, required}");
      return List.of();
    }
    List<ValueTemplate> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      Props value = props(pointer + "/" + i, "a value");
      if (value == null) {
        continue;
      }
      value.rejectUnknown(List.of("valueName", "valueExpression", "required"), "value");
      String name = value.requiredText("valueName");
      Field expression = ex.of(value, "valueExpression", true, name);
      boolean required = value.bool("required");
      if (name != null && expression != null) {
        out.add(new ValueTemplate(name, expression, required));
      }
    }
    return out;
  }

  /** Compiles the expressions of one template with its kind's language rules. */
  private final class Expressions {
    private final Props template;
    private final TemplateKind kind;
    private final ExpressionLanguage defaultLanguage;

    Expressions(Props template, TemplateKind kind, ExpressionLanguage defaultLanguage) {
      this.template = template;
      this.kind = kind;
      this.defaultLanguage = defaultLanguage;
    }

    Field required(String name, String field) {
      return of(template, name, true, field);
    }

    Field optional(String name, String field) {
      return of(template, name, false, field);
    }

    /**
     * Compiles one expression property; {@code field} is the name data errors give it (MedTech's
     * {@code DeviceIdExpression}, or the value's name).
     */
    Field of(Props owner, String name, boolean required, String field) {
      JsonNode node = owner.get(name);
      String pointer = owner.pointer(name);
      if (node == null
          || node.isNull()
          || (node.isTextual() && node.asText().isBlank() && !required)) {
        if (required) {
          owner.missing(name);
        }
        return null;
      }
      String text;
      Position at = doc.valueAt(pointer);
      ExpressionLanguage language = defaultLanguage;
      if (node.isTextual()) {
        text = node.asText();
      } else if (node.isObject()) {
        Props expr = props(pointer, "an expression");
        expr.rejectUnknown(List.of("value", "language"), "expression");
        text = expr.requiredText("value");
        at = expr.valueAt("value");
        JsonNode lang = expr.get("language");
        if (lang != null && !lang.isNull()) {
          ExpressionLanguage parsed =
              lang.isTextual() ? ExpressionLanguage.fromName(lang.asText()) : null;
          if (parsed == null) {
            error(
                doc.valueAt(expr.pointer("language")),
                name + ": language must be 'JsonPath' or 'JmesPath', not " + lang);
            return null;
          }
          language = parsed;
        }
        if (text == null) {
          return null;
        }
      } else {
        error(
            doc.valueAt(pointer),
            name
                + " must be a string or an object {\"value\": \"...\", \"language\": \"JsonPath\"}");
        return null;
      }
      if (text.isBlank()) {
        error(doc.valueAt(pointer), name + " must not be empty");
        return null;
      }
      if (language == ExpressionLanguage.JMES_PATH && kind != TemplateKind.CALCULATED_CONTENT) {
        error(
            doc.valueAt(pointer),
            name
                + ": JMESPath expressions are only supported in CalculatedContent templates; use"
                + " JSONPath in "
                + kind.displayName
                + " or change the templateType to CalculatedContent");
        return null;
      }
      try {
        MappingExpression compiled =
            language == ExpressionLanguage.JMES_PATH
                ? new MappingExpression.JmesPath(JmesPathExpression.compile(text))
                : new MappingExpression.JsonPathExpression(JsonPath.compile(text));
        return field == null ? null : new Field(field, compiled, at);
      } catch (JsonPathSyntaxException e) {
        error(doc.valueAt(pointer), name + " is not a valid JSONPath: " + e.getMessage());
      } catch (JmesPathSyntaxException e) {
        error(doc.valueAt(pointer), name + " is not a valid JMESPath: " + e.getMessage());
      }
      return null;
    }
  }

  // --- helpers shared with Props ------------------------------------------------------------

  private Props props(String pointer, String what) {
    return Props.of(problems, doc, pointer, what);
  }

  private void error(Position at, String message) {
    problems.error(at, message);
  }

  private void warning(Position at, String message) {
    problems.warning(at, message);
  }

  private static MappingExpression jsonPath(String expression) {
    return new MappingExpression.JsonPathExpression(JsonPath.compile(expression));
  }
}
