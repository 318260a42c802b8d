package io.iomt.core.mapping;

import static java.util.stream.Collectors.joining;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.error.IncompatibleDataException;
import io.iomt.core.error.InvalidDataFormatException;
import io.iomt.core.jmespath.JmesPathFunctionException;
import io.iomt.core.jsonpath.JsonPath;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementProperty;
import io.iomt.core.measurement.Timestamps;
import io.iomt.core.template.LocatedJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One compiled device template: every expression parsed once at load, applied per event. Immutable
 * and thread-safe.
 *
 * @param position 1-based index of the template in the mapping, for messages
 * @param typeNameAt where the typeName is written in the mapping file
 * @param timestamps the timestamp expression and its fallbacks, tried in order
 * @param correlationId null when the template maps none; when set its value is required
 */
record ContentTemplate(
    int position,
    LocatedJson.Position typeNameAt,
    TemplateKind kind,
    String typeName,
    MappingExpression typeMatch,
    MappingExpression deviceId,
    List<MappingExpression> timestamps,
    MappingExpression patientId,
    MappingExpression encounterId,
    MappingExpression correlationId,
    List<ValueTemplate> values) {

  /** One entry of {@code values}. */
  record ValueTemplate(String name, MappingExpression expression, boolean required) {}

  private static final String MATCHED_TOKEN = "matchedToken";

  /** Applies the template to one envelope, handing each measurement to {@code out}. */
  void apply(ObjectNode envelope, Instant ingestionTime, Consumer<Measurement> out) {
    List<JsonNode> matches = new ArrayList<>();
    try {
      typeMatch.matches(envelope, matches::add);
    } catch (JmesPathFunctionException e) {
      throw evaluationError("typeMatchExpression", typeMatch, e);
    }
    for (JsonNode token : matches) {
      out.accept(measure(scope(envelope, token), ingestionTime));
    }
  }

  private JsonNode scope(ObjectNode envelope, JsonNode token) {
    if (kind.scope == TemplateKind.Scope.MATCHED_TOKEN) {
      return token;
    }
    ObjectNode scoped = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : envelope.properties()) {
      scoped.set(e.getKey(), e.getValue());
    }
    scoped.set(MATCHED_TOKEN, token);
    return scoped;
  }

  private Measurement measure(JsonNode root, Instant ingestionTime) {
    String device = requiredText(root, deviceId, "deviceId");
    Instant occurrence = timestamp(root);
    String patient = optionalText(root, patientId, "patientId");
    String encounter = optionalText(root, encounterId, "encounterId");
    String correlation =
        correlationId == null ? null : requiredText(root, correlationId, "correlationId");
    List<MeasurementProperty> properties = new ArrayList<>(values.size());
    for (ValueTemplate value : values) {
      String text = text(root, value.expression(), value.name());
      if (value.required() && ValueText.isBlank(text)) {
        throw missing(value.name(), value.expression());
      }
      if (text != null) {
        properties.add(new MeasurementProperty(value.name(), text));
      }
    }
    return new Measurement(
        typeName, occurrence, ingestionTime, device, patient, encounter, correlation, properties);
  }

  private Instant timestamp(JsonNode root) {
    for (MappingExpression expression : timestamps) {
      JsonNode token = single(root, expression, "timestamp");
      if (token == null || token.isNull() || ValueText.isBlank(ValueText.of(token))) {
        continue;
      }
      if (!token.isTextual()) {
        throw new InvalidDataFormatException(
            "The value for [timestamp] using "
                + expression.text()
                + " is "
                + abbreviate(token.toString())
                + ", not a date-time string"
                + where());
      }
      return Timestamps.parse(token.textValue())
          .orElseThrow(
              () ->
                  new InvalidDataFormatException(
                      "Unable to parse the value '"
                          + abbreviate(token.textValue())
                          + "' for [timestamp] using "
                          + expression.text()
                          + " as a date-time (expected ISO-8601, e.g. 2021-07-07T17:00:00Z)"
                          + where()));
    }
    throw new IncompatibleDataException(
        "Unable to extract required value for [timestamp] using "
            + timestamps.stream().map(MappingExpression::text).collect(joining(" or "))
            + where());
  }

  private String requiredText(JsonNode root, MappingExpression expression, String field) {
    String text = text(root, expression, field);
    if (ValueText.isBlank(text)) {
      throw missing(field, expression);
    }
    return text;
  }

  private String optionalText(JsonNode root, MappingExpression expression, String field) {
    return expression == null ? null : text(root, expression, field);
  }

  private String text(JsonNode root, MappingExpression expression, String field) {
    return ValueText.of(single(root, expression, field));
  }

  private JsonNode single(JsonNode root, MappingExpression expression, String field) {
    try {
      return expression.single(root);
    } catch (JsonPath.MultipleTokensException e) {
      throw new IncompatibleDataException(
          "Multiple tokens matched for ["
              + field
              + "] using "
              + expression.text()
              + "; the expression must match at most one token"
              + where());
    } catch (JmesPathFunctionException e) {
      throw evaluationError(field, expression, e);
    }
  }

  private IncompatibleDataException evaluationError(
      String field, MappingExpression expression, JmesPathFunctionException e) {
    return new IncompatibleDataException(
        "Unable to evaluate ["
            + field
            + "] using "
            + expression.text()
            + ": "
            + e.getMessage()
            + where(),
        e);
  }

  private IncompatibleDataException missing(String field, MappingExpression expression) {
    return new IncompatibleDataException(
        "Unable to extract required value for ["
            + field
            + "] using "
            + expression.text()
            + where());
  }

  private String where() {
    return " (template " + position + ", typeName '" + typeName + "')";
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
