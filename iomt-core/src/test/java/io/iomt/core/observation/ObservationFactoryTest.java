package io.iomt.core.observation;

import static io.iomt.core.observation.Measurements.at;
import static io.iomt.core.observation.Measurements.m;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.core.error.InvalidQuantityFhirValueException;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.measurement.Measurement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.SampledData;
import org.junit.jupiter.api.Test;

/** Observation building and merging (REFERENCE.md §3), each result checked against base R4. */
class ObservationFactoryTest {
  static final FhirMapping SAMPLE = load();
  static final Clock T0 = Clock.fixed(Instant.parse("2021-07-07T18:00:00Z"), ZoneOffset.UTC);
  static final Clock T1 = Clock.fixed(Instant.parse("2021-07-07T19:00:00Z"), ZoneOffset.UTC);
  static final ObservationFactory.Subject SUBJECT =
      new ObservationFactory.Subject("pat1", "dev1", null);

  private static FhirMapping load() {
    try {
      Path samples = Path.of("").toAbsolutePath().getParent().resolve("samples");
      return FhirMapping.parse(Files.readAllBytes(samples.resolve("fhir-mapping.json")));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObservationGroup group(FhirMapping mapping, Measurement... ms) {
    Grouper.Result r = Grouper.group(List.of(ms), mapping);
    assertThat(r.failures()).isEmpty();
    assertThat(r.groups()).hasSize(1);
    return r.groups().get(0);
  }

  private static Observation valid(Observation o) {
    assertThat(R4Validator.errors(o)).as("R4 validation errors").isEmpty();
    return o;
  }

  @Test
  void aQuantityObservationCarriesCodesCategorySubjectDeviceAndPeriod() {
    ObservationFactory f = new ObservationFactory(T0);
    Observation o =
        valid(
            f.create(
                group(SAMPLE, m("heartrate", "d", "2021-07-07T17:00:00.250Z", "hr", "72")),
                SUBJECT));
    assertThat(R4Validator.R4.newJsonParser().encodeResourceToString(o))
        .isEqualTo(
            "{\"resourceType\":\"Observation\",\"id\":\""
                + o.getIdPart()
                + "\",\"identifier\":[{\"system\":\"https://iomt-connector.org/fhir/observation\","
                + "\"value\":\"pat1.dev1.heartrate.20210707170000250Z.20210707170000250Z\"}],"
                + "\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\","
                + "\"display\":\"Vital Signs\"}],\"text\":\"Vital Signs\"}],\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"8867-4\",\"display\":\"Heart rate\"},{\"system\":"
                + "\"https://iomt-connector.org/fhir/measurement-type\",\"code\":\"heartrate\","
                + "\"display\":\"heartrate\"}],\"text\":\"heartrate\"},\"subject\":{\"reference\":"
                + "\"Patient/pat1\"},\"effectivePeriod\":{\"start\":\"2021-07-07T17:00:00.250Z\","
                + "\"end\":\"2021-07-07T17:00:00.250Z\"},\"issued\":\"2021-07-07T18:00:00.000Z\","
                + "\"valueQuantity\":{\"value\":72,\"unit\":\"beats/minute\",\"system\":"
                + "\"http://unitsofmeasure.org\",\"code\":\"/min\"},\"device\":{\"reference\":"
                + "\"Device/dev1\"}}");
  }

  @Test
  void theIdentifierAndResourceIdAreDeterministic() {
    ObservationFactory f = new ObservationFactory(T0);
    ObservationGroup g = group(SAMPLE, m("heartrate", "d", "2021-07-07T17:00:00Z", "hr", "72"));
    ObservationGroup again = group(SAMPLE, m("heartrate", "d", "2021-07-07T17:00:00Z", "hr", "99"));
    assertThat(f.resourceId(g, SUBJECT)).isEqualTo(f.resourceId(again, SUBJECT)).hasSize(40);
    assertThat(f.resourceId(g, SUBJECT))
        .isNotEqualTo(f.resourceId(g, new ObservationFactory.Subject("pat2", "dev1", null)));
    assertThat(new ObservationFactory(T1).create(g, SUBJECT).getIdPart())
        .isEqualTo(f.create(g, SUBJECT).getIdPart());
  }

  @Test
  void componentsCarryTheirCodesAndAValueNameCoding() {
    Observation o =
        valid(
            new ObservationFactory(T0)
                .create(
                    group(
                        SAMPLE,
                        m(
                            "bloodpressure",
                            "d",
                            "2021-07-07T17:00:00Z",
                            "systolic",
                            "120",
                            "diastolic",
                            "80")),
                    SUBJECT));
    assertThat(o.hasValue()).isFalse();
    assertThat(o.getComponent())
        .extracting(
            c ->
                c.getCode().getCodingFirstRep().getCode()
                    + "/"
                    + c.getCode().getCoding().get(1).getCode()
                    + "="
                    + c.getValueQuantity().getValue())
        .containsExactly("8480-6/systolic=120", "8462-4/diastolic=80");
  }

  @Test
  void sampledDataPutsEachValueInItsSlotAndEWhereNone() {
    Observation o =
        valid(
            new ObservationFactory(T0)
                .create(
                    group(
                        SAMPLE,
                        m("spo2", "d", "2021-07-07T17:00:00Z", "spo2", "97"),
                        m("spo2", "d", "2021-07-07T17:00:02.500Z", "spo2", "96"),
                        m("spo2", "d", "2021-07-07T17:00:02.900Z", "spo2", "95.5")),
                    SUBJECT));
    SampledData s = o.getValueSampledData();
    assertThat(s.getPeriod()).isEqualByComparingTo("1000");
    assertThat(s.getDimensions()).isEqualTo(1);
    assertThat(s.getOrigin().getValue()).isEqualByComparingTo("0");
    assertThat(s.getOrigin().getUnit()).isEqualTo("%");
    String[] slots = s.getData().split(" ");
    assertThat(slots).hasSize(3600);
    assertThat(List.of(slots).subList(0, 4)).containsExactly("97", "E", "95.5", "E");
  }

  @Test
  void sampledDataMergesAcrossTwoSeparateWritesNewValuesWinning() {
    ObservationFactory f = new ObservationFactory(T0);
    Observation first =
        f.create(
            group(
                SAMPLE,
                m("spo2", "d", "2021-07-07T17:00:00Z", "spo2", "97"),
                m("spo2", "d", "2021-07-07T17:00:01Z", "spo2", "96")),
            SUBJECT);
    Optional<Observation> merged =
        new ObservationFactory(T1)
            .merge(
                first,
                group(
                    SAMPLE,
                    m("spo2", "d", "2021-07-07T17:00:01Z", "spo2", "90"),
                    m("spo2", "d", "2021-07-07T17:00:03Z", "spo2", "91")));
    assertThat(merged).isPresent();
    Observation o = valid(merged.get());
    assertThat(List.of(o.getValueSampledData().getData().split(" ")).subList(0, 5))
        .containsExactly("97", "90", "E", "91", "E");
    assertThat(o.getStatus()).isEqualTo(ObservationStatus.AMENDED);
    assertThat(o.getIssued().toInstant()).isEqualTo(T1.instant());
    assertThat(o.getIdPart()).isEqualTo(first.getIdPart());
  }

  @Test
  void replayingTheSameMeasurementsChangesNothingSoNothingIsWritten() {
    ObservationFactory f = new ObservationFactory(T0);
    ObservationGroup g =
        group(
            SAMPLE,
            m("bloodpressure", "d", "2021-07-07T17:00:00Z", "systolic", "120", "diastolic", "80"));
    Observation first = f.create(g, SUBJECT);
    assertThat(new ObservationFactory(T1).merge(first, g)).isEmpty();
    ObservationGroup spo2 = group(SAMPLE, m("spo2", "d", "2021-07-07T17:00:00Z", "spo2", "97"));
    assertThat(new ObservationFactory(T1).merge(f.create(spo2, SUBJECT), spo2)).isEmpty();
  }

  @Test
  void aReplayAfterAServerRoundTripIsStillRecognisedAsNoChange() {
    ObservationFactory f = new ObservationFactory(T0);
    for (ObservationGroup g :
        List.of(
            group(SAMPLE, m("spo2", "d", "2021-07-07T17:00:00Z", "spo2", "97.50")),
            group(SAMPLE, m("heartrate", "d", "2021-07-07T17:00:00.123Z", "hr", "72.0")),
            group(
                SAMPLE,
                m(
                    "bloodpressure",
                    "d",
                    "2021-07-07T17:00:00Z",
                    "systolic",
                    "120",
                    "diastolic",
                    "80")))) {
      String json = R4Validator.R4.newJsonParser().encodeResourceToString(f.create(g, SUBJECT));
      Observation stored = R4Validator.R4.newJsonParser().parseResource(Observation.class, json);
      stored.getMeta().setVersionId("1").setLastUpdated(new java.util.Date());
      assertThat(new ObservationFactory(T1).merge(stored, g)).as(json).isEmpty();
    }
  }

  @Test
  void aMissingComponentIsAddedAndAPresentOneReplacedOnMerge() {
    ObservationFactory f = new ObservationFactory(T0);
    Observation first =
        f.create(
            group(SAMPLE, m("bloodpressure", "d", "2021-07-07T17:00:00Z", "systolic", "120")),
            SUBJECT);
    assertThat(first.getComponent()).hasSize(1);
    Observation o =
        valid(
            f.merge(
                    first,
                    group(
                        SAMPLE,
                        m(
                            "bloodpressure",
                            "d",
                            "2021-07-07T17:00:00Z",
                            "systolic",
                            "121",
                            "diastolic",
                            "79")))
                .orElseThrow());
    assertThat(o.getComponent())
        .extracting(c -> ((Quantity) c.getValue()).getValue().toPlainString())
        .containsExactly("121", "79");
  }

  @Test
  void aCorrelationIdObservationWidensItsPeriodAndReslotsSampledData() {
    FhirMapping mapping = GrouperTest.MAPPING;
    ObservationFactory f = new ObservationFactory(T0);
    Observation first =
        f.create(
            group(mapping, at("session", "d", "p", "2021-07-07T17:00:05Z", null, "s1", "v", "5")),
            SUBJECT);
    Observation o =
        valid(
            f.merge(
                    first,
                    group(
                        mapping,
                        at("session", "d", "p", "2021-07-07T17:00:02Z", null, "s1", "v", "2"),
                        at("session", "d", "p", "2021-07-07T17:00:07Z", null, "s1", "v", "7")))
                .orElseThrow());
    assertThat(o.getEffectivePeriod().getStart().toInstant())
        .isEqualTo(Instant.parse("2021-07-07T17:00:02Z"));
    assertThat(o.getEffectivePeriod().getEnd().toInstant())
        .isEqualTo(Instant.parse("2021-07-07T17:00:07Z"));
    assertThat(o.getValueSampledData().getData()).isEqualTo("2 E E 5 E 7");
    assertThat(o.getIdentifierFirstRep().getValue()).isEqualTo("pat1.dev1.session.s1");
  }

  @Test
  void aQuantityWithSeveralValuesInOneObservationIsANonBlockingError() {
    FhirMapping hourlyQuantity =
        FhirMapping.parse(
            """
            {"templateType": "CollectionFhir", "template": [
              {"templateType": "CodeValueFhir", "template": {"typeName": "hr", "periodInterval": 60,
                "codes": [{"code": "8867-4", "system": "http://loinc.org"}],
                "value": {"valueType": "Quantity", "valueName": "hr"}}}]}
            """);
    ObservationGroup g =
        group(
            hourlyQuantity,
            m("hr", "d", "2021-07-07T17:00:00Z", "hr", "60"),
            m("hr", "d", "2021-07-07T17:10:00Z", "hr", "61"));
    assertThatThrownBy(() -> new ObservationFactory(T0).create(g, SUBJECT))
        .isInstanceOfSatisfying(
            InvalidQuantityFhirValueException.class, e -> assertThat(e.isBlocking()).isFalse())
        .hasMessageContaining("needs exactly one value per Observation, got 2");
    ObservationGroup text =
        group(hourlyQuantity, m("hr", "d", "2021-07-07T17:00:00Z", "hr", "fast"));
    assertThatThrownBy(() -> new ObservationFactory(T0).create(text, SUBJECT))
        .isInstanceOf(InvalidQuantityFhirValueException.class)
        .hasMessageContaining("is not a decimal: 'fast'");
  }

  @Test
  void stringAndCodeableConceptValuesAreValidR4() {
    FhirMapping mapping =
        FhirMapping.parse(
            """
            {"templateType": "CollectionFhir", "template": [
              {"templateType": "CodeValueFhir", "template": {"typeName": "note",
                "codes": [{"code": "48767-8", "system": "http://loinc.org"}],
                "value": {"valueType": "String", "valueName": "text"}}},
              {"templateType": "CodeValueFhir", "template": {"typeName": "fall",
                "codes": [{"code": "fall", "system": "http://example.org/events"}],
                "value": {"valueType": "CodeableConcept", "valueName": "detected", "text": "Fall detected",
                  "codes": [{"code": "217082002", "system": "http://snomed.info/sct", "display": "Accidental fall"}]}}}]}
            """);
    ObservationFactory f = new ObservationFactory(T0);
    Observation note =
        valid(
            f.create(
                group(mapping, m("note", "d", "2021-07-07T17:00:00Z", "text", "ok")), SUBJECT));
    assertThat(note.getValueStringType().getValue()).isEqualTo("ok");
    Observation fall =
        valid(
            f.create(
                group(mapping, m("fall", "d", "2021-07-07T17:00:00Z", "detected", "true")),
                SUBJECT));
    assertThat(fall.getValueCodeableConcept().getText()).isEqualTo("Fall detected");
    assertThat(fall.getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("217082002");
  }
}
