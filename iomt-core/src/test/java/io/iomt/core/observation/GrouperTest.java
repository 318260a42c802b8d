package io.iomt.core.observation;

import static io.iomt.core.observation.Measurements.at;
import static io.iomt.core.observation.Measurements.m;
import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.fhirmapping.FhirMapping;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrouperTest {
  static final FhirMapping MAPPING =
      FhirMapping.parse(
          """
          {"templateType": "CollectionFhir", "template": [
            {"templateType": "CodeValueFhir", "template": {"typeName": "hr", "periodInterval": "Single",
              "codes": [{"code": "8867-4", "system": "http://loinc.org"}],
              "value": {"valueType": "Quantity", "valueName": "hr"}}},
            {"templateType": "CodeValueFhir", "template": {"typeName": "spo2", "periodInterval": "Hourly",
              "codes": [{"code": "59408-5", "system": "http://loinc.org"}],
              "value": {"valueType": "SampledData", "valueName": "spo2", "defaultPeriod": 1000}}},
            {"templateType": "CodeValueFhir", "template": {"typeName": "steps", "periodInterval": "Daily",
              "codes": [{"code": "55423-8", "system": "http://loinc.org"}],
              "value": {"valueType": "SampledData", "valueName": "steps", "defaultPeriod": 3600000}}},
            {"templateType": "CodeValueFhir", "template": {"typeName": "session", "periodInterval": "CorrelationId",
              "codes": [{"code": "x", "system": "http://example.org"}],
              "value": {"valueType": "SampledData", "valueName": "v", "defaultPeriod": 1000}}}]}
          """);

  @Test
  void everyGroupKnowsTheSourcesItsMeasurementsCameFromAndFailuresKeepTheirSource() {
    record Source(String offset, io.iomt.core.measurement.Measurement measurement) {}
    List<Source> sources =
        List.of(
            new Source("p0@1", m("spo2", "dev1", "2021-07-07T17:10:00Z", "spo2", "97")),
            new Source("p0@2", m("hr", "dev1", "2021-07-07T17:00:00Z", "hr", "60")),
            new Source("p0@3", m("spo2", "dev1", "2021-07-07T17:20:00Z", "spo2", "96")),
            new Source("p0@4", m("unmapped", "dev1", "2021-07-07T17:20:00Z", "x", "1")),
            new Source("p0@5", m("spo2", "dev1", "2021-07-07T18:00:00Z", "spo2", "95")));

    Grouper.Tracked<Source> r = Grouper.group(sources, Source::measurement, MAPPING);

    assertThat(r.groups())
        .extracting(g -> g.group().key().type() + "@" + g.group().start(), g -> g.sources())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "spo2@2021-07-07T17:00:00Z", List.of(sources.get(0), sources.get(2))),
            org.assertj.core.groups.Tuple.tuple("hr@2021-07-07T17:00:00Z", List.of(sources.get(1))),
            org.assertj.core.groups.Tuple.tuple(
                "spo2@2021-07-07T18:00:00Z", List.of(sources.get(4))));
    assertThat(r.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.source()).isSameAs(sources.get(3));
              assertThat(f.error().errorName()).isEqualTo("TemplateNotFoundException");
            });
  }

  @Test
  void singlePeriodMakesOneGroupPerDistinctTimestampAndDevice() {
    Grouper.Result r =
        Grouper.group(
            List.of(
                m("hr", "dev1", "2021-07-07T17:00:00Z", "hr", "60"),
                m("hr", "dev1", "2021-07-07T17:00:01Z", "hr", "61"),
                m("hr", "dev2", "2021-07-07T17:00:00Z", "hr", "70")),
            MAPPING);
    assertThat(r.failures()).isEmpty();
    assertThat(r.groups())
        .extracting(g -> g.key().deviceId() + "@" + g.start() + ".." + g.end())
        .containsExactly(
            "dev1@2021-07-07T17:00:00Z..2021-07-07T17:00:00Z",
            "dev1@2021-07-07T17:00:01Z..2021-07-07T17:00:01Z",
            "dev2@2021-07-07T17:00:00Z..2021-07-07T17:00:00Z");
  }

  @Test
  void hourlyAndDailyPeriodsSplitAtUtcBoundaries() {
    Grouper.Result r =
        Grouper.group(
            List.of(
                m("spo2", "dev1", "2021-07-07T17:59:59Z", "spo2", "97"),
                m("spo2", "dev1", "2021-07-07T17:00:00Z", "spo2", "96"),
                m("spo2", "dev1", "2021-07-07T18:00:00Z", "spo2", "95"),
                m("steps", "dev1", "2021-07-07T23:59:00Z", "steps", "10"),
                m("steps", "dev1", "2021-07-08T00:00:00Z", "steps", "20")),
            MAPPING);
    assertThat(r.groups())
        .extracting(g -> g.key().type() + " " + g.start() + ".." + g.end() + " " + g.values())
        .containsExactly(
            "spo2 2021-07-07T17:00:00Z..2021-07-07T17:59:59.999Z"
                + " {spo2={2021-07-07T17:00:00Z=96, 2021-07-07T17:59:59Z=97}}",
            "spo2 2021-07-07T18:00:00Z..2021-07-07T18:59:59.999Z {spo2={2021-07-07T18:00:00Z=95}}",
            "steps 2021-07-07T00:00:00Z..2021-07-07T23:59:59.999Z {steps={2021-07-07T23:59:00Z=10}}",
            "steps 2021-07-08T00:00:00Z..2021-07-08T23:59:59.999Z {steps={2021-07-08T00:00:00Z=20}}");
  }

  @Test
  void aRepeatedTimestampKeepsTheLatestIngestedValueWhateverTheArrivalOrder() {
    Grouper.Result r =
        Grouper.group(
            List.of(
                at(
                    "hr",
                    "d",
                    "p",
                    "2021-07-07T17:00:00Z",
                    "2021-07-07T17:00:09Z",
                    null,
                    "hr",
                    "new"),
                at(
                    "hr",
                    "d",
                    "p",
                    "2021-07-07T17:00:00Z",
                    "2021-07-07T17:00:05Z",
                    null,
                    "hr",
                    "old"),
                at("hr", "d", "p", "2021-07-07T17:00:00Z", null, null, "hr", "unknown-time")),
            MAPPING);
    assertThat(r.groups())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.values("hr"))
                  .containsEntry(Instant.parse("2021-07-07T17:00:00Z"), "unknown-time");
              assertThat(g.measurementCount()).isEqualTo(3);
            });
    Grouper.Result ordered =
        Grouper.group(
            List.of(
                at(
                    "hr",
                    "d",
                    "p",
                    "2021-07-07T17:00:00Z",
                    "2021-07-07T17:00:09Z",
                    null,
                    "hr",
                    "new"),
                at(
                    "hr",
                    "d",
                    "p",
                    "2021-07-07T17:00:00Z",
                    "2021-07-07T17:00:05Z",
                    null,
                    "hr",
                    "old")),
            MAPPING);
    assertThat(ordered.groups().get(0).values("hr").firstEntry().getValue()).isEqualTo("new");
  }

  @Test
  void patientEncounterAndCorrelationIdAreSeparateGroups() {
    Grouper.Result r =
        Grouper.group(
            List.of(
                at("hr", "d", "p1", "2021-07-07T17:00:00Z", null, null, "hr", "1"),
                at("hr", "d", "p2", "2021-07-07T17:00:00Z", null, null, "hr", "2")),
            MAPPING);
    assertThat(r.groups()).hasSize(2);
  }

  @Test
  void correlationIdGroupsSpanTheirFirstToLastMeasurement() {
    Grouper.Result r =
        Grouper.group(
            List.of(
                at("session", "d", "p", "2021-07-07T17:00:05Z", null, "s1", "v", "1"),
                at("session", "d", "p", "2021-07-07T17:00:01Z", null, "s1", "v", "2"),
                at("session", "d", "p", "2021-07-07T19:00:00Z", null, "s2", "v", "3")),
            MAPPING);
    assertThat(r.groups())
        .extracting(g -> g.key().correlationId() + " " + g.start() + ".." + g.end())
        .containsExactly(
            "s1 2021-07-07T17:00:01Z..2021-07-07T17:00:05Z",
            "s2 2021-07-07T19:00:00Z..2021-07-07T19:00:00Z");
  }

  @Test
  void unmappedTypesAndMissingCorrelationIdsFailOnlyTheirOwnMeasurements() {
    Grouper.Result r =
        Grouper.group(
            List.of(
                m("temperature", "d", "2021-07-07T17:00:00Z", "t", "37"),
                at("session", "d", "p", "2021-07-07T17:00:00Z", null, "", "v", "1"),
                m("hr", "d", "2021-07-07T17:00:00Z", "hr", "60")),
            MAPPING);
    assertThat(r.groups()).hasSize(1);
    assertThat(r.failures())
        .extracting(f -> f.error().errorName() + ": " + f.error().getMessage())
        .containsExactly(
            "TemplateNotFoundException: No CodeValueFhir template for type 'temperature' (device"
                + " 'd'); add one to the FHIR mapping",
            "CorrelationIdNotDefinedException: Type 'session' groups by CorrelationId, but the"
                + " measurement of device 'd' has no correlation id; map correlationIdExpression in"
                + " the device mapping");
    assertThat(r.failures()).allSatisfy(f -> assertThat(f.error().isBlocking()).isFalse());
  }
}
