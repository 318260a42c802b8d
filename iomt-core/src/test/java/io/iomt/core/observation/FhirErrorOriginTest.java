package io.iomt.core.observation;

import static io.iomt.core.observation.Measurements.at;
import static io.iomt.core.observation.Measurements.m;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.iomt.core.error.DataException;
import io.iomt.core.error.ErrorOrigin;
import io.iomt.core.fhirmapping.FhirMapping;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Data errors of the FHIR conversion say which template and value raised them, at the line and
 * column of the value object (or, for the template as a whole, of its periodInterval).
 */
class FhirErrorOriginTest {
  private static final String MAPPING =
      """
      {"templateType": "CollectionFhir", "template": [
        {"templateType": "CodeValueFhir", "template": {
          "typeName": "BloodPressure", "periodInterval": "Hourly", "codes": [],
          "components": [
            {"codes": [], "value": {"valueType": "Quantity", "valueName": "systolic"}},
            {"codes": [], "value": {"valueType": "SampledData", "valueName": "diastolic",
                                    "defaultPeriod": 60000}}]}},
        {"templateType": "CodeValueFhir", "template": {
          "typeName": "session", "periodInterval": -1, "codes": [],
          "value": {"valueType": "String", "valueName": "note"}}}]}
      """;
  private static final FhirMapping FHIR_MAPPING = FhirMapping.parse(MAPPING);
  private static final ObservationFactory FACTORY =
      new ObservationFactory(Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
  private static final ObservationFactory.Subject SUBJECT =
      new ObservationFactory.Subject("p", "d", null);

  private static void assertAt(ErrorOrigin origin, String text) {
    int i = MAPPING.indexOf(text);
    assertThat(i).isNotNegative();
    assertThat(origin.line())
        .as("line")
        .isEqualTo((int) MAPPING.substring(0, i).chars().filter(c -> c == '\n').count() + 1);
    assertThat(origin.column()).as("column").isEqualTo(i - MAPPING.lastIndexOf('\n', i - 1));
  }

  private static DataException conversionError(String... nameValuesAtTimes) {
    List<io.iomt.core.measurement.Measurement> ms =
        List.of(
            m("bloodpressure", "cuff", "2026-11-26T08:00:00Z", nameValuesAtTimes),
            m("bloodpressure", "cuff", "2026-11-26T08:10:00Z", "systolic", "118"));
    Grouper.Result grouped = Grouper.group(ms, FHIR_MAPPING);
    assertThat(grouped.groups()).hasSize(1);
    return catchThrowableOfType(
        DataException.class, () -> FACTORY.create(grouped.groups().get(0), SUBJECT));
  }

  @Test
  void aQuantityWithSeveralValuesPointsAtItsValueObject() {
    DataException e = conversionError("systolic", "121");
    assertThat(e.errorName()).isEqualTo("InvalidQuantityFhirValueException");
    assertThat(e.origin())
        .extracting(
            ErrorOrigin::mapping,
            ErrorOrigin::templateIndex,
            ErrorOrigin::templateType,
            ErrorOrigin::typeName,
            ErrorOrigin::field,
            ErrorOrigin::expression)
        .containsExactly("fhir", 0, "CodeValueFhir", "BloodPressure", "systolic", null);
    assertAt(e.origin(), "{\"valueType\": \"Quantity\"");
  }

  @Test
  void aSampledDataValueThatIsNotNumericPointsAtItsValueObject() {
    DataException e = conversionError("diastolic", "high");
    assertThat(e.getMessage()).contains("SampledData needs decimal values, got 'high'");
    assertThat(e.origin().field()).isEqualTo("diastolic");
    assertAt(e.origin(), "{\"valueType\": \"SampledData\"");
  }

  @Test
  void aMissingCorrelationIdPointsAtThePeriodInterval() {
    Grouper.Result grouped =
        Grouper.group(
            List.of(at("session", "pump", "p", "2026-11-26T08:00:00Z", null, null, "note", "x")),
            FHIR_MAPPING);
    DataException e = grouped.failures().get(0).error();
    assertThat(e.errorName()).isEqualTo("CorrelationIdNotDefinedException");
    assertThat(e.origin())
        .extracting(ErrorOrigin::templateIndex, ErrorOrigin::typeName, ErrorOrigin::field)
        .containsExactly(1, "session", null);
    assertAt(e.origin(), "-1, \"codes\"");
  }

  @Test
  void aMeasurementTypeWithoutTemplateHasNoOrigin() {
    Grouper.Result grouped =
        Grouper.group(
            List.of(m("weight", "scale", "2026-11-26T08:00:00Z", "kg", "80")), FHIR_MAPPING);
    assertThat(grouped.failures().get(0).error().origin()).isNull();
  }
}
