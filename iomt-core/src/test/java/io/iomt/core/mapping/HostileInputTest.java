package io.iomt.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.error.InvalidDataFormatException;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.measurement.Measurement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile input ends in a clear error or a correct result, never a stack overflow or a hang. The
 * core module's tests run with a 256 MB heap and a 512 KB thread stack (see its pom), so passing
 * here also shows the memory and stack stay bounded.
 */
class HostileInputTest {
  private static final DeviceMapping READINGS =
      DeviceMapping.parse(
          """
          {"templateType": "CollectionContent", "template": [
            {"templateType": "CalculatedContent", "template": {
              "typeName": "sample", "typeMatchExpression": "$.Body.samples[*]",
              "deviceIdExpression": "$.Body.id", "timestampExpression": "$.matchedToken.t",
              "values": [{"valueName": "v", "valueExpression": "$.matchedToken.v", "required": true}]}}]}
          """);

  private final EnvelopeReader reader = new EnvelopeReader(MessageLimits.DEFAULTS);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String samples(int count, int padding) {
    StringBuilder b = new StringBuilder("{\"id\":\"d1\",\"pad\":\"").append("x".repeat(padding));
    b.append("\",\"samples\":[");
    for (int i = 0; i < count; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"t\":\"2021-07-07T17:00:00Z\",\"v\":")
          .append(i)
          .append('}');
    }
    return b.append("]}").toString();
  }

  @Test
  void jsonNestedTenThousandLevelsDeepIsRejectedWithoutRecursion() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    assertThatThrownBy(() -> reader.envelope(utf8(deep), Map.of(), Map.of()))
        .isInstanceOf(InvalidDataFormatException.class)
        .hasMessage(
            "The message nests JSON deeper than the maximum of 1000 levels; it was not processed");
    String deepObject = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    List<EnvelopeReader.ReadEvent> events = new ArrayList<>();
    reader.readEnvelopes(utf8(deepObject), events::add);
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            EnvelopeReader.Rejected.class,
            r -> assertThat(r.error()).hasMessageContaining("deeper than the maximum of 1000"));
  }

  @Test
  void jsonNestedJustUnderTheLimitIsScannedByRecursiveDescentWithoutOverflow() {
    String deep = "{\"a\":".repeat(990) + "{\"hr\":1}" + "}".repeat(990);
    ObjectNode envelope = reader.envelope(utf8(deep), Map.of(), Map.of());
    assertThat(io.iomt.core.jsonpath.JsonPath.compile("$..[?(@hr)]").selectAll(envelope))
        .hasSize(1);
  }

  @Test
  void aFiveMegabyteBodyIsRejectedByTheDefaultOneMegabyteLimitBeforeParsing() {
    byte[] body = utf8(samples(10, 5 * 1024 * 1024));
    assertThatThrownBy(() -> reader.envelope(body, Map.of(), Map.of()))
        .isInstanceOf(InvalidDataFormatException.class)
        .hasMessageContaining("larger than the maximum of 1048576 bytes");
  }

  @Test
  void aFiveMegabyteBodyIsNormalizedCorrectlyWhenTheLimitIsRaised() {
    byte[] body = utf8(samples(3, 5 * 1024 * 1024));
    EnvelopeReader roomy = new EnvelopeReader(MessageLimits.DEFAULTS.withMaxMessageBytes(8 << 20));
    List<Measurement> out = READINGS.normalize(roomy.envelope(body, Map.of(), Map.of()), null);
    assertThat(out).extracting(m -> m.properties().get(0).value()).containsExactly("0", "1", "2");
  }

  @Test
  void aBodyThatIsNotJsonIsAClearDataError() {
    assertThatThrownBy(() -> reader.envelope(utf8("HR=60;SPO2=97"), Map.of(), Map.of()))
        .isInstanceOf(InvalidDataFormatException.class)
        .hasMessageStartingWith(
            "The message is not valid JSON (line 1, column 4): Unrecognized token 'HR'");
  }

  @Test
  void invalidUtf8IsAClearDataError() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    assertThatThrownBy(() -> reader.envelope(body, Map.of(), Map.of()))
        .isInstanceOf(InvalidDataFormatException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void anExpressionMatchingOneHundredThousandTokensYieldsOneMeasurementEach() {
    EnvelopeReader roomy = new EnvelopeReader(MessageLimits.DEFAULTS.withMaxMessageBytes(8 << 20));
    ObjectNode envelope = roomy.envelope(utf8(samples(100_000, 0)), Map.of(), Map.of());
    List<Measurement> out = READINGS.normalize(envelope, null);
    assertThat(out).hasSize(100_000);
    assertThat(out.get(99_999).properties().get(0).value()).isEqualTo("99999");
  }

  @Test
  void aMappingNestedTenThousandLevelsDeepIsOneProblemNotACrash() {
    String deep = "{\"templateType\":\"CollectionContent\",\"template\":" + "[".repeat(10_000);
    assertThat(DeviceMapping.validate(utf8(deep)))
        .singleElement()
        .extracting(TemplateProblem::message)
        .asString()
        .startsWith("The mapping is not valid JSON")
        .contains("nesting depth");
  }

  @Test
  void aFiveThousandDigitNumberInAMappingIsANumberLengthProblemNotANestingOne() {
    String mapping =
        "{\"templateType\": \"CollectionFhir\", \"template\": [" + "9".repeat(5000) + "]}";
    assertThat(
            io.iomt.core.fhirmapping.FhirMapping.validate(utf8(mapping)).stream()
                .map(TemplateProblem::toString)
                .toList())
        .singleElement()
        .asString()
        .contains("a number of 5000 digits is longer than the maximum of 1000 digits")
        .doesNotContain("nesting");
  }
}
