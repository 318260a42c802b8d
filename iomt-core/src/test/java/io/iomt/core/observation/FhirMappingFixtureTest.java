package io.iomt.core.observation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.error.DataException;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.fixtures.ExpectedOrigin;
import io.iomt.core.fixtures.FhirMappingFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every folder of {@code fixtures/fhir-mapping/} through the FHIR conversion: the mapping
 * parser, {@link Grouper} and {@link ObservationFactory} (create, or merge into the Observation of
 * the same id in {@code existing.json}). Subjects are what the CLI's offline {@code mapping test}
 * uses: the deterministic ids of Patient, Device and Encounter with no identifier system. {@code
 * issued} is {@link #RUN_AT}.
 *
 * <p>With {@code -Diomt.fixtures.record=true}, a folder without any expectation gets {@code
 * expected.json} / {@code expected-error.json} written from what the code does today, and the case
 * fails until someone has reviewed them (docs/testing.md).
 */
class FhirMappingFixtureTest {
  /** The time the fixture runner writes as {@code issued}. */
  static final Instant RUN_AT = Instant.parse("2026-12-01T00:00:00Z");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final IParser FHIR_JSON = FhirContext.forR4Cached().newJsonParser();

  static Stream<FhirMappingFixture> corpus() {
    return FhirMappingFixture.all();
  }

  @Test
  void everyCaseHasItsMappingItsMeasurementsAndAnExpectation() {
    List<FhirMappingFixture> all = FhirMappingFixture.all().toList();
    assertThat(all).hasSizeGreaterThanOrEqualTo(12);
    assertThat(all)
        .allSatisfy(
            f -> {
              assertThat(f.mappingFile()).exists();
              assertThat(f.measurementsFile()).exists();
              assertThat(f.dir().resolve("description.md")).exists();
              assertThat(Files.exists(f.expectedFile()) || Files.exists(f.expectedErrorFile()))
                  .as("%s has expected.json and/or expected-error.json", f)
                  .isTrue();
            });
  }

  static Stream<FhirMappingFixture> deviations() {
    return FhirMappingFixture.deviations();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void theConversionProducesTheExpectedObservationsAndProblems(FhirMappingFixture fixture)
      throws IOException {
    Outcome outcome = run(fixture);
    if (fixture.expectedObservations() == null && fixture.expectedError() == null) {
      record(fixture, outcome);
    }
    check(fixture, outcome);
  }

  /**
   * The cases in {@code fixtures/fhir-mapping-deviations/} expect what REFERENCE.md requires and
   * the engine does not do yet. Each must still differ: once the engine is fixed, this fails and
   * the case moves into the corpus.
   */
  @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
  @MethodSource("deviations")
  void aKnownDeviationFromTheReferenceStillDiffers(FhirMappingFixture fixture) throws IOException {
    Outcome outcome = run(fixture);
    try {
      check(fixture, outcome);
    } catch (AssertionError expected) {
      return;
    }
    throw new AssertionError(
        fixture + " now behaves as REFERENCE.md requires: move it into fixtures/fhir-mapping/");
  }

  private static void check(FhirMappingFixture fixture, Outcome outcome) {
    JsonNode expectedError = fixture.expectedError();
    if (expectedError != null && expectedError.has("problems")) {
      assertThat(fixture.expectedObservations())
          .as("an invalid mapping writes nothing: no expected.json")
          .isNull();
      List<JsonNode> expected = new ArrayList<>();
      expectedError.path("problems").forEach(expected::add);
      assertThat(outcome.problems()).as("every problem is reported").hasSameSizeAs(expected);
      for (JsonNode e : expected) {
        assertThat(outcome.problems())
            .as("a problem at %s:%s containing '%s'", e.path("line"), e.path("column"), e)
            .anySatisfy(
                p -> {
                  assertThat(p.line()).isEqualTo(e.path("line").asInt());
                  assertThat(p.column()).isEqualTo(e.path("column").asInt());
                  assertThat(p.message()).contains(e.path("contains").asText());
                });
      }
      return;
    }
    assertThat(outcome.problems()).as("problems of the mapping").isEmpty();
    JsonNode expectedObservations = fixture.expectedObservations();
    assertThat(outcome.written())
        .as("the Observations written")
        .isEqualTo(expectedObservations == null ? JSON.createArrayNode() : expectedObservations);
    List<JsonNode> expectedFailures = new ArrayList<>();
    if (expectedError != null) {
      expectedError.path("failures").forEach(expectedFailures::add);
    }
    assertThat(outcome.failures()).as("failures").hasSameSizeAs(expectedFailures);
    for (int i = 0; i < expectedFailures.size(); i++) {
      DataException actual = outcome.failures().get(i);
      JsonNode expected = expectedFailures.get(i);
      assertThat(actual.errorName()).isEqualTo(expected.path("error").asText());
      assertThat(actual.isBlocking()).as("blocking").isFalse();
      for (JsonNode fragment : expected.path("messageContains")) {
        assertThat(actual.getMessage()).contains(fragment.asText());
      }
      if (expected.has("origin")) {
        ExpectedOrigin.check(actual.origin(), expected.get("origin"));
      }
    }
  }

  /** What the conversion made of one folder. */
  private record Outcome(
      List<TemplateProblem> problems, ArrayNode written, List<DataException> failures) {}

  private static Outcome run(FhirMappingFixture fixture) throws IOException {
    List<TemplateProblem> errors =
        FhirMapping.validate(fixture.mapping()).stream().filter(TemplateProblem::isError).toList();
    if (!errors.isEmpty()) {
      return new Outcome(errors, JSON.createArrayNode(), List.of());
    }
    FhirMapping mapping = FhirMapping.parse(fixture.mapping());
    ObservationFactory factory = new ObservationFactory(Clock.fixed(RUN_AT, ZoneOffset.UTC));
    Map<String, Observation> existing = new HashMap<>();
    for (String json : fixture.existing()) {
      Observation o = FHIR_JSON.parseResource(Observation.class, json);
      existing.put(o.getIdElement().getIdPart(), o);
    }

    Grouper.Result grouped = Grouper.group(fixture.measurements(), mapping);
    List<DataException> failures = new ArrayList<>();
    grouped.failures().forEach(f -> failures.add(f.error()));
    ArrayNode written = JSON.createArrayNode();
    for (ObservationGroup group : grouped.groups()) {
      ObservationFactory.Subject subject = subject(group.key());
      Observation held = existing.get(factory.resourceId(group, subject));
      try {
        if (held == null) {
          written.add(json(factory.create(group, subject)));
        } else {
          var merged = factory.merge(held, group);
          if (merged.isPresent()) {
            written.add(json(merged.get()));
          }
        }
      } catch (DataException e) {
        failures.add(e);
      }
    }
    return new Outcome(List.of(), written, failures);
  }

  private static ObservationFactory.Subject subject(GroupKey key) {
    return new ObservationFactory.Subject(
        key.patientId() == null ? null : ResourceIds.of("Patient", null, key.patientId()),
        ResourceIds.of("Device", null, key.deviceId()),
        key.encounterId() == null ? null : ResourceIds.of("Encounter", null, key.encounterId()));
  }

  private static JsonNode json(Observation o) throws IOException {
    return JSON.readTree(FHIR_JSON.encodeResourceToString(o));
  }

  /** Writes the expectation files from the outcome, then fails: they need a human review. */
  private static void record(FhirMappingFixture fixture, Outcome outcome) throws IOException {
    assertThat(Boolean.getBoolean("iomt.fixtures.record"))
        .as(
            "%s has neither expected.json nor expected-error.json (run with"
                + " -Diomt.fixtures.record=true to write what the code does today)",
            fixture)
        .isTrue();
    ObjectNode error = JSON.createObjectNode();
    if (!outcome.problems().isEmpty()) {
      ArrayNode problems = error.putArray("problems");
      for (TemplateProblem p : outcome.problems()) {
        problems
            .addObject()
            .put("line", p.line())
            .put("column", p.column())
            .put("contains", p.message());
      }
    } else {
      JSON.writeValue(fixture.expectedFile().toFile(), outcome.written());
      if (!outcome.failures().isEmpty()) {
        ArrayNode failures = error.putArray("failures");
        for (DataException e : outcome.failures()) {
          failures
              .addObject()
              .put("error", e.errorName())
              .putArray("messageContains")
              .add(e.getMessage());
        }
      }
    }
    if (!error.isEmpty()) {
      JSON.writeValue(fixture.expectedErrorFile().toFile(), error);
    }
    throw new AssertionError(
        "recorded the expectations of "
            + fixture
            + " from what the code does today: review them against the FHIR mapping reference,"
            + " correct what is wrong, and run again");
  }
}
