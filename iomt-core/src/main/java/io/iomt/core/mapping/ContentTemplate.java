package io.iomt.core.mapping;

import static java.util.stream.Collectors.joining;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.error.DataException;
import io.iomt.core.error.ErrorOrigin;
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
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One compiled device template: every expression parsed once at load, applied per event. Immutable
 * and thread-safe.
 *
 * <p>Every data error it raises keeps MedTech's wording ({@code Unable to extract required value
 * for [DeviceIdExpression] using $.deviceId}) and carries its {@link ErrorOrigin}: the template,
 * the field and where the expression is written in the mapping file. The origin is built only when
 * an error is thrown, so a successful event allocates nothing for it.
 *
 * @param position 1-based index of the template in the mapping (nested collections flattened)
 * @param templateAt where the template's {@code templateType} is written in the mapping file
 * @param typeNameAt where the typeName is written in the mapping file
 * @param timestamps the timestamp expression and its fallbacks, tried in order
 * @param correlationId null when the template maps none; when set its value is required
 */
record ContentTemplate(
    int position,
    LocatedJson.Position templateAt,
    LocatedJson.Position typeNameAt,
    TemplateKind kind,
    String typeName,
    Field typeMatch,
    Field deviceId,
    List<Field> timestamps,
    Field patientId,
    Field encounterId,
    Field correlationId,
    List<ValueTemplate> values) {

  /**
   * One expression of the template with the name MedTech gives it in messages ({@code
   * DeviceIdExpression}, or a value's name) and where it is written in the mapping file (for the
   * fixed expressions of IoT Hub and IoT Central templates, where the template is written).
   */
  record Field(String name, MappingExpression expression, LocatedJson.Position at) {
    String text() {
      return expression.text();
    }
  }

  /** One entry of {@code values}. */
  record ValueTemplate(String name, Field expression, boolean required) {}

  static final String TYPE_MATCH = "TypeMatchExpression";
  static final String DEVICE_ID = "DeviceIdExpression";
  static final String TIMESTAMP = "TimestampExpression";
  static final String PATIENT_ID = "PatientIdExpression";
  static final String ENCOUNTER_ID = "EncounterIdExpression";
  static final String CORRELATION_ID = "CorrelationIdExpression";

  private static final String MATCHED_TOKEN = "matchedToken";

  /** Applies the template to one envelope, handing each measurement to {@code out}. */
  void apply(ObjectNode envelope, Instant ingestionTime, Consumer<Measurement> out) {
    List<JsonNode> matches = new ArrayList<>();
    try {
      typeMatch.expression().matches(envelope, matches::add);
    } catch (JmesPathFunctionException e) {
      throw evaluationError(typeMatch, e);
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
    String device = requiredText(root, deviceId);
    Instant occurrence = timestamp(root);
    String patient = optionalText(root, patientId);
    String encounter = optionalText(root, encounterId);
    String correlation = correlationId == null ? null : requiredText(root, correlationId);
    List<MeasurementProperty> properties = new ArrayList<>(values.size());
    for (ValueTemplate value : values) {
      String text = text(root, value.expression());
      if (value.required() && ValueText.isBlank(text)) {
        throw missing(value.expression());
      }
      if (text != null) {
        properties.add(new MeasurementProperty(value.name(), text));
      }
    }
    return new Measurement(
        typeName, occurrence, ingestionTime, device, patient, encounter, correlation, properties);
  }

  private Instant timestamp(JsonNode root) {
    for (Field expression : timestamps) {
      JsonNode token = single(root, expression);
      if (token == null || token.isNull() || ValueText.isBlank(ValueText.of(token))) {
        continue;
      }
      if (!token.isTextual()) {
        throw new InvalidDataFormatException(
                "The value for ["
                    + TIMESTAMP
                    + "] using "
                    + expression.text()
                    + " is "
                    + abbreviate(token.toString())
                    + ", not a date-time string")
            .withOrigin(origin(expression));
      }
      Optional<Instant> parsed = Timestamps.parse(token.textValue());
      if (parsed.isEmpty()) {
        throw new InvalidDataFormatException(
                "Unable to parse the value '"
                    + abbreviate(token.textValue())
                    + "' for ["
                    + TIMESTAMP
                    + "] using "
                    + expression.text()
                    + " as a date-time (expected ISO-8601, e.g. 2021-07-07T17:00:00Z)")
            .withOrigin(origin(expression));
      }
      return parsed.get();
    }
    String tried = timestamps.stream().map(Field::text).collect(joining(" or "));
    Field first = timestamps.get(0);
    throw new IncompatibleDataException(
            "Unable to extract required value for [" + TIMESTAMP + "] using " + tried)
        .withOrigin(origin(first.name(), tried, first.at()));
  }

  private String requiredText(JsonNode root, Field expression) {
    String text = text(root, expression);
    if (ValueText.isBlank(text)) {
      throw missing(expression);
    }
    return text;
  }

  private String optionalText(JsonNode root, Field expression) {
    return expression == null ? null : text(root, expression);
  }

  private String text(JsonNode root, Field expression) {
    return ValueText.of(single(root, expression));
  }

  private JsonNode single(JsonNode root, Field expression) {
    try {
      return expression.expression().single(root);
    } catch (JsonPath.MultipleTokensException e) {
      throw new IncompatibleDataException(
              "Multiple tokens matched for ["
                  + expression.name()
                  + "] using "
                  + expression.text()
                  + "; the expression must match at most one token")
          .withOrigin(origin(expression));
    } catch (JmesPathFunctionException e) {
      throw evaluationError(expression, e);
    }
  }

  private DataException evaluationError(Field expression, JmesPathFunctionException e) {
    return new IncompatibleDataException(
            "Unable to evaluate ["
                + expression.name()
                + "] using "
                + expression.text()
                + ": "
                + e.getMessage(),
            e)
        .withOrigin(origin(expression));
  }

  /** MedTech's message, word for word: users search for it. */
  private DataException missing(Field expression) {
    return new IncompatibleDataException(
            "Unable to extract required value for ["
                + expression.name()
                + "] using "
                + expression.text())
        .withOrigin(origin(expression));
  }

  private ErrorOrigin origin(Field expression) {
    return origin(expression.name(), expression.text(), expression.at());
  }

  private ErrorOrigin origin(String field, String expression, LocatedJson.Position at) {
    return new ErrorOrigin(
        "device",
        position - 1,
        kind.displayName,
        typeName,
        field,
        expression,
        at.line(),
        at.column());
  }

  private static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
